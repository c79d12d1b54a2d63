"""Orders and their lifecycle after checkout: the only code that changes orders.

Locks are always taken in the same order: checkout -> payment -> orders (by pk) -> stock (by pk). Fulfilment
sits above this floor and calls `mark_shipped` and `deliver`; nothing here knows of shipments or scans.
Every refund of an order, whole or in part, goes through `refund_lines`.
"""

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from anxin.catalog import services as catalog
from anxin.core import clock, config, deadlines, events, ledger
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.permissions import owned, require_role
from anxin.core.text import clean_text
from anxin.inventory import services as inventory
from anxin.orders import rules
from anxin.orders.models import Checkout, Order, OrderLine, OrderNote
from anxin.payments import services as payments
from anxin.payments.models import Payment, Refund
from anxin.shipping import rules as shipping_rules
from anxin.shipping.queries import local_date

# The checkout's unpaid deadline: scheduled when checkout places the orders, handled by checkout's jobs,
# cancelled here when the orders are paid or cancelled.
EXPIRE_UNPAID = "orders.expire_unpaid"
SHIP_BY = "orders.ship_by"
AUTO_COMPLETE = "orders.auto_complete"


def _require_buyer(user) -> None:
    require_role(user, "buyer")


def own_checkout(buyer, checkout_id: int) -> Checkout:
    checkout = Checkout.objects.filter(pk=checkout_id, buyer=buyer).first()
    if checkout is None:
        raise NotFound(_("找不到这笔订单。"))
    return checkout


def mark_checkout_paid(checkout: Checkout) -> None:
    """The checkout's payment arrived: its orders wait for shipping, each with its ship-by deadline."""
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
    ship_by: dict[int, datetime] = {}
    for order in orders:
        order.state, order.paid_at = Order.State.PAID, now
        order.ship_by = ship_by[order.pk] = rules.ship_by(now, [handling.get(order.pk, default_hours)], default_hours)
    Order.objects.bulk_update(orders, ["state", "paid_at", "ship_by"])
    paid_units = OrderLine.objects.filter(order__in=orders).values_list("product_id", "quantity")
    catalog.record_sales(paid_units, local_date(now))
    events.record_many("order.paid", orders, {"checkout_id": checkout.pk})
    deadlines.cancel(EXPIRE_UNPAID, checkout.pk)
    deadlines.schedule_many(SHIP_BY, ship_by)


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


OrdersCancelled = Callable[[list[Order]], None]
_cancelled_hooks: list[OrdersCancelled] = []


def on_cancelled(fn: OrdersCancelled) -> OrdersCancelled:
    """Register what else happens when orders are cancelled before shipping, in the cancelling transaction
    after their refunds: coupons, on the floor above, give back the coupons used on them."""
    if fn not in _cancelled_hooks:
        _cancelled_hooks.append(fn)
    return fn


def _mark_cancelled(orders: list[Order], reason: str) -> None:
    """The one place an order becomes cancelled: when and why are kept, so its page can say both."""
    if reason not in Order.CancelReason.values:
        raise ValueError(f"unknown cancel reason {reason!r}")
    now = clock.now()
    for order in orders:
        _move(order, Order.State.CANCELLED)
        order.cancelled_at, order.cancel_reason = now, reason
    Order.objects.bulk_update(orders, ["state", "cancelled_at", "cancel_reason"])
    for hook in _cancelled_hooks:
        hook(orders)


def cancel_unpaid_checkout(checkout: Checkout, *, reason: str, actor=None, detail: dict | None = None) -> list[Order]:
    """Cancel every unpaid order of a checkout and give their stock back (buyer's choice or expiry)."""
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if checkout.state != Checkout.State.PENDING_PAYMENT:
            return []
        orders = list(checkout.orders.select_for_update().filter(state=Order.State.PENDING_PAYMENT).order_by("pk"))
        inventory.release(_line_quantities(orders))
        _mark_cancelled(orders, reason)
        checkout.state = Checkout.State.CANCELLED
        checkout.save(update_fields=["state"])
        events.record_many("order.cancelled", orders, {"reason": reason, **(detail or {})}, actor=actor)
        deadlines.cancel(EXPIRE_UNPAID, checkout.pk)
    return orders


