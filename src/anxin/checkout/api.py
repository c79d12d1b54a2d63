"""Cart, checkout and payment under /api/: where a buyer's cart becomes paid orders."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from anxin.catalog import search
from anxin.catalog.api import SearchHit, SearchParams
from anxin.checkout import services
from anxin.checkout.models import Cart
from anxin.core import idempotency
from anxin.core.errors import AnxinError, NotFound
from anxin.core.permissions import require_role
from anxin.core.schemas import Input, paginate
from anxin.geo.data import PROVINCE_BY_CODE
from anxin.orders import queries as order_queries
from anxin.orders.api import OrderOut
from anxin.payments import provider
from anxin.payments.api import PaymentNotificationIn, signed_notification
from anxin.shipping import queries as shipping

router = Router(tags=["checkout"])

# A row id the database can hold: a bigger number names nothing and is a 422 naming its field, never a query.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class CartLineIn(Input):
    """A SKU with its quantity and personalization answers: a cart line, or the one item bought now."""

    sku_id: int
    quantity: int = 1
    answers: dict[str, Any] = {}


class QuantityIn(Input):
    quantity: int


class CartLineOut(Schema):
    id: int
    sku_id: int
    product_id: int
    title: str
    spec: dict[str, str]
    answers: list[dict[str, Any]]
    quantity: int
    unit_price_fen: int
    merchant_id: int
    selected: bool

    @staticmethod
    def resolve_product_id(line) -> int:
        return line.sku.product_id

    @staticmethod
    def resolve_title(line) -> str:
        return line.sku.product.title

    @staticmethod
    def resolve_spec(line) -> dict:
        return line.sku.spec

    @staticmethod
    def resolve_unit_price_fen(line) -> int:
        return services.cart_unit_price(line)

    @staticmethod
    def resolve_merchant_id(line) -> int:
        return line.sku.product.merchant_id


class CartOut(Schema):
    lines: list[CartLineOut]


class SelectionIn(Input):
    """Tick (`selected: true`) or untick the lines named, one shop's lines, or (neither given) every line."""

    selected: bool
    line_ids: list[RowId] | None = Field(None, max_length=200)
    merchant_id: RowId | None = None


class CheckoutIn(Input):
    """`line_ids` names the cart lines to buy (default: the selected ones); `buy_now` is one item bought at once,
    which leaves the cart as it is. At most one of the two. `coupon_ids`: the buyer's coupons to use (at most one
    platform coupon, one per shop; `GET /api/coupons` lists them)."""

    address_id: int
    line_ids: list[RowId] | None = Field(None, max_length=200)
    buy_now: CartLineIn | None = None
    coupon_ids: list[RowId] = Field([], max_length=20)


class CheckoutOut(Schema):
    id: int
    state: str
    total_fen: int  # what the buyer pays: the orders' totals less their coupon discounts
    pay_by: datetime
    orders: list[OrderOut]

    @staticmethod
    def resolve_orders(checkout) -> list:
        return list(order_queries.checkout_orders(checkout.pk))


class PaymentOut(Schema):
    id: int
    checkout_id: int
    amount_fen: int
    state: str
    pay_url: str


def _payment_out(payment) -> dict:
    return {
        "id": payment.pk,
        "checkout_id": payment.checkout.pk,
        "amount_fen": payment.amount_fen,
        "state": payment.state,
        "pay_url": provider.pay_url(payment),
    }


class Received(Schema):
    status: str
    payment_id: int
    payment_state: str


# --- cart ----------------------------------------------------------------------------------------------


def _cart_out(buyer) -> dict:
    cart = Cart.objects.filter(buyer=buyer).first()
    if cart is None:
        return {"lines": []}
    return {"lines": list(cart.lines.select_related("sku", "sku__product").order_by("pk"))}


class StorefrontSearchParams(SearchParams):
    free_to: str = Field("", max_length=6, description="包邮: only products that ship free to this province (its code)")


@router.get("/search", auth=None, response=list[SearchHit], tags=["catalog"])
@paginate
def search_products(request: HttpRequest, params: Query[StorefrontSearchParams]):
    """The storefront's search with its 包邮 filter (`free_to`, a province code such as 650000), which needs
    the shipping templates and so lives here."""
    if params.free_to and params.free_to not in PROVINCE_BY_CODE:
        message = _("找不到这个省份代码")
        raise AnxinError(message, code="unknown_province", fields={"free_to": message})
    ships_free = shipping.free_shipping_products(params.free_to) if params.free_to else None
    return search.results(params.asked(free_shipping=ships_free is not None), ships_free=ships_free)


