"""Coupons under /api/: a buyer's own coupons; ops and a shop's staff issue them."""

from collections.abc import Callable
from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from anxin.core import idempotency
from anxin.core.errors import AnxinError
from anxin.core.permissions import require_role
from anxin.core.schemas import Input
from anxin.coupons import queries, rules, services
from anxin.coupons.models import Coupon

router = Router(tags=["coupons"])


class CouponOut(Schema):
    id: int
    issuer_kind: str
    merchant_id: int | None
    amount_fen: int
    threshold_fen: int
    valid_from: datetime
    valid_to: datetime
    reason: str
    state: str
    used_fen: int
    checkout_id: int | None


class IssueIn(Input):
    """A coupon for a buyer named by username; `reason` is `campaign` or `goodwill`."""

    buyer: str = Field(..., max_length=150)
    amount_fen: int
    threshold_fen: int = 0
    valid_days: int = 30
    reason: str = rules.CAMPAIGN


def _key(request: HttpRequest) -> str:
    key = idempotency.key_from(request)
    if key is None:
        raise AnxinError(
            _("发券请求需要 Idempotency-Key 请求头，以免重复发券。"),
            code="idempotency_key_required",
            fields={idempotency.HEADER: _("必填")},
        )
    return key


@router.get("/coupons", response=list[CouponOut])
def my_coupons(request: HttpRequest, tab: str = rules.AVAILABLE):
    """The signed-in buyer's coupons in one tab: `available` (default), `used` or `expired`."""
    require_role(request.auth, "buyer")
    if tab not in queries.TABS:
        raise AnxinError(_("未知的分类。"), code="invalid_tab", fields={"tab": "available | used | expired"})
    return list(queries.wallet(request.auth, tab)[:200])


@router.post("/ops/coupons", response={201: CouponOut}, tags=["ops"])
def issue_by_ops(request: HttpRequest, payload: IssueIn) -> tuple[int, Coupon]:
    """Ops issue a platform coupon. The same `Idempotency-Key` returns the coupon it first issued."""
    return 201, _issued(request, payload, services.issue_by_ops)


@router.post("/seller/coupons", response={201: CouponOut}, tags=["seller"])
def issue_by_merchant(request: HttpRequest, payload: IssueIn) -> tuple[int, Coupon]:
    """A shop's staff issue a coupon for their own shop, paid from what the platform owes the shop."""
    return 201, _issued(request, payload, services.issue_by_merchant)


def _issued(request: HttpRequest, payload: IssueIn, service: Callable[..., Coupon]) -> Coupon:
    terms = (payload.amount_fen, payload.threshold_fen, payload.valid_days, payload.reason)
    return service(request.auth, payload.buyer, *terms, key=_key(request))


@router.post("/coupons/{coupon_id}/revoke", response=CouponOut, tags=["ops", "seller"])
def revoke(request: HttpRequest, coupon_id: int):
    """Ops (any coupon) or a shop's staff (its own) withdraw a coupon not yet used."""
    return services.revoke(request.auth, coupon_id)