PaidCancel = Callable[[Any, int], None]
_paid_cancel: list[PaidCancel] = []


def on_paid_cancel(fn: PaidCancel) -> PaidCancel:
    """Register how a buyer's cancel of a paid order is handled: after-sales, on the floor above, makes it a
    `refund_unshipped` case (approved and refunded at once, or sent to the merchant for a made personalised
    line), without orders importing it. One handler; registering another replaces it."""
    _paid_cancel[:] = [fn]
    return fn


def cancel_order(buyer, order_id: int) -> Order:
    """The buyer cancels their own order before it is shipped: unpaid, here; paid, as an after-sales case."""
    _require_buyer(buyer)
    order = own_order(buyer, order_id)
    if order.state == Order.State.PAID and _paid_cancel:
        _paid_cancel[0](buyer, order_id)
        order.refresh_from_db()
        return order
    return cancel(order_id, reason=Order.CancelReason.BUYER, actor=buyer)


def cancel_by_ops(staff, order_id: int, *, note: Any) -> Order:
    """Ops cancel an order that has not shipped, saying why (kept on the event and as the refund's reason,
    shown on the ops console). The same path as the buyer's."""
    require_role(staff, "ops")
    why = clean_text(note, field="note", max_length=rules.OPS_REASON_MAX)
    owned(Order.objects.filter(pk=order_id), _("找不到这个订单。"))
    return cancel(order_id, reason=Order.CancelReason.OPS, actor=staff, note=why)


def cancel(order_id: int, *, reason: str, actor=None, note: str = "") -> Order:
    """Every cancellation before shipping, whoever asks (buyer, merchant, ops: `reason` says which; `note` what
    they wrote), after the caller checked that they may. Unpaid: the whole checkout (paid together) is
    cancelled. Paid but not shipped: whatever was not yet refunded is refunded at once and the stock released."""
    detail = {"note": note} if note else {}
    order = Order.objects.select_related("checkout").get(pk=order_id)
    unpaid = order.state == Order.State.PENDING_PAYMENT
    if not (unpaid and cancel_unpaid_checkout(order.checkout, reason=reason, actor=actor, detail=detail)):
        # Paid, or paid (or cancelled) since it was read: decided again under the locks.
        with transaction.atomic():
            _payment, order = _lock_for_refund(order.pk)
            if order.state == Order.State.CANCELLED:
                raise Conflict(_("订单已经取消了。"), code="already_cancelled")
            if order.state != Order.State.PAID:
                raise Conflict(_("订单已发货，不能直接取消；请在收货后申请售后。"), code="already_shipped")
            refunded = 0
            if order.refunded_fen < order.total_fen:
                refund_reason = note or f"{reason}_before_shipping"
                refunded = refund_lines(order, key="cancel", reason=refund_reason, actor=actor).amount_fen
            _mark_cancelled([order], reason)
            inventory.release(_line_quantities([order]))
            events.record("order.cancelled", order, {"reason": reason, "refunded_fen": refunded, **detail}, actor=actor)
            deadlines.cancel(SHIP_BY, order.pk)
    order.refresh_from_db()
    return order


def add_note(staff, order_id: int, text: Any) -> OrderNote:
    """Ops keep a note on an order; the event is about the note, so the buyer's timeline never shows it."""
    require_role(staff, "ops")
    cleaned = clean_text(text, field="text", max_length=rules.NOTE_MAX, multiline=True)
    order = owned(Order.objects.filter(pk=order_id), _("找不到这个订单。"))
    with transaction.atomic():
        note = OrderNote.objects.create(order=order, author=staff, text=cleaned, created_at=clock.now())
        events.record("order.note_added", note, {"order_id": order.pk}, actor=staff)
    return note