@router.get("/cart", response=CartOut, tags=["cart"])
def get_cart(request: HttpRequest):
    require_role(request.auth, "buyer")
    return _cart_out(request.auth)


@router.post("/cart/lines", response={201: CartOut}, tags=["cart"])
def add_cart_line(request: HttpRequest, payload: CartLineIn):
    """Add a SKU with its personalization answers: `{"answers": {"<question id>": "text" or [option ids]}}`."""
    services.add_to_cart(request.auth, payload.sku_id, payload.quantity, payload.answers)
    return 201, _cart_out(request.auth)


@router.patch("/cart/lines/{line_id}", response=CartOut, tags=["cart"])
def set_cart_quantity(request: HttpRequest, line_id: int, payload: QuantityIn):
    services.set_cart_quantity(request.auth, line_id, payload.quantity)
    return _cart_out(request.auth)


@router.delete("/cart/lines/{line_id}", response=CartOut, tags=["cart"])
def remove_cart_line(request: HttpRequest, line_id: int):
    services.remove_cart_line(request.auth, line_id)
    return _cart_out(request.auth)


@router.put("/cart/selection", response=CartOut, tags=["cart"])
def select_cart_lines(request: HttpRequest, payload: SelectionIn):
    """The cart's checkboxes: which lines a checkout without `line_ids` buys. Unknown line ids answer 404
    `cart_line_not_found` and change nothing."""
    services.select_cart_lines(
        request.auth, payload.selected, line_ids=payload.line_ids, merchant_id=payload.merchant_id
    )
    return _cart_out(request.auth)


# --- checkout and payment ------------------------------------------------------------------------------


@router.post("/checkouts", response={201: CheckoutOut}, tags=["checkout"])
def place_order(request: HttpRequest, payload: CheckoutIn):
    """Place the cart's selected lines (or `line_ids`, or the one `buy_now` item) as one checkout, one order per
    merchant. Send an `Idempotency-Key` header: the same key returns the same checkout, so a retry never orders
    twice; the same key with another address or selection is refused (409 `idempotency_key_reused`)."""
    key = idempotency.key_from(request)
    if key is None:
        raise AnxinError(
            _("下单请求需要 Idempotency-Key 请求头，以免重复下单。"),
            code="idempotency_key_required",
            fields={idempotency.HEADER: _("必填")},
        )
    item = payload.buy_now
    checkout = services.place_order(
        request.auth,
        address_id=payload.address_id,
        idempotency_key=key,
        line_ids=payload.line_ids,
        buy_now=services.BuyNow(item.sku_id, item.quantity, item.answers) if item else None,
        coupon_ids=payload.coupon_ids,
    )
    return 201, checkout


@router.get("/checkouts/{checkout_id}", response=CheckoutOut, tags=["checkout"])
def get_checkout(request: HttpRequest, checkout_id: int):
    return services.own_checkout(request.auth, checkout_id)


@router.post("/checkouts/{checkout_id}/payment", response={201: PaymentOut}, tags=["payments"])
def start_payment(request: HttpRequest, checkout_id: int):
    """Open the checkout's payment; send the buyer to `pay_url`, the provider's page.
    With an `Idempotency-Key`, a retry returns exactly the first answer."""

    def work() -> tuple[int, dict]:
        payment = services.start_payment(request.auth, checkout_id)
        return 201, _payment_out(payment)

    return idempotency.run_once(request, "start_payment", {"checkout_id": checkout_id}, work)


@router.post("/payments/{payment_id}/simulate", response=PaymentOut, tags=["payments"])
def simulate_payment(request: HttpRequest, payment_id: int, approve: bool = True):
    """The simulated provider: the buyer approves (or declines) and the provider notifies us, signed.
    Answers 404 unless `ANXIN_PAYMENT_PROVIDER=simulated`."""
    if not provider.is_simulated():
        raise NotFound(_("找不到这个对象。"))
    return _payment_out(services.simulate_provider_approval(request.auth, payment_id, approve=approve))


@router.post(
    "/payments/callback",
    auth=None,
    response=Received,
    tags=["payments"],
    openapi_extra=signed_notification(PaymentNotificationIn),
)
def payment_callback(request: HttpRequest):
    """The provider's server-to-server notification, signed with HMAC-SHA256 in `X-Anxin-Signature`."""
    signature = request.headers.get(provider.SIGNATURE_HEADER, "")
    payment = services.handle_payment_notification(request.body, signature)
    return {"status": "ok", "payment_id": payment.pk, "payment_state": payment.state}
