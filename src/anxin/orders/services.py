"""Cart, checkout, payment and the order lifecycle: the only code that changes orders.

Locks are always taken in the same order: checkout -> payment -> orders (by pk) -> stock (by pk), so two
operations on the same checkout queue instead of deadlocking.
"""

import json
import secrets
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from anxin.accounts.services import owned_address
from anxin.catalog import rules as catalog_rules
from anxin.catalog.models import SKU
from anxin.catalog.queries import question_specs_for
from anxin.core import clock, config, deadlines, events, ledger
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.permissions import owned, require_role
from anxin.geo.queries import regions_by_code
from anxin.inventory import services as inventory
from anxin.logistics import queries as logistics
from anxin.logistics import rules as logistics_rules
from anxin.orders import payment_provider, rules
from anxin.orders.models import Cart, CartLine, Checkout, Order, OrderLine, Payment

EXPIRE_UNPAID = "orders.expire_unpaid"
SHIP_BY = "orders.ship_by"
AUTO_COMPLETE = "orders.auto_complete"

CARRIER_MAX = 40
TRACKING_MAX = 40


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
        available = getattr(getattr(sku, "stock", None), "available", 0)
        if total > available:
            raise inventory.OutOfStock(
                _("库存不足：仅剩 %(n)d 件。") % {"n": available},
                fields={"quantity": _("最多 %(n)d") % {"n": available}},
            )
        if line:
            line.quantity = total
            line.save(update_fields=["quantity"])
            return line
        if cart.lines.count() >= config.get("orders.max_lines_per_cart"):
            raise Conflict(_("购物车已满，请先结算或删除一些商品。"), code="cart_full")
        return CartLine.objects.create(
            cart=cart, sku=sku, line_key=key, answers=validated.items, quantity=quantity, added_at=clock.now()
        )


def _own_cart_line(buyer, line_id: int) -> CartLine:
    line = CartLine.objects.filter(pk=line_id, cart__buyer=buyer).first()
    if line is None:
        raise NotFound(_("购物车里没有这件商品。"))
    return line


def set_cart_quantity(buyer, line_id: int, quantity: Any) -> CartLine:
    _require_buyer(buyer)
    quantity = _quantity(quantity)
    line = _own_cart_line(buyer, line_id)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


def remove_cart_line(buyer, line_id: int) -> None:
    _require_buyer(buyer)
    _own_cart_line(buyer, line_id).delete()


# --- checkout -----------------------------------------------------------------------------------------


def _quote(items: list[tuple[CartLine, int]], templates, province_code: str) -> logistics_rules.Quote:
    origin = items[0][0].sku.product.merchant.origin_province_id
    lines = [
        logistics_rules.Line(
            template_id=line.sku.product.shipping_template_id or logistics.DEFAULT_TEMPLATE_ID,
            quantity=line.quantity,
            unit_price_fen=unit,
            weight_g=line.sku.weight_g,
            remote_ok=line.sku.product.remote_deliverable,
            product_id=line.sku.product_id,
            title=line.sku.product.title,
        )
        for line, unit in items
    ]
    return logistics_rules.quote(lines, templates, province_code, logistics.remote_program(), origin)


def _shipping_quote(items, templates, province_code: str) -> logistics_rules.Quote:
    """The merchant order's fee from its products' templates; refused with reasons when it cannot go there."""
    quote = _quote([(line, unit) for line, unit, _a in items], templates, province_code)
    if quote.refusals:
        raise AnxinError(
            _("有商品无法配送到这个地址，请从购物车移除后再下单。"),
            code="not_deliverable",
            fields={f"products.{r.product_id}": logistics.refusal_message(r) for r in quote.refusals},
        )
    return quote


def cart_unit_price(line: CartLine) -> int:
    """A cart line's unit price as it was added: SKU price plus the chosen options' deltas."""
    deltas = sum(o["price_delta_fen"] for item in line.answers for o in item.get("options", []))
    return line.sku.price_fen + deltas


def shipping_for_cart(buyer, province_code: str) -> dict[int, logistics_rules.Quote]:
    """Each merchant's shipping quote for the buyer's cart to a province, for the cart and checkout pages."""
    lines = list(
        CartLine.objects.filter(cart__buyer=buyer)
        .select_related("sku", "sku__product", "sku__product__merchant")
        .order_by("pk")
    )
    templates = logistics.templates_for(line.sku.product.shipping_template_id for line in lines)
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
    """Re-check every line against the product as it is now: still on sale, answers still valid."""
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
        priced.append((line, catalog_rules.unit_price_fen(sku.price_fen, validated), validated.items))
    return priced