# --- refunds --------------------------------------------------------------------------------------------


def _lock_for_refund(order_id: int) -> tuple[Payment | None, Order]:
    """Lock what a refund changes in the platform's order: checkout -> payment -> order."""
    checkout_id = Order.objects.values_list("checkout_id", flat=True).get(pk=order_id)
    checkout = Checkout.objects.select_for_update().get(pk=checkout_id)
    payment = None
    if checkout.payment_id is not None:
        payment = Payment.objects.select_for_update().filter(pk=checkout.payment_id).first()
    return payment, Order.objects.select_for_update().get(pk=order_id)


def refund_lines(
    order: Order,
    amounts: Mapping[Any, Any] | None = None,
    *,
    key: str,
    reason: str,
    actor=None,
    advance: bool = False,
) -> Refund:
    """Give back any part of any lines of a paid order, through the provider: the one refund path.

    `amounts` maps line id -> fen (a quantity q of a line is `unit_price_fen * q`); `None` means everything
    not yet refunded. The shipping fee goes back with the whole order only. A line never gets back more than
    was paid for it less what it already got. `key` names this refund within the order (`cancel`,
    `aftersales:12`): the same key returns the refund it first made and with other amounts is refused.

    Amounts are value (what the goods cost); the buyer gets the cash part (RULES §13: a line a coupon paid
    part of gives back cash in proportion, a full refund exactly its cash), less, on a refund that leaves a
    line fully refunded, the compensation already paid for it. The coupons' part goes back to their issuers.
    The order's and its lines' `refunded_fen` count the value from the moment it is granted (the merchant
    will not be paid it, escrow no longer holds it); the `Refund` is the cash and its state says whether the
    money has reached the buyer yet. The provider is called later by the worker, with no lock held.
    """
    refund_key = rules.refund_key(order.pk, key)
    wanted = None if amounts is None else _amounts(amounts)
    requested = "all" if wanted is None else {str(line_id): fen for line_id, fen in wanted.items()}
    with transaction.atomic():
        payment, order = _lock_for_refund(order.pk)
        existing = payments.refund_by_key(refund_key)
        if existing is not None:
            if existing.detail.get("requested") != requested:
                raise Conflict(
                    _("这个退款编号已用于这个订单的另一笔退款。"), code="refund_key_reused", fields={"key": key}
                )
            return existing
        if order.state not in rules.REFUNDABLE or payment is None:
            raise Conflict(
                _("订单当前状态为“%(state)s”，没有可退的款项。") % {"state": order.get_state_display()},
                code="order_not_refundable",
            )
        lines = list(order.lines.select_for_update().order_by("pk"))
        plan = _plan(order, lines, wanted)
        coupon_before = _coupon_refunded(lines)
        split = _split_cash(lines, plan)
        changed = [line for line in lines if line.pk in plan.lines]
        returned = []
        for line in changed:
            before, line.refunded_fen = line.refunded_fen, line.refunded_fen + plan.lines[line.pk]
            returned.append(
                (line.product_id, rules.units_refunded_whole(before, line.refunded_fen, line.unit_price_fen))
            )
        OrderLine.objects.bulk_update(changed, ["refunded_fen"])
        catalog.record_returns(returned, local_date(order.paid_at or clock.now()))  # a refundable order was paid
        order.refunded_fen += plan.total_fen
        order.save(update_fields=["refunded_fen"])
        granted = {str(line_id): fen for line_id, fen in plan.lines.items()}
        cash = split.cash_fen + plan.shipping_fen
        if cash <= 0:
            raise Conflict(_("这笔退款的商品金额已全部由优惠券或补偿抵扣，没有可退的现金。"), code="refund_no_cash")
        detail = {
            "order_id": order.pk,
            "requested": requested,
            "lines": granted,
            "shipping_fen": plan.shipping_fen,
            "coupon_fen": split.coupon_fen,
            "compensation_deducted_fen": split.deducted_fen,
        }
        source = _refund_source(order)
        if advance:
            detail["advanced_from"], source = source, ledger.PLATFORM_ADVANCES
        refund = payments.request_refund(
            payment, cash, key=refund_key, reason=reason, detail=detail, source=source, actor=actor
        )
        _return_kept_back(order, refund, split, coupon_before)
        events.record(
            "order.refunded",
            order,
            {
                "refund_id": refund.pk,
                "reason": reason,
                "lines": granted,
                "shipping_fen": plan.shipping_fen,
                "refunded_fen": cash,
                "value_fen": plan.total_fen,
            },
            actor=actor,
        )
    return refund


