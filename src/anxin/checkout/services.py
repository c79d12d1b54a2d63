"""Cart, checkout and payment: the only code that changes carts and turns them into paid orders.

Quotes (shipping), coupons and later instant offers meet here. Locks are always taken in the same
order: cart -> coupons (by pk) -> checkout -> payment -> orders (by pk) -> stock (by pk), so two operations
on the same checkout queue instead of deadlocking.
"""

import hashlib
import json
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
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
from anxin.coupons import queries as coupon_queries
from anxin.coupons import rules as coupon_rules
from anxin.coupons import services as coupons
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


@dataclass(frozen=True)
class CheckedLine:
    """A line as the cart would take it: a SKU on sale, a quantity within bounds, validated answers; and, for
    a preview, the labels of the required questions not answered yet."""

    sku: SKU
    quantity: int
    answers: list[dict[str, Any]]
    unanswered: tuple[str, ...] = ()

    @property
    def unit_fen(self) -> int:
        return catalog_rules.unit_price_fen(self.sku.price_fen, self.answers)

    @property
    def summary(self) -> str:
        return catalog_rules.answers_summary(self.answers)


def _line_as_given(sku_id: Any, quantity: Any, answers: Any, *, unanswered_ok: bool = False) -> CheckedLine:
    """A SKU on sale, a quantity within bounds, the answers validated; stock is not looked at (a checkout
    holds it under its locks, the cart and the preview check it now)."""
    quantity = _quantity(quantity)
    sku = _buyable_sku(sku_id)
    specs = question_specs_for([sku.product_id])[sku.product_id]
    blank = (
        catalog_rules.not_yet_answered(specs, answers if isinstance(answers, dict) else None) if unanswered_ok else []
    )
    checked_specs = [replace(q, required=False) if q in blank else q for q in specs]
    validated = _validated_answers(sku, checked_specs, answers)
    return CheckedLine(sku, quantity, validated.items, tuple(q.label for q in blank))


def check_line(sku_id: Any, quantity: Any, answers: Any = None, *, unanswered_ok: bool = False) -> CheckedLine:
    """Check a line exactly as adding it to the cart does (SKU, quantity bounds, answers, stock now), writing
    nothing: the product page's live preview, 立即购买 and a signed-out visitor's pending item go through here,
    so none of them shows or keeps what the cart refuses. `unanswered_ok` (the preview, while the buyer is
    still choosing) lists the required questions left blank instead of refusing them; everything given is
    checked all the same."""
    line = _line_as_given(sku_id, quantity, answers, unanswered_ok=unanswered_ok)
    _refuse_beyond_stock(line.sku, line.quantity)
    return line


def add_to_cart(buyer, sku_id: Any, quantity: Any, answers: Any = None) -> CartLine:
    """Add a SKU with its personalization; the same SKU with the same answers adds to the existing line."""
    _require_buyer(buyer)
    checked = check_line(sku_id, quantity, answers)
    sku, quantity = checked.sku, checked.quantity
    key = catalog_rules.line_key(sku.pk, checked.answers)
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
            cart=cart, sku=sku, line_key=key, answers=checked.answers, quantity=quantity, added_at=clock.now()
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


def _refuse_missing_lines(line_ids: Iterable[int], found: set[int]) -> None:
    missing = sorted(set(line_ids) - found)
    if missing:
        raise NotFound(
            _("所选商品已不在购物车中，请刷新后再试。"),
            code="cart_line_not_found",
            fields={f"lines.{pk}": _("不在购物车中") for pk in missing},
        )


