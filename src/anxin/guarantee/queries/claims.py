"""Reads of 买贵必赔 claims: the facts a decision needs (the line, the feed's capture, the buyer's history and
the fraud counts), the buyer's claims, one claim with its evidence, the ops queue, and what each line of an
order page offers."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from anxin.core import config
from anxin.core.errors import NotFound, translate
from anxin.core.rules import Message
from anxin.guarantee import platforms, rules
from anxin.guarantee.matching.listing import Product
from anxin.guarantee.models import Claim, ClaimScreenshot, Enrollment, Offer, OfferCapture
from anxin.guarantee.queries.enrollment import in_force
from anxin.orders import rules as order_rules
from anxin.orders.models import Order, OrderLine

BEIJING = ZoneInfo("Asia/Shanghai")


def limits() -> rules.Limits:
    """The rules' numbers as ops set them."""
    return rules.Limits(
        window_days=config.get("guarantee.claim_window_days"),
        max_paid_claims=config.get("guarantee.max_paid_claims"),
        max_paid_fen=config.get("guarantee.max_paid_fen"),
        feed_fresh_hours=config.get("guarantee.feed_fresh_hours"),
        review_hours=config.get("guarantee.review_hours"),
        fraud_buyers=config.get("guarantee.fraud_buyers"),
    )


def line_facts(line: OrderLine, enrollment: Enrollment | None) -> rules.LineFacts:
    """The line (its order loaded) as the rules see it."""
    order = line.order
    return rules.LineFacts(
        paid_at=order.paid_at,
        open=order.state in order_rules.REFUNDABLE,
        unit_price_fen=line.unit_price_fen,
        quantity=line.quantity,
        total_fen=line.total_fen,
        discount_fen=line.discount_fen,
        refunded_fen=line.refunded_fen,
        compensated_fen=line.compensated_fen,
        enrolled_multiplier=enrollment.multiplier if enrollment else 0,
        paid_claim=Claim.objects.filter(line=line, state=Claim.State.APPROVED).exists(),
    )


def enrollment_of(line: OrderLine) -> Enrollment | None:
    """The enrollment in force when the line was paid (None for a line not paid or a SKU not enrolled)."""
    paid_at = line.order.paid_at
    return in_force(line.sku_id, paid_at) if paid_at else None


def offer_for(platform: str, url: str) -> Offer | None:
    """The feed's listing a claim names: the feed keeps each listing by its normalised URL (`url_key`), so
    `https://www.jd.com/1.html#top` and `https://jd.com/1.html` are one listing."""
    return Offer.objects.filter(platform=platform, url=platforms.url_key(url)).first()


def latest_capture(offer: Offer | None) -> OfferCapture | None:
    return offer.captures.order_by("-captured_at", "-pk").first() if offer else None


def offer_facts(capture: OfferCapture | None) -> rules.OfferFacts | None:
    if capture is None:
        return None
    local = capture.captured_at.astimezone(BEIJING)
    return rules.OfferFacts(
        capture.price_fen, capture.shipping_fen, capture.price_type, capture.captured_at, (local.month, local.day)
    )


def sku_side(line: OrderLine) -> Product:
    """Our SKU as the matcher reads it: the product's title and brand, the SKU's spec."""
    product = line.product
    return Product(
        title=product.title, brand=product.brand, spec={str(k): str(v) for k, v in (line.spec or {}).items()}
    )


def listing_side(offer: Offer | None, title: str, spec_text: str) -> Product:
    """The competitor's listing: the feed's description when it has one, otherwise the buyer's words."""
    if offer is not None:
        return Product(title=offer.title, brand=offer.brand, model=offer.model, spec={"spec": offer.spec})
    return Product(title=title, spec={"spec": spec_text} if spec_text else {})


def history(buyer_id: int, url_key: str, phashes: list[str], now: datetime) -> rules.BuyerHistory:
    """The buyer's paid claims in the rolling 30 days, and the distinct buyers (this one included) who claimed
    the same URL or one of the same screenshots in the last 24 hours."""
    paid = Claim.objects.filter(
        buyer_id=buyer_id, state=Claim.State.APPROVED, decided_at__gt=now - rules.CAP_WINDOW
    ).aggregate(count=Count("pk"), total=Sum("compensation_fen"))
    since = now - rules.FRAUD_WINDOW
    url_buyers = set(
        Claim.objects.filter(url_key=url_key, created_at__gt=since)
        .order_by()
        .values_list("buyer_id", flat=True)
        .distinct()
    )
    shot_buyers: set[int] = set()
    if phashes:
        shot_buyers = set(
            ClaimScreenshot.objects.filter(phash__in=phashes, created_at__gt=since)
            .order_by()
            .values_list("claim__buyer_id", flat=True)
            .distinct()
        )
    return rules.BuyerHistory(
        paid_claims=paid["count"] or 0,
        paid_fen=paid["total"] or 0,
        url_buyers=len(url_buyers | {buyer_id}),
        screenshot_buyers=len(shot_buyers | {buyer_id}) if phashes else 0,
    )


def _detailed():
    return Claim.objects.select_related("line", "order", "offer", "capture", "enrollment").prefetch_related(
        "screenshots"
    )


