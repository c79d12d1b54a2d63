"""Cart, checkout and payment: the only code that changes carts and turns them into paid orders.

Quotes (shipping), and later coupons and instant offers, meet here. Locks are always taken in the same
order: cart -> checkout -> payment -> orders (by pk) -> stock (by pk), so two operations on the same
checkout queue instead of deadlocking.
"""

import hashlib
import json
import secrets
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anxin.accounts.services import owned_address
from anxin.catalog import rules as catalog_rules
from anxin.catalog.models import SKU
from anxin.catalog.queries import question_specs_for
from anxin.checkout.models import Cart, CartLine
from anxin.core import clock, config, deadlines, events
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.money import format_fen
from anxin.core.permissions import require_role
from anxin.geo.queries import regions_by_code
from anxin.inventory import services as inventory
from anxin.orders import rules as order_rules
from anxin.orders import services as order_services
from anxin.orders.models import Checkout, Order, OrderLine
from anxin.payments import services as payments
from anxin.payments.models import Payment
from anxin.shipping import queries as shipping
from anxin.shipping import rules as shipping_rules

# --- cart ---------------------------------------------------------------------------------------------


def _require_buyer(user) -> None:
    require_role(user, "buyer")


def _quantity(value: Any, field: str = "quantity") -> int:
    limit = config.get("orders.max_quantity_per_line")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise AnxinError(
            _("数量须为 1 到 %(max)d 之间的整数。") % {"max": limit},
            code="invalid_quantity",
            fields={field: _("须为 1–%(max)d") % {"max": limit}},
        )
    return value


def cart_of(buyer) -> Cart:
    cart, _created = Cart.objects.get_or_create(buyer=buyer)
    return cart


def _buyable_sku(sku_id: Any) -> SKU:
    sku = None
    if isinstance(sku_id, int) and not isinstance(sku_id, bool):
        sku = (
            SKU.objects.select_related("product", "product__merchant", "stock")
            .filter(pk=sku_id, is_active=True, product__is_active=True, product__merchant__is_active=True)
            .first()
        )
    if sku is None:
        raise AnxinError(
            _("找不到这个商品规格，或它已下架。"), code="unknown_sku", fields={"sku_id": _("不存在或已下架")}
        )
    return sku


def _validated_answers(sku: SKU, specs: list[catalog_rules.QuestionSpec], raw: Any) -> catalog_rules.Answers:
    if raw is not None and not isinstance(raw, dict):
        raise AnxinError(_("定制内容格式不正确。"), code="invalid_personalization", fields={"answers": _("须为对象")})
    try:
        return catalog_rules.validate_answers(specs, raw)
    except catalog_rules.PersonalizationInvalid as exc:
        raise AnxinError(
            _("定制内容有误，请按提示修改。"),
            code="invalid_personalization",
            fields={f"answers.{key}": message for key, message in exc.errors.items()},
        ) from None


def _refuse_beyond_stock(sku: SKU, quantity: int) -> None:
    """A cart line never asks for more than is on the shelf now; checkout checks again under the stock lock."""
    available = getattr(getattr(sku, "stock", None), "available", 0)
    if quantity > available:
        raise inventory.OutOfStock(
            _("库存不足：仅剩 %(n)d 件。") % {"n": available},
            fields={"quantity": _("最多 %(n)d") % {"n": available}},
        )


def add_to_cart(buyer, sku_id: Any, quantity: Any, answers: Any = None) -> CartLine:
    """Add a SKU with its personalization; the same SKU with the same answers adds to the existing line."""
    _require_buyer(buyer)
    quantity = _quantity(quantity)
    sku = _buyable_sku(sku_id)
    validated = _validated_answers(sku, question_specs_for([sku.product_id])[sku.product_id], answers)
    key = catalog_rules.line_key(sku.pk, validated.items)
    with transaction.atomic():
        cart = cart_of(buyer)
        line = CartLine.objects.select_for_update().filter(cart=cart, line_key=key).first()
        total = quantity + (line.quantity if line else 0)
        _quantity(total)
        _refuse_beyond_stock(sku, total)
        if line:
            line.quantity = total
            line.save(update_fields=["quantity"])
            return line
        if cart.lines.count() >= config.get("orders.max_lines_per_cart"):
            raise Conflict(_("购物车已满，请先结算或删除一些商品。"), code="cart_full")
        return CartLine.objects.create(
            cart=cart, sku=sku, line_key=key, answers=validated.items, quantity=quantity, added_at=clock.now()
        )


def _lock_cart(buyer) -> None:
    """Every change of a buyer's cart lines and every checkout queue here first (DESIGN: locks)."""
    Cart.objects.select_for_update().filter(buyer=buyer).first()


