"""买贵必赔 claims (RULES §6): a buyer files evidence on an order line and is answered at once (paid, refused
with the reason, or sent to a person within 48 hours); ops decide the claims sent to them; the review's 48
hours are measured, never defaulted.

One path for the money (`_pay`): under the line's lock (checkout -> payment -> order -> line, the refunds' lock
order), to the original payment through the payments port (a payout keyed `claim:<id>`) or as a no-threshold
platform coupon keyed the same, charged to `platform:compensation` or, for a SKU its merchant enrolled (setting
`guarantee.charge_merchant_enrolled`), to the merchant's payable; the line's `compensated_fen` grows, so a later
full refund deducts it. The database holds one paid claim and one claim in review per line.

The review deadline: a claim still waiting when its 48 hours are over stays for a person, first in the queue and
shown overdue (the worker records `claim.overdue`), never paid by default: a claim goes to review precisely
because nothing has checked the buyer's word (no fresh feed capture, an unsure match, a fraud signal), and paying
an unchecked price seen would pay any price anyone types. Ops' lateness is measured instead (the figures count
overdue reviews and the time to decision), as arbitration's is in after-sales."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from anxin.accounts.models import User
from anxin.core import clock, config, deadlines, events, ledger
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.images import StoredImage, Upload, decode, discard, discarding_on_failure, read_upload, store_image
from anxin.core.money import parse_yuan
from anxin.core.permissions import require_role
from anxin.core.rules import Message, image_count_problem
from anxin.core.text import clean_text
from anxin.coupons import rules as coupon_rules
from anxin.coupons import services as coupons
from anxin.guarantee import platforms, rules
from anxin.guarantee.matching.decision import Outcome, decide
from anxin.guarantee.models import Claim, ClaimScreenshot, Enrollment
from anxin.guarantee.queries import claims as queries
from anxin.orders import services as orders
from anxin.orders.models import OrderLine
from anxin.payments import services as payments

REVIEW_DUE = "guarantee.claim_review_due"
PAYOUT_REASON = "price_guarantee"
SCREENSHOT_FOLDER = "claims"
REASON_MAX = 300
MATCH = {Outcome.SAME: rules.Match.SAME, Outcome.DIFFERENT: rules.Match.DIFFERENT}


@dataclass(frozen=True)
class Evidence:
    """What the buyer says: the competitor's platform and listing, its title, the price seen (yuan text such
    as `89.90`, or fen as an int), the spec text, and where the money should go."""

    platform: str
    url: str
    title: str
    price_seen: str | int
    spec_text: str = ""
    pay_to: str = Claim.PayTo.ORIGINAL


def claim_key(claim_id: int) -> str:
    """The payout's and the coupon's key: one payment per claim."""
    return f"claim:{claim_id}"


def price_seen_fen(value: Any) -> int:
    """The price seen in fen: yuan with at most two decimals, above 0 and at most ¥100,000."""
    refusal = AnxinError(rules.PRICE_INVALID, code=rules.PRICE_INVALID.code, fields={"price_seen": rules.PRICE_INVALID})
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise refusal
    try:
        fen = value if isinstance(value, int) else parse_yuan(value)
    except ValueError:
        raise refusal from None
    if rules.price_problem(fen) is not None:
        raise refusal
    return fen


def checked_evidence(evidence: Evidence) -> tuple[Evidence, int]:
    """The evidence cleaned, with its price in fen; any problem is a 400 naming the fields, nothing written."""
    title = clean_text(evidence.title, field="title", max_length=rules.TITLE_MAX)
    spec = clean_text(evidence.spec_text, field="spec_text", max_length=rules.SPEC_MAX, required=False)
    url = str(evidence.url or "").strip()
    problems = rules.evidence_problems(str(evidence.platform), url, title, spec)
    if problems:
        first = next(iter(problems.values()))
        raise AnxinError(first, code=first.code, fields=problems)
    if evidence.pay_to not in Claim.PayTo.values:
        raise AnxinError(_("请选择赔付方式。"), code="claim_pay_to", fields={"pay_to": _("原路退回或优惠券")})
    fen = price_seen_fen(evidence.price_seen)
    return Evidence(evidence.platform, url, title, fen, spec, evidence.pay_to), fen


def _checked_screenshots(screenshots: Sequence[Upload]) -> list[bytes]:
    """Every screenshot read and decoded before any is stored: one bad picture refuses the claim whole."""
    if len(screenshots) > rules.SCREENSHOTS_MAX:
        problem = image_count_problem(len(screenshots) - 1, rules.SCREENSHOTS_MAX)
        assert problem is not None
        raise AnxinError(problem, code=problem.code, fields={"screenshots": problem})
    checked = []
    for upload in screenshots:
        data = read_upload(upload)
        decode(data)
        checked.append(data)
    return checked


def open_claim(
    buyer, order_id: int, line_id: int, evidence: Evidence, screenshots: Sequence[Upload], key: str
) -> Claim:
    """File a claim on the buyer's own paid line (another's is 404) and decide it at once. The same `key`
    returns the claim it first filed and files nothing."""
    require_role(buyer, "buyer")
    key = clean_text(key, field="key", max_length=200)
    existing = Claim.objects.filter(buyer=buyer, key=key).first()
    if existing is not None:
        return existing
    clean, fen = checked_evidence(evidence)
    order = orders.own_order(buyer, order_id)
    if not order.lines.filter(pk=line_id).exists():
        raise NotFound(_("找不到这件商品。"))
    pictures = _checked_screenshots(screenshots)
    stored: list[StoredImage] = []
    with discarding_on_failure(stored):
        stored.extend(store_image(data, folder=SCREENSHOT_FOLDER) for data in pictures)
        with transaction.atomic():
            line = _lock_line(order.pk, line_id)
            again = Claim.objects.filter(buyer=buyer, key=key).first()
            if again is None:
                return _file(buyer, line, clean, fen, stored, key)
    # A duplicate that waited on the first one's lock: the first claim is the answer, these pictures are not kept.
    discard(name for picture in stored for name in picture.names())
    return again


def _lock_line(order_id: int, line_id: int) -> OrderLine:
    """The refunds' lock order: checkout -> payment -> order, then the line."""
    orders.lock_order(order_id)
    lines = OrderLine.objects.select_for_update(of=("self",)).select_related("order", "product")
    return lines.get(pk=line_id, order_id=order_id)