@dataclass(frozen=True)
class CashSplit:
    """What one refund of goods gives back in cash, what of it coupons had paid (back to their issuers) and
    what it keeps back for compensation already paid (RULES §13, §6)."""

    cash_fen: int
    coupon_fen: int
    deducted: dict[str, int]  # compensation kept back: ledger account that paid it -> fen

    @property
    def deducted_fen(self) -> int:
        return sum(self.deducted.values())


def _split_cash(lines: list[OrderLine], plan: rules.RefundPlan) -> CashSplit:
    cash = coupon = 0
    deducted: Counter[str] = Counter()
    for line in lines:
        value = plan.lines.get(line.pk, 0)
        if not value:
            continue
        after = line.refunded_fen + value
        line_cash = rules.cash_of_refund(line.refunded_fen, after, line.total_fen, line.discount_fen)
        kept = rules.compensation_deducted(line_cash, line.compensated_fen, after == line.total_fen)
        cash, coupon = cash + line_cash - kept, coupon + value - line_cash
        deducted.update(rules.split_by_funder(line.compensation_funding, 0, kept))
    return CashSplit(cash, coupon, dict(deducted))


def _coupon_refunded(lines: list[OrderLine]) -> int:
    """The coupons' part of the order's refunds so far: each line's value refunded less its cash share."""
    return sum(
        line.refunded_fen - rules.cash_refunded(line.refunded_fen, line.total_fen, line.discount_fen) for line in lines
    )


def _return_kept_back(order: Order, refund: Refund, split: CashSplit, coupon_before: int) -> None:
    """The value a refund does not pay the buyer leaves where the order's money is (escrow, or the merchant's
    payable) for whoever paid it: the coupons' part to their issuers, in proportion to what each funded;
    compensation kept back to the accounts that paid it (the platform's compensation account, a merchant's
    payable)."""
    to_funders = rules.split_by_funder(order.discount_funding, coupon_before, coupon_before + split.coupon_fen)
    if not split.coupon_fen and not split.deducted_fen:
        return
    source = _refund_source(order)
    ledger.post(
        f"refund:{refund.pk}:kept_back",
        "refund_kept_back",
        [
            ledger.Line(source, split.coupon_fen + split.deducted_fen),
            *(ledger.Line(account, -fen) for account, fen in to_funders.items()),
            *(ledger.Line(account, -fen) for account, fen in split.deducted.items()),
        ],
        memo=refund.reason,
        subject=refund,
    )


def recover_advance(refund: Refund, *, actor=None) -> None:
    """The merchant's side of a 极速退款 comes back to the platform: from the account the refund would have
    been paid from (escrow, or the merchant's payable, which may go below zero: the platform's claim on the
    merchant). Once per refund, whoever calls."""
    source = refund.detail.get("advanced_from")
    if not source:
        return
    ledger.post(
        f"refund:{refund.pk}:recovered",
        "advance_recovered",
        [ledger.Line(source, refund.amount_fen), ledger.Line(ledger.PLATFORM_ADVANCES, -refund.amount_fen)],
        memo=refund.reason,
        subject=refund,
    )
    events.record("refund.advance_recovered", refund, {"amount_fen": refund.amount_fen, "from": source}, actor=actor)