def place_order(buyer, *, address_id: int, idempotency_key: str, line_ids: list[int] | None = None) -> Checkout:
    """Turn the cart (or the chosen lines) into one checkout with one order per merchant, stock held.

    The same `idempotency_key` returns the checkout it first created, whatever the cart holds now.
    """
    _require_buyer(buyer)
    key = (idempotency_key or "").strip()
    if not 1 <= len(key) <= 200:
        raise AnxinError(_("缺少下单请求编号（Idempotency-Key）。"), code="invalid_idempotency_key")
    address = owned_address(buyer, address_id)
    try:
        return _place(buyer, address, key, line_ids)
    except IntegrityError:
        existing = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first()
        if existing is None:
            raise
        return existing


def _place(buyer, address, key: str, line_ids: list[int] | None) -> Checkout:
    now = clock.now()
    snapshot = _address_snapshot(address)
    with transaction.atomic():
        # One buyer's checkouts queue on the cart row, so a double-click sees the first one's result.
        Cart.objects.select_for_update().filter(buyer=buyer).first()
        existing = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first()
        if existing:
            return existing
        priced = _priced_lines(_checkout_lines(buyer, line_ids))
        inventory.allocate(rules.merge_quantities((line.sku_id, line.quantity) for line, _p, _a in priced))
        by_merchant: dict[int, list[tuple[CartLine, int, list[dict]]]] = defaultdict(list)
        for item in priced:
            by_merchant[item[0].sku.product.merchant_id].append(item)
        templates = logistics.templates_for(line.sku.product.shipping_template_id for line, _p, _a in priced)
        orders, order_lines = [], []
        for merchant_id, items in sorted(by_merchant.items()):
            quote = _shipping_quote(items, templates, address.province_code)
            merchant = items[0][0].sku.product.merchant
            promise = logistics.promise(
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
                hub_code=logistics.geography().hubs.get(address.province_code[:2], "") if quote.via_hub else "",
                promise_earliest=promise.earliest,
                promise_latest=promise.latest,
                created_at=now,
            )
            orders.append(order)
            order_lines.append(items)
        pay_by = rules.pay_by(now, config.get("orders.unpaid_expiry_minutes"))
        checkout = Checkout.objects.create(
            buyer=buyer,
            idempotency_key=key,
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
        deadlines.schedule_new(EXPIRE_UNPAID, checkout.pk, pay_by)
        CartLine.objects.filter(pk__in=[line.pk for line, _p, _a in priced]).delete()
    return checkout


def own_checkout(buyer, checkout_id: int) -> Checkout:
    checkout = Checkout.objects.filter(pk=checkout_id, buyer=buyer).first()
    if checkout is None:
        raise NotFound(_("找不到这笔订单。"))
    return checkout


# --- payment ------------------------------------------------------------------------------------------


def start_payment(buyer, checkout_id: int) -> Payment:
    """Open (or reopen) the one payment of a checkout; the buyer is then sent to the provider's page."""
    _require_buyer(buyer)
    own_checkout(buyer, checkout_id)
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update().get(pk=checkout_id)
        if checkout.state == Checkout.State.PAID:
            raise Conflict(_("这笔订单已经付过款了。"), code="already_paid")
        if checkout.state == Checkout.State.CANCELLED or clock.now() >= checkout.pay_by:
            raise Conflict(_("订单已超时取消，请重新下单。"), code="checkout_expired")
        payment, created = Payment.objects.get_or_create(
            checkout=checkout,
            defaults={
                "provider": payment_provider.NAME,
                "amount_fen": checkout.total_fen,
                "created_at": clock.now(),
            },
        )
        if created:
            events.record("payment.started", payment, {"amount_fen": payment.amount_fen}, actor=buyer)
    return payment


def _parse_notification(body: bytes, signature: str) -> dict[str, Any]:
    if not payment_provider.verify(body, signature):
        raise AnxinError(_("支付通知的签名无效。"), code="bad_signature", fields={"signature": _("签名不匹配")})
    try:
        data = json.loads(body)
        return {
            "payment_id": int(data["payment_id"]),
            "amount_fen": int(data["amount_fen"]),
            "provider_ref": str(data["provider_ref"])[:64],
            "status": str(data["status"]),
        }
    except (ValueError, KeyError, TypeError):
        raise AnxinError(_("支付通知格式不正确。"), code="bad_notification") from None


def handle_payment_notification(body: bytes, signature: str) -> Payment:
    """The provider's signed notification. Sent twice, it counts once; after expiry, the money goes back."""
    note = _parse_notification(body, signature)
    checkout_id = Payment.objects.filter(pk=note["payment_id"]).values_list("checkout_id", flat=True).first()
    if checkout_id is None:
        raise AnxinError(_("支付通知指向不存在的支付单。"), code="unknown_payment")
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update().get(pk=checkout_id)
        payment = Payment.objects.select_for_update().get(pk=note["payment_id"])
        if payment.state == Payment.State.SUCCEEDED:
            return payment
        if note["amount_fen"] != payment.amount_fen:
            raise AnxinError(_("支付金额与订单不符。"), code="amount_mismatch")
        if note["status"] != "succeeded":
            payment.state = Payment.State.REFUSED
            payment.save(update_fields=["state"])
            events.record("payment.refused", payment, {"status": note["status"]})
            return payment
        _capture(payment, note["provider_ref"])
        if checkout.state == Checkout.State.PENDING_PAYMENT and checkout.total_fen == payment.amount_fen:
            _mark_checkout_paid(checkout)
        else:
            _refund_late_payment(payment)
    return payment


def _capture(payment: Payment, provider_ref: str) -> None:
    payment.state = Payment.State.SUCCEEDED
    payment.provider_ref = provider_ref
    payment.succeeded_at = clock.now()
    payment.save(update_fields=["state", "provider_ref", "succeeded_at"])
    ledger.post(
        f"payment:{payment.pk}:received",
        "payment_received",
        [
            ledger.Line(ledger.PROVIDER_CLEARING, payment.amount_fen),
            ledger.Line(ledger.ESCROW, -payment.amount_fen),
        ],
        subject=payment,
    )
    events.record("payment.succeeded", payment, {"amount_fen": payment.amount_fen, "provider_ref": provider_ref})


def _refund_late_payment(payment: Payment) -> None:
    """Money that arrives for a checkout already cancelled is returned in full at once."""
    ledger.post(
        f"payment:{payment.pk}:late_refund",
        "refund",
        [
            ledger.Line(ledger.ESCROW, payment.amount_fen),
            ledger.Line(ledger.PROVIDER_CLEARING, -payment.amount_fen),
        ],
        subject=payment,
    )
    events.record("payment.refunded_after_cancellation", payment, {"amount_fen": payment.amount_fen})


def _mark_checkout_paid(checkout: Checkout) -> None:
    now = clock.now()
    checkout.state, checkout.paid_at = Checkout.State.PAID, now
    checkout.save(update_fields=["state", "paid_at"])
    orders = list(checkout.orders.select_for_update().filter(state=Order.State.PENDING_PAYMENT).order_by("pk"))
    handling = dict(
        OrderLine.objects.filter(order__in=orders)
        .values("order_id")
        .annotate(hours=Max("product__handling_hours"))
        .values_list("order_id", "hours")
    )
    default_hours = config.get("orders.default_handling_hours")
    for order in orders:
        order.state, order.paid_at = Order.State.PAID, now
        order.ship_by = rules.ship_by(now, [handling.get(order.pk, default_hours)], default_hours)
    Order.objects.bulk_update(orders, ["state", "paid_at", "ship_by"])
    events.record_many("order.paid", orders, {"checkout_id": checkout.pk})
    deadlines.cancel(EXPIRE_UNPAID, checkout.pk)
    deadlines.schedule_many(SHIP_BY, {order.pk: order.ship_by for order in orders})


def simulate_provider_approval(buyer, payment_id: int, *, approve: bool = True) -> Payment:
    """What the simulated provider's pay page does when the buyer presses Pay: notify us, signed."""
    _require_buyer(buyer)
    payment = Payment.objects.filter(pk=payment_id, checkout__buyer=buyer).first()
    if payment is None:
        raise NotFound(_("找不到这笔支付。"))
    body, signature = payment_provider.notification(payment, status="succeeded" if approve else "declined")
    return handle_payment_notification(body, signature)


# --- the lifecycle after payment ---------------------------------------------------------------------


def own_order(buyer, order_id: int, *, lock: bool = False) -> Order:
    return owned(Order.objects.filter(pk=order_id, buyer=buyer), _("找不到这个订单。"), lock=lock)


def merchant_order(staff, order_id: int, *, lock: bool = False) -> Order:
    require_role(staff, "merchant_staff")
    return owned(Order.objects.filter(pk=order_id, merchant_id=staff.merchant_id), _("找不到这个订单。"), lock=lock)


def _line_quantities(orders: list[Order]) -> dict[int, int]:
    pairs = OrderLine.objects.filter(order__in=orders).values_list("sku_id", "quantity")
    return rules.merge_quantities(pairs)


def _move(order: Order, new_state: str) -> None:
    if not rules.can_move(order.state, new_state):
        raise Conflict(
            _("订单当前状态为“%(state)s”，不能进行这个操作。") % {"state": order.get_state_display()},
            code="invalid_state",
        )
    order.state = new_state


def cancel_unpaid_checkout(checkout: Checkout, *, reason: str, actor=None) -> list[Order]:
    """Cancel every unpaid order of a checkout and give their stock back (buyer's choice or expiry)."""
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if checkout.state != Checkout.State.PENDING_PAYMENT:
            return []
        orders = list(checkout.orders.select_for_update().filter(state=Order.State.PENDING_PAYMENT).order_by("pk"))
        inventory.release(_line_quantities(orders))
        now = clock.now()
        for order in orders:
            order.state, order.cancelled_at, order.cancel_reason = Order.State.CANCELLED, now, reason
        Order.objects.bulk_update(orders, ["state", "cancelled_at", "cancel_reason"])
        checkout.state = Checkout.State.CANCELLED
        checkout.save(update_fields=["state"])
        events.record_many("order.cancelled", orders, {"reason": reason}, actor=actor)
        deadlines.cancel(EXPIRE_UNPAID, checkout.pk)
    return orders


def cancel_order(buyer, order_id: int) -> Order:
    """Buyer cancels before shipping. Unpaid: the whole checkout (paid together) is cancelled.
    Paid but not shipped: refunded in full at once and the stock released."""
    _require_buyer(buyer)
    order = own_order(buyer, order_id)
    if order.state == Order.State.PENDING_PAYMENT:
        cancel_unpaid_checkout(order.checkout, reason="buyer_cancelled", actor=buyer)
    else:
        with transaction.atomic():
            Checkout.objects.select_for_update().filter(pk=order.checkout_id).first()
            order = own_order(buyer, order_id, lock=True)
            if order.state != Order.State.PAID:
                raise Conflict(_("订单已发货，不能直接取消；请在收货后申请售后。"), code="already_shipped")
            _move(order, Order.State.CANCELLED)
            _refund_whole_order(order, reason="buyer_cancelled_before_shipping")
            order.cancelled_at, order.cancel_reason = clock.now(), "buyer_cancelled"
            order.save(update_fields=["state", "cancelled_at", "cancel_reason", "refunded_fen"])
            inventory.release(_line_quantities([order]))
            events.record(
                "order.cancelled",
                order,
                {"reason": "buyer_cancelled", "refunded_fen": order.total_fen},
                actor=buyer,
            )
            deadlines.cancel(SHIP_BY, order.pk)
    order.refresh_from_db()
    return order


def _refund_whole_order(order: Order, *, reason: str) -> None:
    """Refund everything not yet refunded, line by line, never beyond what was paid."""
    amount = order.total_fen - order.refunded_fen
    if amount <= 0:
        return
    lines = list(order.lines.select_for_update().order_by("pk"))
    for line in lines:
        line.refunded_fen = line.total_fen
    OrderLine.objects.bulk_update(lines, ["refunded_fen"])
    order.refunded_fen = order.total_fen
    ledger.post(
        f"order:{order.pk}:refund:{reason}",
        "refund",
        [ledger.Line(ledger.ESCROW, amount), ledger.Line(ledger.PROVIDER_CLEARING, -amount)],
        memo=reason,
        subject=order,
    )


def clean_shipment(carrier: Any, tracking_number: Any) -> tuple[str, str]:
    carrier = str(carrier or "").strip()
    tracking = str(tracking_number or "").strip().upper()
    errors = {}
    if not 1 <= len(carrier) <= CARRIER_MAX:
        errors["carrier"] = _("请填写快递公司（最多40个字）。")
    if not 6 <= len(tracking) <= TRACKING_MAX or not all(ch.isalnum() or ch == "-" for ch in tracking):
        errors["tracking_number"] = _("运单号须为 6–40 位字母、数字或连字符。")
    if errors:
        raise AnxinError(_("发货信息有误。"), code="invalid_shipment", fields=errors)
    return carrier, tracking


def mark_shipped(staff, order_id: int, *, carrier: Any, tracking_number: Any) -> Order:
    """The order's side of shipping: state, stock leaving the warehouse, the late-shipment record.

    Called by `logistics.services.ship`, which opens the order's shipment in the same transaction; ship
    through that, so every shipped order can be tracked and delivered by its carrier's scans."""
    carrier, tracking = clean_shipment(carrier, tracking_number)
    merchant_order(staff, order_id)
    with transaction.atomic():
        order = merchant_order(staff, order_id, lock=True)
        _move(order, Order.State.SHIPPED)
        now = clock.now()
        order.shipped_at, order.carrier, order.tracking_number = now, carrier, tracking
        order.save(update_fields=["state", "shipped_at", "carrier", "tracking_number"])
        inventory.consume(_line_quantities([order]))
        late = order.ship_by is not None and now > order.ship_by
        events.record(
            "order.shipped",
            order,
            {"carrier": carrier, "tracking_number": tracking, "late": late},
            actor=staff,
        )
        deadlines.cancel(SHIP_BY, order.pk)
        _schedule_auto_complete(order)
    return order


def _schedule_auto_complete(order: Order) -> None:
    due = rules.auto_complete_at(
        shipped_at=order.shipped_at,
        delivered_at=order.delivered_at,
        days_after_delivery=config.get("orders.auto_complete_days_after_delivery"),
        days_after_shipping=config.get("orders.auto_complete_days_after_shipping"),
    )
    deadlines.schedule(AUTO_COMPLETE, order.pk, due)


def mark_delivered(actor, order_id: int) -> Order:
    """A courier or ops records a delivery by hand (carriers' delivery scans do it through `deliver`)."""
    require_role(actor, "courier", "ops")
    return deliver(order_id, at=clock.now(), actor=actor)


def deliver(order_id: int, *, at, actor=None) -> Order:
    """The parcel reached the buyer: judged against the promise fixed at checkout; a late one is an event."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            raise NotFound(_("找不到这个订单。"))
        _move(order, Order.State.DELIVERED)
        order.delivered_at = at
        if order.promise_latest is not None:
            promise = logistics_rules.Promise(order.promise_earliest or order.promise_latest, order.promise_latest)
            order.delivery_days_late = promise.days_late(logistics.local_date(at))
        order.save(update_fields=["state", "delivered_at", "delivery_days_late"])
        events.record("order.delivered", order, {"days_late": order.delivery_days_late}, actor=actor)
        if order.delivery_days_late:
            events.record("order.delivery_late", order, {"days_late": order.delivery_days_late})
        _schedule_auto_complete(order)
    return order


def confirm_receipt(buyer, order_id: int) -> Order:
    _require_buyer(buyer)
    own_order(buyer, order_id)
    with transaction.atomic():
        order = own_order(buyer, order_id, lock=True)
        _complete(order, by="buyer", actor=buyer)
    return order


def _complete(order: Order, *, by: str, actor=None) -> None:
    """Completion makes the merchant's money payable: escrow -> merchant, less what was refunded."""
    _move(order, Order.State.COMPLETED)
    order.completed_at = clock.now()
    order.save(update_fields=["state", "completed_at"])
    amount = rules.settlement_fen(order.total_fen, order.refunded_fen)
    if amount:
        ledger.post(
            f"order:{order.pk}:settle",
            "settlement",
            [
                ledger.Line(ledger.ESCROW, amount),
                ledger.Line(ledger.merchant_payable(order.merchant_id), -amount),
            ],
            subject=order,
        )
    events.record("order.completed", order, {"by": by, "settled_fen": amount}, actor=actor)
    deadlines.cancel(AUTO_COMPLETE, order.pk)


# --- deadline handlers (see jobs.py) ------------------------------------------------------------------


def expire_unpaid(checkout_id: int) -> None:
    checkout = Checkout.objects.filter(pk=checkout_id).first()
    if checkout is not None and checkout.state == Checkout.State.PENDING_PAYMENT and clock.now() >= checkout.pay_by:
        cancel_unpaid_checkout(checkout, reason="unpaid_expired")


def flag_overdue_shipment(order_id: int) -> None:
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is not None and order.state == Order.State.PAID:
        events.record("order.shipment_overdue", order, {"ship_by": order.ship_by.isoformat()})


def auto_complete(order_id: int) -> None:
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is not None and order.state in {Order.State.SHIPPED, Order.State.DELIVERED}:
        _complete(order, by="auto")