def _file(buyer, line: OrderLine, evidence: Evidence, fen: int, stored: list[StoredImage], key: str) -> Claim:
    """Under the line's lock: gather the facts (enrollment, the feed's capture, the matcher, the buyer's
    history), decide, record the claim and its screenshots, then pay it or schedule its review."""
    if Claim.objects.filter(line=line, state=Claim.State.REVIEW).exists():
        raise Conflict(_("这件商品已有一个买贵必赔申请在审核中。"), code="claim_in_review")
    now = clock.now()
    enrollment = queries.enrollment_of(line)
    offer = queries.offer_for(evidence.platform, evidence.url)
    capture = queries.latest_capture(offer)
    decision = decide(queries.sku_side(line), queries.listing_side(offer, evidence.title, evidence.spec_text))
    url_key = platforms.url_key(evidence.url)
    limits = queries.limits()
    _lock_buyer(buyer.pk)
    history = queries.history(buyer.pk, url_key, [picture.phash for picture in stored], now)
    verdict = rules.decide(
        queries.line_facts(line, enrollment),
        now,
        fen,
        queries.offer_facts(capture),
        MATCH.get(decision.outcome, rules.Match.UNSURE),
        history,
        limits,
    )
    claim = Claim.objects.create(
        buyer=buyer,
        order_id=line.order_id,
        line=line,
        enrollment=enrollment,
        key=key,
        platform=evidence.platform,
        url=evidence.url,
        url_key=url_key,
        title=evidence.title,
        price_seen_fen=fen,
        spec_text=evidence.spec_text,
        pay_to=evidence.pay_to,
        state=Claim.State.REVIEW,
        signals=list(verdict.signals),
        offer=offer,
        capture=capture,
        comparable_fen=verdict.comparable_fen,
        match_probability=decision.probability,
        match_reasons=decision.reasons_data(),
        multiplier=enrollment.multiplier if enrollment else 1,
        created_at=now,
    )
    ClaimScreenshot.objects.bulk_create(
        ClaimScreenshot(
            claim=claim, image=p.original, image_large=p.large, image_small=p.small, phash=p.phash, created_at=now
        )
        for p in stored
    )
    events.record("claim.opened", claim, {"line_id": line.pk, "price_seen_fen": fen}, actor=buyer)
    if verdict.state == rules.State.REVIEW:
        claim.due_at = rules.review_due(now, limits)
        _say(claim, verdict.reason)
        claim.save(update_fields=["due_at", "reason_code", "reason", "reason_message"])
        deadlines.schedule_new(REVIEW_DUE, claim.pk, claim.due_at)
        events.record(
            "claim.review", claim, {"signals": claim.signals, "due_at": claim.due_at.isoformat()}, actor=buyer
        )
        return claim
    _apply(claim, line, verdict, decided_by="auto")
    return claim


