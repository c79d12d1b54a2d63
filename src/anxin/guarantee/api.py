"""The price guarantee under /api/: enrollment, the price feed, claims and price protection."""

from datetime import datetime

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema

from anxin.core import clock, idempotency
from anxin.core.errors import translate
from anxin.guarantee.queries import protection as protection_queries
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