def _locked_cart_line(buyer, line_id: int) -> CartLine:
    """The buyer's line, read and locked only after its cart is locked: a line removed by a concurrent
    request (another tab, a checkout) is then a 404, never a save that finds no row (a 500)."""
    _lock_cart(buyer)
    line = (
        CartLine.objects.select_for_update(of=("self",))
        .select_related("sku__stock")
        .filter(pk=line_id, cart__buyer=buyer)
        .first()
    )
    if line is None:
        raise NotFound(_("购物车里没有这件商品。"))
    return line


def set_cart_quantity(buyer, line_id: int, quantity: Any) -> CartLine:
    _require_buyer(buyer)
    quantity = _quantity(quantity)
    with transaction.atomic():
        line = _locked_cart_line(buyer, line_id)
        _refuse_beyond_stock(line.sku, quantity)
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    return line


def remove_cart_line(buyer, line_id: int) -> None:
    _require_buyer(buyer)
    with transaction.atomic():
        _locked_cart_line(buyer, line_id).delete()


# --- checkout -----------------------------------------------------------------------------------------


def _quote(items: list[tuple[CartLine, int]], templates, province_code: str) -> shipping_rules.Quote:
    origin = items[0][0].sku.product.merchant.origin_province_id
    lines = [
        shipping_rules.Line(
            template_id=line.sku.product.shipping_template_id or shipping.DEFAULT_TEMPLATE_ID,
            quantity=line.quantity,
            unit_price_fen=unit,
            weight_g=line.sku.weight_g,
            remote_ok=line.sku.product.remote_deliverable,
            product_id=line.sku.product_id,
            title=line.sku.product.title,
        )
        for line, unit in items
    ]
    return shipping_rules.quote(lines, templates, province_code, shipping.remote_program(), origin)


def _shipping_quote(items, templates, province_code: str) -> shipping_rules.Quote:
    """The merchant order's fee from its products' templates; refused with reasons when it cannot go there."""
    quote = _quote([(line, unit) for line, unit, _a in items], templates, province_code)
    if quote.refusals:
        raise AnxinError(
            _("有商品无法配送到这个地址，请从购物车移除后再下单。"),
            code="not_deliverable",
            fields={f"products.{r.product_id}": shipping.refusal_message(r) for r in quote.refusals},
        )
    return quote


def cart_unit_price(line: CartLine) -> int:
    """A cart line's unit price as it was added: SKU price plus the chosen options' deltas."""
    return catalog_rules.unit_price_fen(line.sku.price_fen, line.answers)


def shipping_for_cart(buyer, province_code: str) -> dict[int, shipping_rules.Quote]:
    """Each merchant's shipping quote for the buyer's cart to a province, for the cart and checkout pages."""
    lines = list(
        CartLine.objects.filter(cart__buyer=buyer)
        .select_related("sku", "sku__product", "sku__product__merchant")
        .order_by("pk")
    )
    templates = shipping.templates_for(line.sku.product.shipping_template_id for line in lines)
    by_merchant: dict[int, list[tuple[CartLine, int]]] = defaultdict(list)
    for line in lines:
        by_merchant[line.sku.product.merchant_id].append((line, cart_unit_price(line)))
    return {merchant_id: _quote(items, templates, province_code) for merchant_id, items in by_merchant.items()}


def _order_number(at) -> str:
    return f"{at:%y%m%d}{secrets.randbelow(10**10):010d}"


def _address_snapshot(address) -> dict[str, Any]:
    """The address as it was at checkout, with its region names, so later edits never change an order."""
    codes = {"province": address.province_code, "city": address.city_code, "county": address.county_code}
    names = regions_by_code(codes.values())
    if address.province_code not in names:
        raise AnxinError(_("地址的省份已不在服务范围内，请更新地址。"), code="invalid_region")
    snapshot = {
        "recipient": address.recipient,
        "phone": address.phone,
        "street": address.street,
    }
    for level, code in codes.items():
        snapshot[f"{level}_code"] = code
        snapshot[f"{level}_name"] = names[code].name if code in names else ""
    return snapshot


def _checkout_lines(buyer, line_ids: list[int] | None) -> list[CartLine]:
    query = CartLine.objects.filter(cart__buyer=buyer)
    if line_ids is not None:
        query = query.filter(pk__in=line_ids)
    lines = list(query.select_related("sku", "sku__product", "sku__product__merchant").order_by("pk"))
    if not lines or (line_ids is not None and len(lines) != len(set(line_ids))):
        raise AnxinError(_("购物车是空的，或所选商品已不在购物车中。"), code="empty_cart")
    return lines