def _lock_buyer(buyer_id: int) -> None:
    """The buyer's row, last in the lock order: their claims on other orders wait here, so two of them never
    both read the caps' history before either is paid."""
    User.objects.select_for_update().filter(pk=buyer_id).values_list("pk", flat=True).first()


def _say(claim: Claim, reason: Message | None) -> None:
    """Store a rule's reason: its code, its Chinese text, and the sentence untranslated for other languages."""
    if reason is None:
        claim.reason_code, claim.reason, claim.reason_message = "", "", {}
        return
    params = {name: value if isinstance(value, int | float) else str(value) for name, value in reason.params.items()}
    claim.reason_code, claim.reason = reason.code, str(reason)
    claim.reason_message = {"msgid": reason.msgid, "params": params}


def _apply(claim: Claim, line: OrderLine, verdict: rules.Verdict, *, decided_by: str, reviewer=None) -> None:
    """Record the decision on the claim (review -> approved / rejected) and pay an approval."""
    claim.decided_by, claim.reviewer, claim.decided_at = decided_by, reviewer, clock.now()
    _say(claim, verdict.reason)
    if verdict.comparable_fen is not None:
        claim.comparable_fen = verdict.comparable_fen
    if verdict.state == rules.State.APPROVED:
        _pay(claim, line, verdict.compensation_fen)
    else:
        claim.state = Claim.State.REJECTED
    claim.save()
    deadlines.cancel(REVIEW_DUE, claim.pk)
    events.record(
        f"claim.{claim.state}",
        claim,
        {"decided_by": decided_by, "reason_code": claim.reason_code, "compensation_fen": claim.compensation_fen},
        actor=reviewer or (claim.buyer if decided_by == "auto" else None),
    )


def charged_account(enrollment: Enrollment | None, merchant_id: int) -> str:
    """Who pays: the merchant for a SKU it enrolled itself (when the setting says so), the platform otherwise."""
    merchant_enrolled = enrollment is not None and enrollment.source == Enrollment.Source.MERCHANT
    if merchant_enrolled and config.get("guarantee.charge_merchant_enrolled"):
        return ledger.merchant_payable(merchant_id)
    return ledger.PLATFORM_COMPENSATION


def _pay(claim: Claim, line: OrderLine, amount_fen: int) -> None:
    """Pay the claim once, to where the buyer chose, from the account that owes it."""
    order = line.order
    account = charged_account(claim.enrollment, order.merchant_id)
    key = claim_key(claim.pk)
    detail = {"order_id": order.pk, "line_id": line.pk, "claim_id": claim.pk}
    if claim.pay_to == Claim.PayTo.COUPON:
        coupons.issue(claim.buyer, amount_fen, reason=coupon_rules.PRICE_GUARANTEE, key=key, actor=claim.buyer)
        if account != ledger.PLATFORM_COMPENSATION:
            # The coupon is funded from compensation when used; the merchant pays compensation back now.
            ledger.post(
                f"{key}:charged",
                "claim_charged",
                [ledger.Line(account, amount_fen), ledger.Line(ledger.PLATFORM_COMPENSATION, -amount_fen)],
                subject=claim,
            )
    else:
        payment = order.checkout.payment
        if payment is None:  # a paid order always has one
            raise Conflict(_("这笔订单没有可退回的支付。"), code="payment_not_captured")
        payments.request_payout(
            payment, amount_fen, key=key, reason=PAYOUT_REASON, source=account, detail=detail, actor=claim.buyer
        )
    orders.record_compensation(line.pk, amount_fen, paid_from=account)
    claim.state, claim.compensation_fen, claim.charged_to = Claim.State.APPROVED, amount_fen, account