def bear_advance(refund: Refund, *, actor=None) -> None:
    """The platform keeps the loss of a 极速退款 it advanced when ops rule for the merchant (the return came back
    wrong): the merchant is paid the value the refund took from it, and the advance is written off to
    `platform:advance_losses`. It shares the recovery's ledger key: an advance is closed once, either way."""
    source = refund.detail["advanced_from"]
    merchant = ledger.merchant_payable(Order.objects.get(pk=refund.detail["order_id"]).merchant_id)
    amount = refund.amount_fen
    ledger.post(
        f"refund:{refund.pk}:recovered",
        "advance_borne",
        [
            ledger.Line(ledger.PLATFORM_ADVANCE_LOSSES, amount),
            ledger.Line(ledger.PLATFORM_ADVANCES, -amount),
            ledger.Line(source, amount),  # nothing moves here when the merchant's payable was the source
            ledger.Line(merchant, -amount),
        ],
        memo=refund.reason,
        subject=refund,
    )
    events.record("refund.advance_borne", refund, {"amount_fen": amount, "from": source}, actor=actor)


def record_compensation(line_id: int, amount_fen: int, *, paid_from: str) -> OrderLine:
    """Count money paid to the buyer because of a line beyond any refund (买贵必赔, 价保), inside the payer's
    transaction: the line's `compensated_fen` grows, never past what the line cost, and `paid_from` (the
    ledger account that paid) is remembered so that a later full refund gives the deduction back to it.
    Locks the line."""
    line = OrderLine.objects.select_for_update().get(pk=line_id)
    if amount_fen <= 0 or line.compensated_fen + amount_fen > line.total_fen:
        raise Conflict(_("补偿金额超过了这件商品的实付金额。"), code="compensation_exceeds_paid")
    line.compensated_fen += amount_fen
    line.compensation_funding = {
        **line.compensation_funding,
        paid_from: line.compensation_funding.get(paid_from, 0) + amount_fen,
    }
    line.save(update_fields=["compensated_fen", "compensation_funding"])
    return line


def lock_order(order_id: int) -> Order:
    """Lock an order for a change that may refund it, in the one lock order (checkout -> payment -> order)."""
    return _lock_for_refund(order_id)[1]


def refund_by_ops(staff, order_id: int, *, line_id: int, amount_fen: int, reason: Any, key: int) -> Refund:
    """Ops give back part or all of one line (a goodwill refund, a missing item), saying why. `key` is the
    number of this refund on the order as the ops page showed it (`ops:<key>`), so a form sent twice refunds
    once, and two people refunding from one view of the page cannot both take the same money."""
    require_role(staff, "ops")
    why = clean_text(reason, field="reason", max_length=rules.OPS_REASON_MAX)
    order = owned(Order.objects.filter(pk=order_id), _("找不到这个订单。"))
    return refund_lines(order, {line_id: amount_fen}, key=f"ops:{key}", reason=why, actor=staff)


def _amounts(amounts: Mapping[Any, Any]) -> dict[int, int]:
    try:
        return {int(line_id): int(fen) for line_id, fen in amounts.items()}
    except (TypeError, ValueError):
        raise AnxinError(
            _("退款金额须是每一行的整数分。"), code="invalid_refund_amount", fields={"amounts": _("格式不正确")}
        ) from None


def _plan(order: Order, lines: list[OrderLine], wanted: dict[int, int] | None) -> rules.RefundPlan:
    paid = [rules.PaidLine(line.pk, line.total_fen, line.refunded_fen) for line in lines]
    try:
        return rules.plan_refund(
            paid,
            rules.remaining_fen(paid) if wanted is None else wanted,
            shipping_fen=order.shipping_fen,
            shipping_refunded_fen=order.refunded_fen - sum(line.refunded_fen for line in lines),
        )
    except rules.RefundRefused as refused:
        raise _refusal(refused) from None