def select_cart_lines(
    buyer, selected: bool, *, line_ids: list[int] | None = None, merchant_id: int | None = None
) -> int:
    """Tick or untick the cart's checkboxes: the lines named, one shop's lines, or (neither given) every line.
    Every line named must be in the buyer's cart, or nothing changes. Returns how many lines it set."""
    _require_buyer(buyer)
    with transaction.atomic():
        _lock_cart(buyer)
        lines = CartLine.objects.filter(cart__buyer=buyer)
        if line_ids is not None:
            _refuse_missing_lines(line_ids, set(lines.filter(pk__in=line_ids).values_list("pk", flat=True)))
            lines = lines.filter(pk__in=line_ids)
        if merchant_id is not None:
            lines = lines.filter(sku__product__merchant_id=merchant_id)
        return CartLine.objects.filter(pk__in=list(lines.values_list("pk", flat=True))).update(selected=selected)


# --- checkout -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuyNow:
    """One item bought at once from the product page (立即购买): it never touches the cart."""

    sku_id: int
    quantity: int
    answers: dict[str, Any]  # raw, as `add_to_cart` takes them: {"<question id>": text or [option ids]}

    def as_request(self) -> list[Any]:
        return [self.sku_id, self.quantity, self.answers]


@dataclass(frozen=True)
class Item:
    """A line about to be bought, from the cart or bought now, priced and with its answers validated."""

    sku: SKU
    quantity: int
    unit_fen: int
    answers: list[dict]
    cart_line_id: int | None = None

    @property
    def total_fen(self) -> int:
        return self.unit_fen * self.quantity


@dataclass
class OrderPlan:
    """One merchant's order as it would be placed to an address: what can go there (priced, promised) and
    what cannot, with the reason. The checkout page shows it and `place_order` places it, so they agree."""

    merchant: Any
    items: list[Item]
    refused: list[tuple[Item, str]]
    quote: shipping_rules.Quote
    promise: shipping_rules.Promise | None
    hub_code: str

    @property
    def goods_fen(self) -> int:
        return sum(item.total_fen for item in self.items)

    @property
    def total_fen(self) -> int:
        return self.goods_fen + self.quote.fee_fen


def _quote(items: list[Item], templates, province_code: str) -> shipping_rules.Quote:
    origin = items[0].sku.product.merchant.origin_province_id
    lines = [
        shipping_rules.Line(
            template_id=item.sku.product.shipping_template_id or shipping.DEFAULT_TEMPLATE_ID,
            quantity=item.quantity,
            unit_price_fen=item.unit_fen,
            weight_g=item.sku.weight_g,
            remote_ok=item.sku.product.remote_deliverable,
            product_id=item.sku.product_id,
            title=item.sku.product.title,
        )
        for item in items
    ]
    return shipping_rules.quote(lines, templates, province_code, shipping.remote_program(), origin)


def _plan(merchant, items: list[Item], templates, province_code: str, now) -> OrderPlan:
    refusals = {r.product_id: shipping.refusal_message(r) for r in _quote(items, templates, province_code).refusals}
    going = [item for item in items if item.sku.product_id not in refusals]
    refused = [(item, refusals[item.sku.product_id]) for item in items if item.sku.product_id in refusals]
    quote = _quote(going, templates, province_code) if going else shipping_rules.Quote()
    promise = None
    if going:
        handling = max(item.sku.product.handling_hours for item in going)
        promise = shipping.promise(merchant.origin_province_id, province_code, handling, now)
    hub = shipping.geography().hubs.get(province_code[:2], "") if quote.via_hub else ""
    return OrderPlan(merchant, going, refused, quote, promise, hub)


def plan_orders(items: list[Item], province_code: str) -> list[OrderPlan]:
    """The items as one order per merchant (by merchant id) to a province, each with its fee and 预计送达."""
    by_merchant: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_merchant[item.sku.product.merchant_id].append(item)
    templates = shipping.templates_for(item.sku.product.shipping_template_id for item in items)
    now = clock.now()
    return [
        _plan(group[0].sku.product.merchant, group, templates, province_code, now)
        for _merchant_id, group in sorted(by_merchant.items())
    ]


