"""The price guarantee under /api/: enrollment, the price feed, claims and price protection."""

from datetime import datetime

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, UploadedFile

from anxin.core import clock, idempotency
from anxin.core.errors import AnxinError, translate
from anxin.core.permissions import require_role
from anxin.core.schemas import Input, paginate
from anxin.guarantee import rules_enrollment
from anxin.guarantee.models import Campaign, Enrollment, FeedImport
from anxin.guarantee.queries import enrollment as enrollment_queries
from anxin.guarantee.queries import feed as feed_queries
from anxin.guarantee.queries import protection as protection_queries
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