def buyer_claims(buyer) -> list[Claim]:
    """我的买贵必赔: the buyer's claims, newest first."""
    return list(Claim.objects.filter(buyer=buyer).select_related("line").order_by("-created_at", "-pk")[:200])


def buyer_claim(buyer, claim_id: int) -> Claim:
    """One of the buyer's claims with its evidence; another buyer's is 404."""
    claim = _detailed().filter(pk=claim_id, buyer=buyer).first()
    if claim is None:
        raise NotFound(_("找不到这个买贵必赔申请。"))
    return claim


def ops_claim(claim_id: int) -> Claim:
    claim = _detailed().filter(pk=claim_id).first()
    if claim is None:
        raise NotFound(_("找不到这个买贵必赔申请。"))
    return claim


def is_overdue(claim: Claim, now: datetime) -> bool:
    """A claim still waiting for a person after its deadline (kept for a person by a fraud signal)."""
    return claim.state == Claim.State.REVIEW and claim.due_at is not None and claim.due_at < now


# The aspects the product matcher compares (`matching.rules`, `QUANTITY_NAMES`) and its verdicts, in the reader's
# language: a claim keeps the matcher's reasons as data, so each is said when it is read.
ASPECTS = {
    "品牌": pgettext_lazy("matcher", "品牌"),
    "型号": pgettext_lazy("matcher", "型号"),
    "件数": pgettext_lazy("matcher", "件数"),
    "颜色": pgettext_lazy("matcher", "颜色"),
    "成色": pgettext_lazy("matcher", "成色"),
    "品类": pgettext_lazy("matcher", "品类"),
    "标题相似度": pgettext_lazy("matcher", "标题相似度"),
    "容量": pgettext_lazy("matcher", "容量"),
    "重量": pgettext_lazy("matcher", "重量"),
    "尺寸": pgettext_lazy("matcher", "尺寸"),
    "屏幕尺寸": pgettext_lazy("matcher", "屏幕尺寸"),
    "电池容量": pgettext_lazy("matcher", "电池容量"),
    "尺码": pgettext_lazy("matcher", "尺码"),
}
VERDICTS = {
    "same": pgettext_lazy("matcher", "一致"),
    "different": pgettext_lazy("matcher", "不同"),
    "unknown": pgettext_lazy("matcher", "无法判断"),
}


@dataclass(frozen=True)
class MatchReason:
    """One aspect the matcher compared, as the claim keeps it."""

    aspect: str
    verdict: str
    ours: str
    theirs: str

    @property
    def text(self) -> str:
        return _("%(aspect)s%(verdict)s：我方「%(ours)s」，对方「%(theirs)s」") % {
            "aspect": ASPECTS.get(self.aspect, self.aspect),
            "verdict": VERDICTS.get(self.verdict, self.verdict),
            "ours": self.ours or "—",
            "theirs": self.theirs or "—",
        }


def match_reasons(claim: Claim) -> list[MatchReason]:
    return [MatchReason(**reason) for reason in claim.match_reasons]


def differing_reasons(claim: Claim) -> list[MatchReason]:
    """What tells the two products apart, for the buyer of a claim refused as another product."""
    return [reason for reason in match_reasons(claim) if reason.verdict == "different"]


def reason_text(claim: Claim) -> str:
    """The decision's reason in the active language: a rule's sentence translated with its values (a value
    that is itself a sentence, such as a price type, translated too); an ops reason as written."""
    stored = claim.reason_message or {}
    if not stored.get("msgid"):
        return claim.reason
    params = {name: _(value) if isinstance(value, str) else value for name, value in stored["params"].items()}
    return translate(Message(stored["msgid"], params))


def review_queue() -> list[Claim]:
    """The claims waiting for a person, the nearest deadline first, with the offer and its capture loaded."""
    return list(_detailed().filter(state=Claim.State.REVIEW).order_by("due_at", "pk")[:200])


@dataclass(frozen=True)
class LineClaim:
    """What a line of the buyer's order page shows: 申请 while a claim can be filed, else the latest claim."""

    line: OrderLine
    can_claim: bool
    latest: Claim | None


def order_lines_claims(order: Order, now: datetime) -> list[LineClaim]:
    """Each line of an order of an enrolled SKU with its claim button (the page shows nothing for the rest)."""
    if order.paid_at is None:
        return []
    lines = list(order.lines.select_related("order"))
    latest: dict[int, Claim] = {}
    for claim in Claim.objects.filter(line__in=lines).order_by("created_at", "pk"):
        latest[claim.line_id] = claim
    active = limits()
    rows = []
    for line in lines:
        enrollment = enrollment_of(line)
        if enrollment is None:
            continue
        facts = line_facts(line, enrollment)
        last = latest.get(line.pk)
        busy = last is not None and last.state in (Claim.State.REVIEW, Claim.State.APPROVED)
        # A price seen of 0 is below every paid price: only the exclusions that need no evidence can refuse.
        can = not busy and rules.exclusion(facts, now, 0, active) is None
        rows.append(LineClaim(line, can, last))
    return rows