def _priced_lines(lines: list[CartLine]) -> list[tuple[CartLine, int, list[dict]]]:
    """Re-check every line against the product as it is now: still on sale, answers still valid, and the
    price the cart shows is the price charged (the cart keeps its options' prices as they were added)."""
    specs = question_specs_for({line.sku.product_id for line in lines})
    priced = []
    for line in lines:
        sku = line.sku
        if not (sku.is_active and sku.product.is_active and sku.product.merchant.is_active):
            raise AnxinError(
                _("“%(title)s”已下架，请从购物车删除。") % {"title": sku.product.title},
                code="unknown_sku",
                fields={f"lines.{line.pk}": _("已下架")},
            )
        raw = {
            str(item["question_id"]): item["text"] if item["kind"] == "text" else [o["id"] for o in item["options"]]
            for item in line.answers
        }
        try:
            validated = catalog_rules.validate_answers(specs[sku.product_id], raw)
        except catalog_rules.PersonalizationInvalid:
            raise AnxinError(
                _("“%(title)s”的定制要求有变化，请重新填写后再下单。") % {"title": sku.product.title},
                code="invalid_personalization",
                fields={f"lines.{line.pk}": _("请重新填写定制内容")},
            ) from None
        unit = catalog_rules.unit_price_fen(sku.price_fen, validated.items)
        if unit != cart_unit_price(line):
            raise Conflict(
                _("“%(title)s”的价格有变化（现价 %(price)s），请从购物车删除后重新加入。")
                % {"title": sku.product.title, "price": format_fen(unit)},
                code="price_changed",
                fields={f"lines.{line.pk}": _("价格有变化")},
            )
        priced.append((line, unit, validated.items))
    return priced


def place_order(buyer, *, address_id: int, idempotency_key: str, line_ids: list[int] | None = None) -> Checkout:
    """Turn the cart (or the chosen lines) into one checkout with one order per merchant, stock held.

    The same `idempotency_key` returns the checkout it first created, whatever the cart holds now; the same
    key with another request (address, chosen lines) is refused, since answering with the first checkout would
    tell the buyer that an order they never placed went through.
    """
    _require_buyer(buyer)
    key = (idempotency_key or "").strip()
    if not 1 <= len(key) <= 200:
        raise AnxinError(_("缺少下单请求编号（Idempotency-Key）。"), code="invalid_idempotency_key")
    address = owned_address(buyer, address_id)
    request_hash = _request_hash(address_id, line_ids)
    try:
        return _place(buyer, address, key, line_ids, request_hash)
    except IntegrityError:
        existing = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first()
        if existing is None:
            raise
        return _replayed(existing, request_hash)


def _request_hash(address_id: int, line_ids: list[int] | None) -> str:
    chosen = sorted(set(line_ids)) if line_ids is not None else None
    return hashlib.sha256(json.dumps([address_id, chosen]).encode()).hexdigest()


def _replayed(existing: Checkout, request_hash: str) -> Checkout:
    if existing.request_hash and existing.request_hash != request_hash:  # "" : placed before keys were bound
        raise Conflict(
            _("这个下单请求编号已用于另一笔不同的下单。"),
            code="idempotency_key_reused",
            fields={"idempotency_key": _("请为新的下单使用新的编号")},
        )
    return existing


def _place(buyer, address, key: str, line_ids: list[int] | None, request_hash: str) -> Checkout:
    now = clock.now()
    snapshot = _address_snapshot(address)
    with transaction.atomic():
        # One buyer's checkouts queue on the cart row, so a double-click sees the first one's result.
        _lock_cart(buyer)
        existing = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first()
        if existing:
            return _replayed(existing, request_hash)
        priced = _priced_lines(_checkout_lines(buyer, line_ids))
        inventory.allocate(order_rules.merge_quantities((line.sku_id, line.quantity) for line, _p, _a in priced))
        by_merchant: dict[int, list[tuple[CartLine, int, list[dict]]]] = defaultdict(list)
        for item in priced:
            by_merchant[item[0].sku.product.merchant_id].append(item)
        templates = shipping.templates_for(line.sku.product.shipping_template_id for line, _p, _a in priced)
        orders, order_lines = [], []
        for merchant_id, items in sorted(by_merchant.items()):
            quote = _shipping_quote(items, templates, address.province_code)
            merchant = items[0][0].sku.product.merchant
            promise = shipping.promise(
                merchant.origin_province_id,
                address.province_code,
                max(line.sku.product.handling_hours for line, _p, _a in items),
                now,
            )
            goods = sum(unit * line.quantity for line, unit, _a in items)
            order = Order(
                number=_order_number(now),
                buyer=buyer,
                merchant_id=merchant_id,
                goods_fen=goods,
                shipping_fen=quote.fee_fen,
                total_fen=goods + quote.fee_fen,
                address=snapshot,
                province_code=address.province_code,
                hub_code=shipping.geography().hubs.get(address.province_code[:2], "") if quote.via_hub else "",
                promise_earliest=promise.earliest,
                promise_latest=promise.latest,
                created_at=now,
            )
            orders.append(order)
            order_lines.append(items)
        pay_by = order_rules.pay_by(now, config.get("orders.unpaid_expiry_minutes"))
        checkout = Checkout.objects.create(
            buyer=buyer,
            idempotency_key=key,
            request_hash=request_hash,
            total_fen=sum(o.total_fen for o in orders),
            created_at=now,
            pay_by=pay_by,
        )
        for order in orders:
            order.checkout = checkout
        Order.objects.bulk_create(orders)
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                sku_id=line.sku_id,
                product_id=line.sku.product_id,
                title=line.sku.product.title,
                spec=line.sku.spec,
                answers=answers,
                unit_price_fen=unit,
                quantity=line.quantity,
                total_fen=unit * line.quantity,
            )
            for order, items in zip(orders, order_lines, strict=True)
            for line, unit, answers in items
        )
        events.record_many("order.placed", orders, {"checkout_id": checkout.pk}, actor=buyer)
        deadlines.schedule_new(order_services.EXPIRE_UNPAID, checkout.pk, pay_by)
        CartLine.objects.filter(pk__in=[line.pk for line, _p, _a in priced]).delete()
    return checkout


