"""The price guarantee under /api/: enrollment, the price feed, claims and price protection."""

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile

from anxin.core import clock, idempotency
from anxin.core.errors import AnxinError, translate
from anxin.core.images import image_url
from anxin.core.permissions import require_role
from anxin.core.schemas import Input, paginate
from anxin.guarantee import rules_enrollment
from anxin.guarantee.models import Campaign, Claim, Enrollment, FeedImport
from anxin.guarantee.queries import claims as claim_queries
from anxin.guarantee.queries import enrollment as enrollment_queries
from anxin.guarantee.queries import feed as feed_queries
from anxin.guarantee.queries import protection as protection_queries
from anxin.guarantee.services import claims as claim_services
from anxin.guarantee.services import enrollment as enrollment_services
from anxin.guarantee.services import feed as feed_services
from anxin.guarantee.services import protection as protection_services
from anxin.orders import services as orders

router = Router(tags=["guarantee"])


# --- 价保 price protection -----------------------------------------------------------------------------------


class ProtectionLineOut(Schema):
    """One line's 价保 now: its window, the lowest list price seen in it, what was paid back and what is owed;
    `claimable` while 申请价保 can pay, else `why_not_code` and `why_not` say why."""

    line_id: int
    title: str
    days: int
    starts_at: datetime | None
    ends_at: datetime | None
    paid_unit_fen: int
    lowest_unit_fen: int
    protected_fen: int
    owed_fen: int
    claimable: bool
    why_not_code: str
    why_not: str


class ProtectionOut(Schema):
    order_id: int
    lines: list[ProtectionLineOut]


def _protection_line(row: protection_queries.LineProtection, now: datetime) -> dict:
    assessment, window = row.assessment, row.assessment.window
    return {
        "line_id": row.line.pk,
        "title": row.line.title,
        "days": row.days,
        "starts_at": window.start if window else None,
        "ends_at": window.end if window else None,
        "paid_unit_fen": row.line.unit_price_fen,
        "lowest_unit_fen": assessment.lowest_fen,
        "protected_fen": row.protected_fen,
        "owed_fen": assessment.owed_fen,
        "claimable": row.claimable(now),
        "why_not_code": assessment.refusal.code if assessment.refusal else "",
        "why_not": translate(assessment.refusal) if assessment.refusal else "",
    }


def _protection_of(request: HttpRequest, order_id: int) -> dict:
    order = orders.own_order(request.auth, order_id)
    now = clock.now()
    rows = protection_queries.order_protection(order, now)
    return ProtectionOut(order_id=order.pk, lines=[_protection_line(row, now) for row in rows]).model_dump(mode="json")


@router.get("/orders/{order_id}/price-protection", response=ProtectionOut, tags=["orders"])
def price_protection(request: HttpRequest, order_id: int):
    """价保 of each line of the buyer's order that offers it (another's order is 404)."""
    return _protection_of(request, order_id)


@router.post("/orders/{order_id}/lines/{line_id}/price-protection", response={201: ProtectionOut}, tags=["orders"])
def claim_price_protection(request: HttpRequest, order_id: int, line_id: int):
    """申请价保: pay the line what it is owed now, exactly as the worker would after a price drop. Nothing owed
    is a 409 saying why (`protection_not_lower`, `protection_already_paid`, `protection_expired`, ...).
    With an `Idempotency-Key`, a retry answers the first answer and pays nothing again."""

    def work() -> tuple[int, dict]:
        protection_services.claim_protection(request.auth, order_id, line_id)
        return 201, _protection_of(request, order_id)

    payload = {"order_id": order_id, "line_id": line_id}
    status, body = idempotency.run_once(request, "guarantee.price_protection", payload, work)
    return JsonResponse(body, status=status)


# --- 买贵必赔 claims ------------------------------------------------------------------------------------------

SCREENSHOTS = File(None, description="Up to 3 screenshots (multipart field `screenshots`, repeated): JPEG, PNG, WebP.")