def _refuse_undeliverable(plans: list[OrderPlan]) -> None:
    refused = [(item, reason) for plan in plans for item, reason in plan.refused]
    if refused:
        raise AnxinError(
            _("有商品无法配送到这个地址，请移除后再下单。"),
            code="not_deliverable",
            fields={_line_field(item): reason for item, reason in refused},
        )


def _line_field(item: Item) -> str:
    return f"lines.{item.cart_line_id}" if item.cart_line_id else f"products.{item.sku.product_id}"


def cart_unit_price(line: CartLine) -> int:
    """A cart line's unit price as it was added: SKU price plus the chosen options' deltas."""
    return catalog_rules.unit_price_fen(line.sku.price_fen, line.answers)


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
    """The cart lines to buy: those named (every one must be in the buyer's cart), or the selected ones."""
    query = CartLine.objects.filter(cart__buyer=buyer).select_related("sku", "sku__product", "sku__product__merchant")
    if line_ids is None:
        lines = list(query.order_by("pk"))
        if not lines:
            raise AnxinError(_("购物车是空的。"), code="empty_cart")
        lines = [line for line in lines if line.selected]
    else:
        lines = list(query.filter(pk__in=line_ids).order_by("pk"))
        _refuse_missing_lines(line_ids, {line.pk for line in lines})
    if not lines:
        raise AnxinError(_("请至少选择一件商品。"), code="empty_selection", fields={"line_ids": _("请选择")})
    return lines


def _priced_lines(lines: list[CartLine]) -> list[Item]:
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
        priced.append(Item(sku, line.quantity, unit, validated.items, line.pk))
    return priced


def check_buy_now(sku_id: Any, quantity: Any, answers: Any = None) -> BuyNow:
    """An item as the product page sends it, checked as the cart checks it, so 立即购买 and a signed-out
    visitor's pending item are refused on the product page itself."""
    line = check_line(sku_id, quantity, answers)
    return BuyNow(line.sku.pk, line.quantity, answers or {})


def _buy_now_item(buy_now: BuyNow) -> Item:
    line = _line_as_given(buy_now.sku_id, buy_now.quantity, buy_now.answers)
    return Item(line.sku, line.quantity, line.unit_fen, line.answers)


def items_to_buy(buyer, *, line_ids: list[int] | None = None, buy_now: BuyNow | None = None) -> list[Item]:
    """What a checkout would buy: the one item bought now, or the cart's chosen (default: selected) lines."""
    if buy_now is not None:
        return [_buy_now_item(buy_now)]
    return _priced_lines(_checkout_lines(buyer, line_ids))


def place_order(
    buyer,
    *,
    address_id: int,
    idempotency_key: str,
    line_ids: list[int] | None = None,
    buy_now: BuyNow | None = None,
    coupon_ids: list[int] | None = None,
) -> Checkout:
    """Turn what the buyer chose into one checkout with one order per merchant, stock held: the cart's
    selected lines (or the lines named), or one item bought now, which leaves the cart as it is. The
    coupons named (at most one platform coupon, one per shop: RULES §13) are used on it.

    The same `idempotency_key` returns the checkout it first created, whatever the cart holds now; the same
    key with another request (address, chosen lines, item) is refused, since answering with the first
    checkout would tell the buyer that an order they never placed went through.
    """
    _require_buyer(buyer)
    key = (idempotency_key or "").strip()
    if not 1 <= len(key) <= 200:
        raise AnxinError(_("缺少下单请求编号（Idempotency-Key）。"), code="invalid_idempotency_key")
    if line_ids is not None and buy_now is not None:
        raise AnxinError(_("立即购买与购物车商品不能一起下单。"), code="ambiguous_selection")
    address = owned_address(buyer, address_id)
    request_hash = _request_hash(address_id, line_ids, buy_now, coupon_ids)
    try:
        return _place(
            buyer, address, key, request_hash, line_ids=line_ids, buy_now=buy_now, coupon_ids=coupon_ids or []
        )
    except IntegrityError:
        existing = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first()
        if existing is None:
            raise
        return _replayed(existing, request_hash)


