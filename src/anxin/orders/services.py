"""Orders and their lifecycle after checkout: the only code that changes orders.

Locks are always taken in the same order: checkout -> orders (by pk) -> stock (by pk). Fulfilment sits
above this floor and calls `mark_shipped` and `deliver`; nothing here knows of shipments or scans.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from anxin.core import clock, config, deadlines, events, ledger
from anxin.core.errors import Conflict, NotFound
from anxin.core.permissions import owned, require_role
from anxin.inventory import services as inventory
from anxin.orders import rules
from anxin.orders.models import Checkout, Order, OrderLine
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
            if order.state == Order.State.CANCELLED:
                raise Conflict(_("订单已经取消了。"), code="already_cancelled")
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