# --- payment ------------------------------------------------------------------------------------------


def own_checkout(buyer, checkout_id: int) -> Checkout:
    return order_services.own_checkout(buyer, checkout_id)


def place_and_start_payment(
    buyer, *, address_id: int, idempotency_key: str, line_ids: list[int] | None = None
) -> Payment:
    """The checkout page's one step: place the order and open its payment together, or neither."""
    with transaction.atomic():
        placed = place_order(buyer, address_id=address_id, idempotency_key=idempotency_key, line_ids=line_ids)
        return start_payment(buyer, placed.pk)


def start_payment(buyer, checkout_id: int) -> Payment:
    """Open (or reopen) the one payment of a checkout; the buyer is then sent to the provider's page."""
    _require_buyer(buyer)
    order_services.own_checkout(buyer, checkout_id)
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update(of=("self",)).select_related("payment").get(pk=checkout_id)
        if checkout.state == Checkout.State.PAID:
            raise Conflict(_("这笔订单已经付过款了。"), code="already_paid")
        if clock.now() >= checkout.pay_by:
            raise Conflict(_("订单已超时取消，请重新下单。"), code="checkout_expired")
        if checkout.state == Checkout.State.CANCELLED:
            raise Conflict(_("订单已取消，请重新下单。"), code="checkout_cancelled")
        if checkout.payment is None:
            checkout.payment = payments.open_payment(checkout.total_fen, actor=buyer)
            checkout.save(update_fields=["payment"])
    return checkout.payment


def handle_payment_notification(body: bytes, signature: str) -> Payment:
    """The provider's signed notification. Sent twice, it counts once; after expiry, the money goes back."""
    note = payments.read_notification(body, signature)
    checkout_id = Checkout.objects.filter(payment_id=note.payment_id).values_list("pk", flat=True).first()
    if checkout_id is None:
        raise AnxinError(_("支付通知指向不存在的支付单。"), code="unknown_payment")
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update().get(pk=checkout_id)
        payment = Payment.objects.select_for_update().get(pk=note.payment_id)
        if payment.state == Payment.State.SUCCEEDED:
            return payment
        if note.amount_fen != payment.amount_fen:
            raise AnxinError(_("支付金额与订单不符。"), code="amount_mismatch")
        if not note.succeeded:
            payments.refuse(payment, note)
            return payment
        payments.capture(payment, note)
        if checkout.state == Checkout.State.PENDING_PAYMENT and checkout.total_fen == payment.amount_fen:
            order_services.mark_checkout_paid(checkout)
        else:
            payments.refund_in_full(payment, reason="checkout_cancelled")
    return payment


def simulate_provider_approval(buyer, payment_id: int, *, approve: bool = True) -> Payment:
    """What the simulated provider's pay page does when the buyer presses Pay: notify us, signed."""
    _require_buyer(buyer)
    payment = Payment.objects.filter(pk=payment_id, checkout__buyer=buyer).first()
    if payment is None:
        raise NotFound(_("找不到这笔支付。"))
    body, signature = payments.notification_for(payment, approve=approve)
    return handle_payment_notification(body, signature)


# --- unpaid expiry (the deadline is the checkout's, see jobs.py) ----------------------------------------


def expire_unpaid(checkout_id: int) -> None:
    checkout = Checkout.objects.filter(pk=checkout_id).first()
    if checkout is not None and checkout.state == Checkout.State.PENDING_PAYMENT and clock.now() >= checkout.pay_by:
        order_services.cancel_unpaid_checkout(checkout, reason="unpaid_expired")