class ClaimIn(Input):
    """The evidence: `platform` one of jd, tmall, taobao, pdd, douyin, suning; `url` https on that platform's
    own site; `price_seen` in yuan as text (`89.90`, at most two decimals); `pay_to` original or coupon."""

    platform: str = Field(..., max_length=20)
    url: str = Field(..., max_length=2000)
    title: str = Field(..., max_length=2000)
    price_seen: str = Field(..., max_length=40)
    spec_text: str = Field("", max_length=2000)
    pay_to: str = Field("original", max_length=20)


class ClaimFormIn(Schema):
    """The same evidence as a multipart form, with the screenshots (a missing field is the service's refusal)."""

    platform: str = Field("", max_length=20)
    url: str = Field("", max_length=2000)
    title: str = Field("", max_length=2000)
    price_seen: str = Field("", max_length=40)
    spec_text: str = Field("", max_length=2000)
    pay_to: str = Field("original", max_length=20)


class ScreenshotOut(Schema):
    url: str
    small_url: str
    phash: str


class MatchReasonOut(Schema):
    """One aspect the product matcher compared: `verdict` same / different / unknown, each side's value, and
    `text`, the whole reason in the request's language."""

    aspect: str
    verdict: str
    ours: str
    theirs: str
    text: str


class ClaimOut(Schema):
    """A claim and its decision: `state` review / approved / rejected, `reason_code` and `reason` (in the
    request's language) why, `differences` what told the products apart when the matcher refused it,
    `compensation_fen` paid, `due_at` while a person is to decide."""

    id: int
    order_id: int
    line_id: int
    platform: str
    url: str
    title: str
    price_seen_fen: int
    spec_text: str
    pay_to: str
    state: str
    decided_by: str
    reason_code: str
    reason: str
    comparable_fen: int | None
    multiplier: int
    compensation_fen: int
    created_at: datetime
    due_at: datetime | None
    decided_at: datetime | None
    screenshots: list[ScreenshotOut]
    differences: list[MatchReasonOut]


class OpsClaimOut(ClaimOut):
    """What ops weigh side by side: the evidence, the feed's offer and capture, the matcher's reasons, the
    fraud signals, and whether the deadline has passed."""

    buyer_id: int
    signals: list[str]
    match_probability: float | None
    match_reasons: list[MatchReasonOut]
    offer: dict[str, Any] | None
    overdue: bool


class ApproveIn(Input):
    amount_fen: int | None = None


class RejectClaimIn(Input):
    reason: str = Field(..., max_length=2000)


def _claim_fields(claim: Claim) -> dict[str, Any]:
    shots = [
        {"url": image_url(s.image), "small_url": image_url(s.image_small), "phash": s.phash}
        for s in claim.screenshots.all()
    ]
    return {
        **{name: getattr(claim, name) for name in ClaimOut.model_fields if name not in SPOKEN_FIELDS},
        "id": claim.pk,
        "reason": translate_reason(claim),
        "screenshots": shots,
        "differences": _reasons(claim_queries.differing_reasons(claim)),
    }


SPOKEN_FIELDS = ("id", "reason", "screenshots", "differences")  # made for the reader, not read off the claim


def _reasons(reasons: list[claim_queries.MatchReason]) -> list[dict[str, str]]:
    return [{**vars(reason), "text": reason.text} for reason in reasons]


def translate_reason(claim: Claim) -> str:
    """The stored reason in the request's language (an ops reason is shown as written)."""
    return claim_queries.reason_text(claim)


def _ops_fields(claim: Claim) -> dict[str, Any]:
    capture = claim.capture
    offer = claim.offer
    return {
        **_claim_fields(claim),
        "buyer_id": claim.buyer_id,
        "signals": list(claim.signals),
        "match_probability": claim.match_probability,
        "match_reasons": _reasons(claim_queries.match_reasons(claim)),
        "offer": None
        if offer is None
        else {
            "title": offer.title,
            "brand": offer.brand,
            "model": offer.model,
            "spec": offer.spec,
            "price_fen": capture.price_fen if capture else offer.price_fen,
            "shipping_fen": capture.shipping_fen if capture else offer.shipping_fen,
            "price_type": capture.price_type if capture else offer.price_type,
            "captured_at": (capture.captured_at if capture else offer.captured_at).isoformat(),
        },
        "overdue": claim_queries.is_overdue(claim, clock.now()),
    }