# --- ops and the deadline --------------------------------------------------------------------------------------


def _lock_review(claim_id: int) -> tuple[Claim, OrderLine]:
    """The claim in review and its line, locked in the one order (checkout -> payment -> order -> line -> claim)."""
    found = Claim.objects.filter(pk=claim_id).values_list("order_id", "line_id").first()
    if found is None:
        raise NotFound(_("找不到这个买贵必赔申请。"))
    line = _lock_line(*found)
    claim = Claim.objects.select_for_update(of=("self",)).select_related("enrollment", "buyer").get(pk=claim_id)
    if claim.state != Claim.State.REVIEW:
        raise Conflict(_("这个申请已经处理过了。"), code="claim_not_in_review")
    return claim, line


def _owed(claim: Claim, line: OrderLine) -> rules.Verdict:
    """What the claim is owed now, as the buyer claimed it (the higher of the price seen and the feed's)."""
    comparable = max(claim.comparable_fen or 0, claim.price_seen_fen)
    facts = queries.line_facts(line, claim.enrollment)
    _lock_buyer(claim.buyer_id)
    history = queries.history(claim.buyer_id, claim.url_key, [], clock.now())
    return rules.payable(facts, comparable, history, queries.limits())


def approve(ops, claim_id: int, amount_fen: int | None = None) -> Claim:
    """Ops approve a claim in review: the amount it is owed, or less when ops say so (never more)."""
    require_role(ops, "ops")
    with transaction.atomic():
        claim, line = _lock_review(claim_id)
        owed = _owed(claim, line)
        if owed.state != rules.State.APPROVED:
            refusal = owed.reason or rules.NOTHING_LEFT
            raise Conflict(refusal, code=refusal.code)
        if amount_fen is not None:
            if isinstance(amount_fen, bool) or not 0 < amount_fen <= owed.compensation_fen:
                raise AnxinError(
                    _("赔付金额须在 0.01 元到应赔金额之间。"),
                    code="claim_amount_invalid",
                    fields={"amount_fen": _("金额超出范围")},
                )
            owed = rules.Verdict(rules.State.APPROVED, None, owed.comparable_fen, amount_fen)
        _apply(claim, line, owed, decided_by="ops", reviewer=ops)
    return claim


def reject(ops, claim_id: int, reason: object) -> Claim:
    """Ops refuse a claim in review, saying why in words the buyer reads."""
    require_role(ops, "ops")
    why = clean_text(reason, field="reason", max_length=REASON_MAX)
    with transaction.atomic():
        claim, line = _lock_review(claim_id)
        claim.decided_by, claim.reviewer, claim.decided_at = "ops", ops, clock.now()
        claim.state, claim.reason_code, claim.reason = Claim.State.REJECTED, "claim_rejected_by_ops", why
        claim.reason_message = {}
        claim.save()
        deadlines.cancel(REVIEW_DUE, claim.pk)
        events.record("claim.rejected", claim, {"decided_by": "ops", "reason": why}, actor=ops)
    return claim


def review_due(claim_id: int) -> None:
    """The worker at a review's deadline: the claim stays for a person, recorded overdue (see the module)."""
    with transaction.atomic():
        try:
            claim, _line = _lock_review(claim_id)
        except (NotFound, Conflict):
            return  # decided in the meantime
        events.record("claim.overdue", claim, {"signals": claim.signals})
