"""The price guarantee under /api/: enrollment, the price feed, claims and price protection."""

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Field, File, Form, Router, Schema, UploadedFile

from anxin.core import clock, idempotency
from anxin.core.errors import translate
from anxin.core.images import image_url
from anxin.core.permissions import require_role
from anxin.core.schemas import Input
from anxin.guarantee.models import Claim
from anxin.guarantee.queries import claims as claim_queries
from anxin.guarantee.queries import protection as protection_queries
from anxin.guarantee.services import claims as claim_services
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


class ClaimOut(Schema):
    """A claim and its decision: `state` review / approved / rejected, `reason_code` and `reason` (in the
    request's language) why, `compensation_fen` paid, `due_at` while a person is to decide."""

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


class OpsClaimOut(ClaimOut):
    """What ops weigh side by side: the evidence, the feed's offer and capture, the matcher's reasons, the
    fraud signals, and whether the deadline has passed."""

    buyer_id: int
    signals: list[str]
    match_probability: float | None
    match_reasons: list[str]
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
        **{name: getattr(claim, name) for name in ClaimOut.model_fields if name not in ("id", "reason", "screenshots")},
        "id": claim.pk,
        "reason": translate_reason(claim),
        "screenshots": shots,
    }


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
        "match_reasons": list(claim.match_reasons),
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