def _claim_json(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    claim = claim_queries.buyer_claim(request.auth, claim_id)
    return ClaimOut(**_claim_fields(claim)).model_dump(mode="json")


def _digest(upload: UploadedFile) -> str:
    """A screenshot's fingerprint, so a retry with other pictures under the same key is 409."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _file_claim(request: HttpRequest, order_id: int, line_id: int, fields: dict, uploads: list) -> JsonResponse:
    """File once per `Idempotency-Key` (the claim's key too; without one, a fresh key: a new claim)."""
    key = idempotency.key_from(request) or secrets.token_hex(16)
    evidence = claim_services.Evidence(**fields)

    def work() -> tuple[int, dict[str, Any]]:
        claim = claim_services.open_claim(request.auth, order_id, line_id, evidence, uploads, key)
        return 201, _claim_json(request, claim.pk)

    payload = {"order_id": order_id, "line_id": line_id, **fields, "screenshots": [_digest(u) for u in uploads]}
    status, body = idempotency.run_once(request, "guarantee.price_claim", payload, work)
    return JsonResponse(body, status=status)


@router.post("/orders/{order_id}/lines/{order_line_id}/price-claims", response={201: ClaimOut}, tags=["orders"])
def open_price_claim(request: HttpRequest, order_id: int, order_line_id: int, payload: ClaimIn):
    """买贵必赔: claim the difference to a lower price seen elsewhere, decided at once (paid, refused with the
    reason, or `review` by a person within 48 hours). Bad evidence is a 400 with its code
    (`listing_url_not_https`, `listing_not_on_platform`, `unknown_platform`, `claim_price_invalid`, ...)
    and writes nothing; another buyer's order is 404. Screenshots: `POST .../price-claims/images`."""
    return _file_claim(request, order_id, order_line_id, payload.dict(), [])


@router.post("/orders/{order_id}/lines/{order_line_id}/price-claims/images", response={201: ClaimOut}, tags=["orders"])
def open_price_claim_with_screenshots(
    request: HttpRequest,
    order_id: int,
    order_line_id: int,
    payload: Form[ClaimFormIn],
    screenshots: list[UploadedFile] | None = SCREENSHOTS,
):
    """The same claim as a multipart form with up to 3 screenshots; refused pictures (`image_type`,
    `image_too_big`, `image_unreadable`, `too_many_images`) write nothing and keep no file."""
    orders.own_order(request.auth, order_id)  # another's order is 404 before its form is judged
    return _file_claim(request, order_id, order_line_id, payload.dict(), list(screenshots or []))


@router.get("/price-claims", response=list[ClaimOut])
def my_price_claims(request: HttpRequest):
    """我的买贵必赔: the buyer's claims, newest first."""
    require_role(request.auth, "buyer")
    return [_claim_fields(claim) for claim in claim_queries.buyer_claims(request.auth)]


@router.get("/price-claims/{claim_id}", response=ClaimOut)
def my_price_claim(request: HttpRequest, claim_id: int):
    """One of the buyer's claims with its decision and screenshots; another buyer's is 404."""
    require_role(request.auth, "buyer")
    return _claim_fields(claim_queries.buyer_claim(request.auth, claim_id))


@router.get("/ops/price-claims", response=list[OpsClaimOut], tags=["ops"])
def price_claim_queue(request: HttpRequest):
    """The claims waiting for a person, the nearest deadline first, with the evidence, the feed's offer, the
    matcher's reasons and the fraud signals."""
    require_role(request.auth, "ops")
    return [_ops_fields(claim) for claim in claim_queries.review_queue()]


@router.post("/ops/price-claims/{claim_id}/approve", response=OpsClaimOut, tags=["ops"])
def approve_price_claim(request: HttpRequest, claim_id: int, payload: ApproveIn):
    """Pay a claim in review what it is owed (or `amount_fen`, never more); decided already is 409."""
    claim = claim_services.approve(request.auth, claim_id, payload.amount_fen)
    return _ops_fields(claim_queries.ops_claim(claim.pk))


@router.post("/ops/price-claims/{claim_id}/reject", response=OpsClaimOut, tags=["ops"])
def reject_price_claim(request: HttpRequest, claim_id: int, payload: RejectClaimIn):
    """Refuse a claim in review with the reason the buyer will read."""
    claim = claim_services.reject(request.auth, claim_id, payload.reason)
    return _ops_fields(claim_queries.ops_claim(claim.pk))


# --- 买贵必赔 enrollment: a shop's own SKUs ------------------------------------------------------------------


class EnrollmentOut(Schema):
    id: int
    sku_id: int
    source: str
    campaign_id: int | None
    multiplier: int
    starts_at: datetime
    ends_at: datetime | None


class SellerSkuOut(Schema):
    """One of the shop's SKUs: `enrolled` when the shop put it under 买贵必赔, `multiplier` what is in force now
    (a campaign may double it; 0 when none)."""

    sku_id: int
    product_id: int
    title: str
    code: str
    price_fen: int
    enrolled: bool
    multiplier: int


def _seller_sku(row: enrollment_queries.SkuEnrollment) -> dict:
    sku = row.sku
    return {
        "sku_id": sku.pk,
        "product_id": sku.product_id,
        "title": sku.product.title,
        "code": sku.code,
        "price_fen": sku.price_fen,
        "enrolled": row.by_merchant,
        "multiplier": row.multiplier,
    }


@router.get("/seller/guarantee/skus", response=list[SellerSkuOut], tags=["seller"])
@paginate
def seller_skus(request: HttpRequest, **kwargs):
    """The shop's active SKUs and their 买贵必赔 state now."""
    require_role(request.auth, "merchant_staff")
    rows = enrollment_queries.merchant_skus(request.auth.merchant_id, clock.now())
    return [_seller_sku(row) for row in rows]


@router.post("/seller/guarantee/skus/{sku_id}/enroll", response={201: EnrollmentOut}, tags=["seller"])
def enroll_sku(request: HttpRequest, sku_id: int) -> tuple[int, Enrollment]:
    """Put one of the shop's SKUs under 买贵必赔 from now (again: the same enrollment). Another shop's is 404."""
    return 201, enrollment_services.enroll_sku(request.auth, sku_id)


@router.post("/seller/guarantee/skus/{sku_id}/unenroll", response=EnrollmentOut, tags=["seller"])
def unenroll_sku(request: HttpRequest, sku_id: int) -> Enrollment:
    """Take the SKU out of 买贵必赔 from now; orders paid before keep it. Not enrolled is a 409 `not_enrolled`."""
    return enrollment_services.end_sku_enrollment(request.auth, sku_id)


# --- 买贵必赔 campaigns (ops) ------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    name: str
    multiplier: int
    starts_at: datetime
    ends_at: datetime
    sku_count: int = 0


class CampaignIn(Input):
    name: str = Field(..., max_length=200)
    multiplier: int = Field(..., description="1, or 2 for 买贵双倍赔")
    starts_at: datetime = Field(..., strict=False, description="ISO 8601 with an offset")
    ends_at: datetime = Field(..., strict=False, description="ISO 8601 with an offset, after starts_at")


class CampaignSkusIn(Input):
    sku_ids: list[int] = Field(..., max_length=rules_enrollment.CAMPAIGN_SKUS_MAX * 2)


@router.get("/ops/guarantee/campaigns", response=list[CampaignOut], tags=["ops"])
@paginate
def campaigns(request: HttpRequest, **kwargs):
    require_role(request.auth, "ops")
    return enrollment_queries.campaigns()


@router.post("/ops/guarantee/campaigns", response={201: CampaignOut}, tags=["ops"])
def create_campaign(request: HttpRequest, payload: CampaignIn) -> tuple[int, Campaign]:
    """A campaign of `multiplier` 1 or 2 for its window; bad terms are a 400 naming each field."""
    _aware(payload.starts_at, payload.ends_at)
    return 201, enrollment_services.create_campaign(
        request.auth,
        name=payload.name,
        multiplier=payload.multiplier,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
    )


def _aware(*moments: datetime) -> None:
    if any(moment.tzinfo is None for moment in moments):
        raise AnxinError(_("时间须带时区，如 +08:00。"), code="naive_datetime")


@router.get("/ops/guarantee/campaigns/{campaign_id}", response=CampaignOut, tags=["ops"])
def campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    require_role(request.auth, "ops")
    return enrollment_queries.campaign(campaign_id)


@router.post("/ops/guarantee/campaigns/{campaign_id}/skus", response={201: list[EnrollmentOut]}, tags=["ops"])
def enroll_in_campaign(request: HttpRequest, campaign_id: int, payload: CampaignSkusIn):
    """Enroll SKUs by id for the campaign's window (those already in it are left); an unknown id refuses all."""
    return 201, enrollment_services.enroll_in_campaign(request.auth, campaign_id, payload.sku_ids)


@router.post("/ops/guarantee/campaigns/{campaign_id}/end", response={204: None}, tags=["ops"])
def end_campaign(request: HttpRequest, campaign_id: int):
    """End the campaign now (one not yet begun is called off); an ended one is a 409 `campaign_ended`."""
    enrollment_services.end_campaign(request.auth, campaign_id)
    return 204, None


# --- the price feed (ops) --------------------------------------------------------------------------------


class BadRowOut(Schema):
    line: int
    code: str
    reason: str


class FeedImportOut(Schema):
    """An import's progress (`rows_done` grows while `state` is queued or running) and its first bad rows."""

    id: int
    file_name: str
    state: str
    rows_done: int
    rows_good: int
    rows_bad: int
    failure: str
    created_at: datetime
    finished_at: datetime | None
    bad_rows: list[BadRowOut]

    @staticmethod
    def resolve_bad_rows(feed_import: FeedImport) -> list[dict]:
        return [
            {"line": line, "code": reason.code, "reason": translate(reason)}
            for line, reason in feed_queries.bad_rows(feed_import)
        ]


class OfferOut(Schema):
    id: int
    platform: str
    url: str
    title: str
    brand: str
    model: str
    spec: str
    price_fen: int
    shipping_fen: int
    price_type: str
    captured_at: datetime


class OfferFilters(Schema):
    platform: str = Field("", max_length=20)
    url: str = Field("", max_length=500)


FEED_FILE = File(None, description="the feed (multipart field `file`): .csv or .jsonl")


@router.post("/ops/guarantee/feed-imports", response={202: FeedImportOut}, tags=["ops"])
def upload_feed(request: HttpRequest, file: UploadedFile | None = FEED_FILE):
    """Upload a price feed (multipart field `file`): the worker imports it; poll the import for its progress."""
    return 202, feed_services.start_upload(request.auth, file)


@router.get("/ops/guarantee/feed-imports/{feed_import_id}", response=FeedImportOut, tags=["ops"])
def feed_import(request: HttpRequest, feed_import_id: int) -> FeedImport:
    require_role(request.auth, "ops")
    return feed_queries.feed_import(feed_import_id)


@router.get("/ops/guarantee/offers", response=list[OfferOut], tags=["ops"])
@paginate
def offers(request: HttpRequest, filters: Query[OfferFilters], **kwargs):
    """Competitor offers, the latest captured first: of one `platform`, of one listing `url` (as any spelling)."""
    require_role(request.auth, "ops")
    return feed_queries.offers(filters.platform, filters.url)