def _refusal(refused: rules.RefundRefused) -> AnxinError:
    fields = {"line_id": str(refused.line_id)} if refused.line_id is not None else {}
    if refused.reason == "exceeds_paid":
        return Conflict(_("退款金额超过了这一行的实付金额减去已退金额。"), code="refund_exceeds_paid", fields=fields)
    messages = {
        "unknown_line": _("这个订单中没有这一行商品。"),
        "negative_amount": _("退款金额不能为负数。"),
        "nothing_to_refund": _("没有要退的金额。"),
    }
    return AnxinError(messages[refused.reason], code=f"refund_{refused.reason}", fields=fields)


def _refund_source(order: Order) -> str:
    """Before completion the money is in escrow; after it, the merchant was credited and gives it back."""
    if order.state == Order.State.COMPLETED:
        return ledger.merchant_payable(order.merchant_id)
    return ledger.ESCROW


def mark_made(staff, order_id: int, line_id: int | None = None, *, whole: bool = False) -> list[OrderLine]:
    """The merchant records that personalized lines of a paid order are made: the line `line_id`, or with
    `whole` every one not yet made. A line already made, or an order no longer waiting to ship, is refused
    and nothing changes."""
    with transaction.atomic():
        order = merchant_order(staff, order_id, lock=True)
        if order.state != Order.State.PAID:
            raise Conflict(_("只有已付款、未发货的订单可以标记制作。"), code="not_in_production")
        lines = order.lines.select_for_update().exclude(answers=[]).order_by("pk")
        if not whole:
            if line_id is None or not lines.filter(pk=line_id).exists():
                raise NotFound(_("找不到这个订单行。"))
            lines = lines.filter(pk=line_id)
        to_make = [line for line in lines if line.made_at is None]
        if not to_make:
            raise Conflict(_("已经标记为制作完成。"), code="already_made")
        now = clock.now()
        for line in to_make:
            line.made_at = now
        OrderLine.objects.bulk_update(to_make, ["made_at"])
        events.record("order.lines_made", order, {"line_ids": [line.pk for line in to_make]}, actor=staff)
    return to_make


def mark_shipped(staff, order_id: int, *, carrier: str, tracking_number: str) -> Order:
    """The order's side of shipping: state, stock leaving the warehouse, the late-shipment record.

    Called by `fulfilment.services.ship`, which checks the carrier and tracking number and opens the order's
    shipment in the same transaction; ship through that, so every shipped order can be tracked and
    delivered by its carrier's scans."""
    tracking = tracking_number
    merchant_order(staff, order_id)
    with transaction.atomic():
        order = merchant_order(staff, order_id, lock=True)
        _move(order, Order.State.SHIPPED)
        now = clock.now()
        order.shipped_at = now
        order.save(update_fields=["state", "shipped_at"])
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
    if due is not None:  # neither shipped nor delivered: nothing to complete yet
        deadlines.schedule(AUTO_COMPLETE, order.pk, due)


def deliver(order_id: int, *, at, actor=None) -> Order:
    """The parcel reached the buyer: judged against the promise fixed at checkout; a late one is an event."""
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None:
            raise NotFound(_("找不到这个订单。"))
        _move(order, Order.State.DELIVERED)
        order.delivered_at = at
        if order.promise_latest is not None:
            promise = shipping_rules.Promise(order.promise_earliest or order.promise_latest, order.promise_latest)
            order.delivery_days_late = promise.days_late(local_date(at))
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


def flag_overdue_shipment(order_id: int) -> None:
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is not None and order.state == Order.State.PAID and order.ship_by is not None:
        events.record("order.shipment_overdue", order, {"ship_by": order.ship_by.isoformat()})


def auto_complete(order_id: int) -> None:
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is not None and order.state in {Order.State.SHIPPED, Order.State.DELIVERED}:
        _complete(order, by="auto")
