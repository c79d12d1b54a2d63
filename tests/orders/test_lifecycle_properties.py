"""Hypothesis drives random sequences of buyer, merchant, carrier and clock actions over a few orders.

A model of RULES §3 predicts every step: a legal action must succeed and move the orders as the model says;
an illegal one must be refused with the exact error and code, and then nothing may have changed (orders,
stock, ledger, events, deadlines). After every step the orders are in the model's states, held and shipped
stock match the model, each overdue order is flagged once, and `anxin audit` finds nothing.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from anxin.checkout import services as checkouts
from anxin.core import audit, clock, config, deadlines, ledger
from anxin.core.errors import AnxinError, Conflict
from anxin.core.models import Deadline, Event, LedgerTransaction
from anxin.fulfilment import services as fulfilment
from anxin.inventory.models import Stock
from anxin.orders import services
from anxin.orders.models import Order
from tests import factories as f
from tests import stateful

pytestmark = pytest.mark.django_db

PENDING, PAID, SHIPPED, DELIVERED, COMPLETED, CANCELLED = (
    "pending_payment",
    "paid",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
)
STOCK = 500
CARRIER = "顺丰"
PAY_WITHIN = timedelta(minutes=30)
SHIP_WITHIN = timedelta(hours=48)
COMPLETE_AFTER_DELIVERY = timedelta(days=7)
COMPLETE_AFTER_SHIPPING = timedelta(days=15)
DAY = timedelta(days=1)


def carrier_account():
    """The account of the company the parcels are shipped with (`CARRIER`): it may scan only its own legs."""
    return f.carrier("SF")


def scan_delivered(carrier, tracking_number: str) -> None:
    fulfilment.record_scan(carrier, {"tracking_number": tracking_number, "kind": "delivered", "carrier": CARRIER})


@dataclass
class World:
    """What every example shares, made once: two shops (one with two SKUs), their staff, a buyer, a carrier."""

    buyer: object
    address_id: int
    skus: list
    staff: dict
    carrier: object


@pytest.fixture
def world(settings) -> World:
    first, second = f.merchant(), f.merchant()
    skus = [
        f.product(shop, price_fen=2000 + 3000 * i, stock=STOCK).skus.first()
        for i, shop in enumerate([first, first, second])
    ]
    buyer = f.buyer()
    return World(
        buyer=buyer,
        address_id=f.address(buyer).pk,
        skus=skus,
        staff={shop.pk: f.staff(shop) for shop in (first, second)},
        carrier=carrier_account(),
    )


@dataclass
class Expected:
    """An order as the model sees it."""

    pk: int
    checkout_id: int
    merchant_id: int
    quantities: Counter
    state: str = PENDING
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    tracking_number: str = ""
    parcel_delivered: bool = False
    flagged_overdue: bool = False

    def auto_complete_at(self) -> datetime | None:
        if self.delivered_at is not None:
            return self.delivered_at + COMPLETE_AFTER_DELIVERY
        if self.shipped_at is not None:
            return self.shipped_at + COMPLETE_AFTER_SHIPPING
        return None


@dataclass(frozen=True)
class Refusal:
    error: type[AnxinError]
    code: str


INVALID_STATE = Refusal(Conflict, "invalid_state")
CANCEL_REFUSALS = {
    SHIPPED: Refusal(Conflict, "already_shipped"),
    DELIVERED: Refusal(Conflict, "already_shipped"),
    COMPLETED: Refusal(Conflict, "already_shipped"),
    CANCELLED: Refusal(Conflict, "already_cancelled"),
}
ALREADY_PAID = Refusal(Conflict, "already_paid")
CHECKOUT_CANCELLED = Refusal(Conflict, "checkout_cancelled")  # the buyer cancelled it in time
CHECKOUT_EXPIRED = Refusal(Conflict, "checkout_expired")  # the payment window closed
ORDER_INDEX = st.integers(0, 11)


@dataclass
class Checkout:
    state: str
    pay_by: datetime
    order_ids: list[int] = field(default_factory=list)


class Lifecycle(RuleBasedStateMachine):
    def __init__(self, world: World):
        super().__init__()
        self.world = world
        self.orders: dict[int, Expected] = {}
        self.checkouts: dict[int, Checkout] = {}
        self.keys = 0
        # Each example runs inside a savepoint rolled back at teardown, so examples never see each other.
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        clock.freeze(clock.now().replace(microsecond=0))

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)
        clock.reset()
        config.invalidate()
        ledger.forget_cached_accounts()

    # --- helpers ----------------------------------------------------------------------------------------

    def _pick(self, index: int, *, shipped_only: bool = False) -> Expected:
        candidates = [o for o in self.orders.values() if o.tracking_number or not shipped_only]
        return candidates[index % len(candidates)]

    def _snapshot(self) -> tuple:
        return (
            list(Order.objects.order_by("pk").values_list("pk", "state", "refunded_fen")),
            list(Stock.objects.order_by("pk").values_list("pk", "available", "allocated")),
            list(Deadline.objects.order_by("pk").values_list("pk", "state", "due_at")),
            LedgerTransaction.objects.count(),
            Event.objects.count(),
        )

    def _attempt(self, action, refusal: Refusal | None) -> None:
        """Run a legal action; or check that an illegal one is refused exactly and leaves no trace."""
        if refusal is None:
            action()
            return
        before = self._snapshot()
        with pytest.raises(AnxinError) as caught:
            action()
        assert (type(caught.value), caught.value.code) == (refusal.error, refusal.code), caught.value.message
        assert self._snapshot() == before

    def _checkout_orders(self, checkout_id: int) -> list[Expected]:
        return [self.orders[pk] for pk in self.checkouts[checkout_id].order_ids]

    # --- actions: each checks itself against the model, then moves the model ---------------------------

    def _place(self, picks: list[tuple[int, int]]) -> None:
        buyer = self.world.buyer
        for sku_index, quantity in picks:
            checkouts.add_to_cart(buyer, self.world.skus[sku_index].pk, quantity)
        self.keys += 1
        checkout = checkouts.place_order(buyer, address_id=self.world.address_id, idempotency_key=f"k{self.keys}")
        self.checkouts[checkout.pk] = Checkout(PENDING, clock.now() + PAY_WITHIN)
        wanted: dict[int, Counter] = {}
        for sku_index, quantity in picks:
            sku = self.world.skus[sku_index]
            wanted.setdefault(sku.product.merchant_id, Counter())[sku.pk] += quantity
        placed = dict(checkout.orders.values_list("merchant_id", "pk"))
        assert set(placed) == set(wanted)
        for merchant_id, quantities in wanted.items():
            self.orders[placed[merchant_id]] = Expected(placed[merchant_id], checkout.pk, merchant_id, quantities)
            self.checkouts[checkout.pk].order_ids.append(placed[merchant_id])

    @staticmethod
    def _pay_refusal(checkout: Checkout) -> Refusal | None:
        if checkout.state == PAID:
            return ALREADY_PAID
        if checkout.state == CANCELLED or clock.now() >= checkout.pay_by:
            return CHECKOUT_EXPIRED if clock.now() >= checkout.pay_by else CHECKOUT_CANCELLED
        return None

    def _pay(self, order: Expected) -> None:
        checkout = self.checkouts[order.checkout_id]
        buyer = self.world.buyer

        def pay_for_checkout():
            payment = checkouts.start_payment(buyer, order.checkout_id)
            checkouts.simulate_provider_approval(buyer, payment.pk)

        self._attempt(pay_for_checkout, self._pay_refusal(checkout))
        if checkout.state == PENDING:
            checkout.state = PAID
            for each in self._checkout_orders(order.checkout_id):
                each.state, each.paid_at = PAID, clock.now()

    def _cancel(self, order: Expected) -> None:
        self._attempt(lambda: services.cancel_order(self.world.buyer, order.pk), CANCEL_REFUSALS.get(order.state))
        if order.state == PENDING:  # unpaid orders are paid together, so they are cancelled together
            self.checkouts[order.checkout_id].state = CANCELLED
            for each in self._checkout_orders(order.checkout_id):
                each.state = CANCELLED
        elif order.state == PAID:
            order.state = CANCELLED

    def _ship(self, order: Expected) -> None:
        self.keys += 1
        tracking = f"SF{order.pk:08d}{self.keys:04d}"
        staff = self.world.staff[order.merchant_id]
        refusal = None if order.state == PAID else INVALID_STATE
        self._attempt(lambda: fulfilment.ship(staff, order.pk, carrier=CARRIER, tracking_number=tracking), refusal)
        if refusal is None:
            order.state, order.shipped_at, order.tracking_number = SHIPPED, clock.now(), tracking

    def _scan_delivered(self, order: Expected) -> None:
        """The last leg's delivery scan delivers a shipped order; a second one, or one after completion,
        is kept as a record and changes no order."""
        before = self._snapshot()
        scan_delivered(self.world.carrier, order.tracking_number)
        if order.parcel_delivered or order.state == COMPLETED:
            assert self._snapshot()[0] == before[0]
        order.parcel_delivered = True
        if order.state == SHIPPED:
            order.state, order.delivered_at = DELIVERED, clock.now()

    def _confirm_receipt(self, order: Expected) -> None:
        refusal = None if order.state in {SHIPPED, DELIVERED} else INVALID_STATE
        self._attempt(lambda: services.confirm_receipt(self.world.buyer, order.pk), refusal)
        if refusal is None:
            order.state = COMPLETED

    # --- rules ------------------------------------------------------------------------------------------

    @initialize()
    def a_checkout_from_both_shops(self):
        self._place([(0, 1), (2, 2)])

    @precondition(lambda self: len(self.checkouts) < 6)
    @rule(picks=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 3)), min_size=1, max_size=3))
    def place(self, picks):
        self._place(picks)

    @rule(index=ORDER_INDEX)
    def the_order_moves_on(self, index):
        """The next step of the happy path, so that random sequences reach every state."""
        order = self._pick(index)
        step = {PENDING: self._pay, PAID: self._ship, DELIVERED: self._confirm_receipt}.get(order.state)
        if order.state == SHIPPED:
            step = self._confirm_receipt if order.parcel_delivered else self._scan_delivered
        if step is not None:
            step(order)

    @rule(index=ORDER_INDEX)
    def pay(self, index):
        self._pay(self._pick(index))

    @rule(index=ORDER_INDEX)
    def cancel(self, index):
        self._cancel(self._pick(index))

    @rule(index=ORDER_INDEX)
    def ship(self, index):
        self._ship(self._pick(index))

    @precondition(lambda self: any(o.tracking_number for o in self.orders.values()))
    @rule(index=ORDER_INDEX)
    def carrier_scans_delivered(self, index):
        self._scan_delivered(self._pick(index, shipped_only=True))

    @rule(index=ORDER_INDEX)
    def confirm_receipt(self, index):
        self._confirm_receipt(self._pick(index))

    @rule(step=st.sampled_from([timedelta(minutes=1), PAY_WITHIN, SHIP_WITHIN, COMPLETE_AFTER_DELIVERY + DAY]))
    def time_passes(self, step):
        """The worker applies every deadline that fell due: unpaid checkouts expire, unshipped orders are
        flagged overdue, shipped and delivered orders complete on their own."""
        now = clock.advance(step)
        deadlines.run_due()
        for checkout in self.checkouts.values():
            if checkout.state == PENDING and checkout.pay_by <= now:
                checkout.state = CANCELLED
                for pk in checkout.order_ids:
                    self.orders[pk].state = CANCELLED
        for order in self.orders.values():
            if order.state == PAID and order.paid_at + SHIP_WITHIN <= now:
                order.flagged_overdue = True
            if order.state in {SHIPPED, DELIVERED} and order.auto_complete_at() <= now:
                order.state = COMPLETED

    # --- invariants -------------------------------------------------------------------------------------

    @invariant()
    def orders_are_in_the_models_states(self):
        actual = dict(Order.objects.values_list("pk", "state"))
        assert actual == {pk: order.state for pk, order in self.orders.items()}

    @invariant()
    def stock_is_held_for_open_orders_and_gone_with_shipped_ones(self):
        held, gone = Counter(), Counter()
        for order in self.orders.values():
            if order.state in {PENDING, PAID}:
                held.update(order.quantities)
            elif order.state in {SHIPPED, DELIVERED, COMPLETED}:
                gone.update(order.quantities)
        for sku in self.world.skus:
            stock = Stock.objects.get(sku=sku)
            assert (stock.allocated, stock.available) == (held[sku.pk], STOCK - held[sku.pk] - gone[sku.pk])

    @invariant()
    def each_overdue_order_is_flagged_once(self):
        flagged = Counter(Event.objects.filter(kind="order.shipment_overdue").values_list("subject_id", flat=True))
        assert flagged == Counter({pk: 1 for pk, order in self.orders.items() if order.flagged_overdue})

    @invariant()
    def the_audit_finds_nothing(self):
        assert {name: problems for name, problems in audit.run_all().items() if problems} == {}


def test_random_lifecycles_follow_the_rules_and_keep_every_invariant(world):
    run_state_machine_as_test(
        lambda: Lifecycle(world),
        settings=stateful.database_machine(examples=20, steps=25),
    )