def _request_hash(
    address_id: int, line_ids: list[int] | None, buy_now: BuyNow | None, coupon_ids: list[int] | None
) -> str:
    chosen: list[Any] = [address_id, sorted(set(line_ids)) if line_ids is not None else None]
    if buy_now is not None:
        chosen.append(buy_now.as_request())
    if coupon_ids:  # appended only when given, so checkouts placed without coupons keep their hashes
        chosen.append({"coupons": sorted(set(coupon_ids))})
    return hashlib.sha256(json.dumps(chosen, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _replayed(existing: Checkout, request_hash: str) -> Checkout:
    if existing.request_hash and existing.request_hash != request_hash:  # "" : placed before keys were bound
        raise Conflict(
            _("这个下单请求编号已用于另一笔不同的下单。"),
            code="idempotency_key_reused",
            fields={"idempotency_key": _("请为新的下单使用新的编号")},
        )
    return existing


def _new_order(buyer, plan: OrderPlan, address, snapshot: dict[str, Any], now) -> Order:
    assert plan.promise is not None  # every plan placed has lines that go there
    return Order(
        number=_order_number(now),
        buyer=buyer,
        merchant_id=plan.merchant.pk,
        goods_fen=plan.goods_fen,
        shipping_fen=plan.quote.fee_fen,
        total_fen=plan.total_fen,
        address=snapshot,
        province_code=address.province_code,
        hub_code=plan.hub_code,
        promise_earliest=plan.promise.earliest,
        promise_latest=plan.promise.latest,
        created_at=now,
    )


def order_goods(plans: list[OrderPlan]) -> list[coupon_rules.OrderGoods]:
    """The plans as the coupons weigh them: per merchant order, its lines' goods values."""
    return [coupon_rules.OrderGoods(plan.merchant.pk, tuple(item.total_fen for item in plan.items)) for plan in plans]


def best_coupons(buyer, plans: list[OrderPlan]) -> list[int]:
    """The coupons the checkout page preselects: the largest applicable discounts (RULES §13)."""
    return coupon_rules.best_choice(coupon_queries.candidates(buyer), order_goods(plans))


@dataclass(frozen=True)
class CouponChoice:
    """The coupons the checkout page offers for its plans (applicable ones only: per shop, and the platform's)
    with those selected and what they take off each order and in all."""

    by_shop: dict[int, list[Any]]
    platform: list[Any]
    selected: list[int]
    discount_by_shop: dict[int, int]

    @property
    def discount_fen(self) -> int:
        return sum(self.discount_by_shop.values())


def coupon_choice(buyer, plans: list[OrderPlan], chosen: list[int] | None) -> CouponChoice:
    """What the checkout page shows: the buyer's applicable coupons, the ones `chosen` (None: the best ones,
    preselected) that apply, at most one per shop and one of the platform's, and the discounts they give."""
    going = [plan for plan in plans if plan.items]
    goods = order_goods(going)
    by_goods = {order.merchant_id: order.goods_fen for order in goods}
    total = sum(by_goods.values())
    usable = [
        c
        for c in coupon_queries.usable(buyer)
        if (c.merchant_id in by_goods and coupon_rules.meets_threshold(c.threshold_fen, by_goods[c.merchant_id]))
        or (c.merchant_id is None and coupon_rules.meets_threshold(c.threshold_fen, total))
    ]
    wanted = best_coupons(buyer, going) if chosen is None else chosen
    picked: dict[int | None, Any] = {}
    for coupon in usable:
        if coupon.pk in wanted and coupon.merchant_id not in picked:
            picked[coupon.merchant_id] = coupon
    platform = picked.pop(None, None)
    allocation = coupon_rules.allocate(
        goods, {m: c.amount_fen for m, c in picked.items() if m is not None}, platform.amount_fen if platform else 0
    )
    by_shop: dict[int, list[Any]] = defaultdict(list)
    for coupon in usable:
        if coupon.merchant_id is not None:
            by_shop[coupon.merchant_id].append(coupon)
    return CouponChoice(
        dict(by_shop),
        [c for c in usable if c.merchant_id is None],
        [c.pk for c in [*picked.values(), platform] if c is not None],
        {order.merchant_id: allocation.order_discount(i) for i, order in enumerate(goods)},
    )


def _discounted(orders: list[Order], chosen, goods, allocation) -> None:
    """Each order's coupon part and who pays it, as the coupons' allocation says."""
    for index, (order, funded) in enumerate(zip(orders, coupons.funding(chosen, goods, allocation), strict=True)):
        order.discount_fen, order.discount_funding = allocation.order_discount(index), funded


def _place(buyer, address, key: str, request_hash: str, *, line_ids, buy_now, coupon_ids) -> Checkout:
    now = clock.now()
    snapshot = _address_snapshot(address)
    with transaction.atomic():
        # One buyer's checkouts queue on the cart row, so a double-click sees the first one's result.
        _lock_cart(buyer)
        existing = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first()
        if existing:
            return _replayed(existing, request_hash)
        items = items_to_buy(buyer, line_ids=line_ids, buy_now=buy_now)
        plans = plan_orders(items, address.province_code)
        _refuse_undeliverable(plans)
        chosen = coupons.lock_chosen(buyer, coupon_ids)
        goods = order_goods(plans)
        allocation = coupons.allocate(chosen, goods)
        inventory.allocate(order_rules.merge_quantities((item.sku.pk, item.quantity) for item in items))
        orders = [_new_order(buyer, plan, address, snapshot, now) for plan in plans]
        _discounted(orders, chosen, goods, allocation)
        pay_by = order_rules.pay_by(now, config.get("orders.unpaid_expiry_minutes"))
        checkout = Checkout.objects.create(
            buyer=buyer,
            idempotency_key=key,
            request_hash=request_hash,
            total_fen=sum(o.cash_fen for o in orders),
            created_at=now,
            pay_by=pay_by,
        )
        for order in orders:
            order.checkout = checkout
        Order.objects.bulk_create(orders)
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                sku_id=item.sku.pk,
                product_id=item.sku.product_id,
                title=item.sku.product.title,
                spec=item.sku.spec,
                spec_en=item.sku.spec_en,
                image_small=item.sku.photo_small,
                answers=item.answers,
                unit_price_fen=item.unit_fen,
                quantity=item.quantity,
                total_fen=item.total_fen,
                discount_fen=discount,
            )
            for order, plan, discounts in zip(orders, plans, allocation.lines, strict=True)
            for item, discount in zip(plan.items, discounts, strict=True)
        )
        coupons.mark_used(chosen, checkout, orders, allocation)
        events.record_many("order.placed", orders, {"checkout_id": checkout.pk}, actor=buyer)
        deadlines.schedule_new(order_services.EXPIRE_UNPAID, checkout.pk, pay_by)
        CartLine.objects.filter(pk__in=[item.cart_line_id for item in items if item.cart_line_id]).delete()
    return checkout


# --- payment ------------------------------------------------------------------------------------------


def own_checkout(buyer, checkout_id: int) -> Checkout:
    return order_services.own_checkout(buyer, checkout_id)


def place_and_start_payment(
    buyer,
    *,
    address_id: int,
    idempotency_key: str,
    line_ids: list[int] | None = None,
    buy_now: BuyNow | None = None,
    coupon_ids: list[int] | None = None,
) -> Payment:
    """The checkout page's one step: place the order and open its payment together, or neither."""
    with transaction.atomic():
        placed = place_order(
            buyer,
            address_id=address_id,
            idempotency_key=idempotency_key,
            line_ids=line_ids,
            buy_now=buy_now,
            coupon_ids=coupon_ids,
        )
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
            coupons.fund(checkout)
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
