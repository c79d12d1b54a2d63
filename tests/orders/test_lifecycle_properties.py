"""Hypothesis drives random sequences of buyer, merchant, courier and clock actions; after every step the
ledger balances, escrow matches the paid orders, held stock matches open lines and nothing is negative."""

from contextlib import suppress
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from anxin.checkout import services as checkouts
from anxin.core import audit, clock, deadlines
from anxin.core.errors import AnxinError
from anxin.fulfilment import services as fulfilment
from anxin.orders import services
from anxin.orders.models import Order
from tests import factories as f


class Marketplace(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        clock.freeze(clock.now())
        self.shops = [f.merchant(), f.merchant()]
        self.skus = [
            f.product(shop, price_fen=1000 + 2500 * i, stock=6).skus.first() for i, shop in enumerate(self.shops * 2)
        ]
        self.buyers = [f.buyer(), f.buyer()]
        self.addresses = {b.pk: f.address(b).pk for b in self.buyers}
        self.keys = 0

    def _order(self, index: int) -> Order | None:
        orders = list(Order.objects.order_by("pk"))
        return orders[index % len(orders)] if orders else None

    def _attempt(self, index: int, action) -> None:
        """Apply `action(order)` to some order; the rules may refuse it, which is fine, but never break."""
        order = self._order(index)
        if order is not None:
            with suppress(AnxinError):
                action(order)

    @rule(
        buyer=st.integers(0, 1), picks=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 3)), min_size=1, max_size=3)
    )
    def place(self, buyer, picks):
        who = self.buyers[buyer]
        self.keys += 1
        with suppress(AnxinError):
            for sku_index, quantity in picks:
                checkouts.add_to_cart(who, self.skus[sku_index].pk, quantity)
            checkouts.place_order(who, address_id=self.addresses[who.pk], idempotency_key=f"k{self.keys}")

    @rule(index=st.integers(0, 50), approve=st.booleans())
    def pay(self, index, approve):
        def pay_for(order: Order) -> None:
            payment = checkouts.start_payment(order.buyer, order.checkout_id)
            checkouts.simulate_provider_approval(order.buyer, payment.pk, approve=approve)

        self._attempt(index, pay_for)

    @rule(index=st.integers(0, 50))
    def cancel(self, index):
        self._attempt(index, lambda order: services.cancel_order(order.buyer, order.pk))

    @rule(index=st.integers(0, 50))
    def ship(self, index):
        self._attempt(
            index,
            lambda order: fulfilment.ship(
                f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=f"SF{order.pk:08d}"
            ),
        )

    @rule(index=st.integers(0, 50))
    def deliver(self, index):
        self._attempt(index, lambda order: fulfilment.deliver_by_hand(f.assigned_courier(order), order.pk))

    @rule(index=st.integers(0, 50))
    def confirm(self, index):
        self._attempt(index, lambda order: services.confirm_receipt(order.buyer, order.pk))

    @rule(minutes=st.sampled_from([1, 29, 31, 60 * 49, 60 * 24 * 8, 60 * 24 * 16]))
    def time_passes(self, minutes):
        clock.advance(timedelta(minutes=minutes))
        deadlines.run_due()

    @invariant()
    def every_invariant_holds(self):
        breaches = {name: problems for name, problems in audit.run_all().items() if problems}
        assert breaches == {}


@pytest.mark.django_db
def test_random_lifecycles_keep_every_invariant():
    Marketplace.TestCase.settings = settings(
        max_examples=12, stateful_step_count=20, deadline=None, suppress_health_check=list(HealthCheck)
    )
    Marketplace.TestCase().runTest()
