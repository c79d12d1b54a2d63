"""PostgreSQL: 50 buyers in parallel threads try to buy the last 10 units; exactly 10 succeed."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection, connections

from anxin.checkout import services as checkouts
from anxin.core.errors import Conflict
from anxin.geo.services import ensure_builtin_regions
from anxin.inventory.models import Stock
from anxin.orders.models import Order
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BUYERS = 50
UNITS = 10


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL; CI runs this suite with DATABASE_URL set")
    ensure_builtin_regions()  # a transactional test starts from a flushed database


def _buy(buyer_id: int, address_id: int, sku_id: int, start: threading.Barrier) -> str:
    from anxin.accounts.models import User

    try:
        buyer = User.objects.get(pk=buyer_id)
        checkouts.add_to_cart(buyer, sku_id, 1)
        start.wait()
        checkouts.place_order(buyer, address_id=address_id, idempotency_key=f"race-{buyer_id}")
        return "ordered"
    except Conflict as exc:
        return exc.code
    finally:
        connections.close_all()


def test_fifty_buyers_racing_for_ten_units_make_exactly_ten_orders():
    item = f.product(stock=UNITS)
    sku = item.skus.first()
    buyers = [f.buyer() for _ in range(BUYERS)]
    addresses = [f.address(b) for b in buyers]
    start = threading.Barrier(BUYERS)
    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        outcomes = list(pool.map(lambda i: _buy(buyers[i].pk, addresses[i].pk, sku.pk, start), range(BUYERS)))
    assert outcomes.count("ordered") == UNITS, outcomes
    assert outcomes.count("out_of_stock") == BUYERS - UNITS, outcomes
    stock = Stock.objects.get(sku=sku)
    assert (stock.available, stock.allocated) == (0, UNITS)
    assert Order.objects.count() == UNITS
    call_command("audit")  # exits non-zero on any breach


def test_the_same_checkout_submitted_concurrently_places_one_order_set():
    buyer = f.buyer()
    address = f.address(buyer)
    item = f.product(stock=5)
    checkouts.add_to_cart(buyer, item.skus.first().pk, 2)
    start = threading.Barrier(8)

    def submit(_):
        try:
            start.wait()
            return checkouts.place_order(buyer, address_id=address.pk, idempotency_key="double-click").pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(submit, range(8)))
    assert len(ids) == 1
    assert Order.objects.count() == 1
    assert Stock.objects.get(sku=item.skus.first()).allocated == 2


def test_buy_now_double_clicked_from_a_buyer_without_a_cart_places_one_order():
    """Buy-now needs no cart row to queue on: the key's unique index decides, and the loser replays."""
    buyer = f.buyer()
    address = f.address(buyer)
    item = f.product(stock=5)
    bought = checkouts.BuyNow(item.skus.first().pk, 2, {})
    start = threading.Barrier(8)

    def submit(_):
        try:
            start.wait()
            return checkouts.place_order(buyer, address_id=address.pk, idempotency_key="now", buy_now=bought).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(submit, range(8)))
    assert len(ids) == 1
    assert Order.objects.count() == 1
    assert Stock.objects.get(sku=item.skus.first()).allocated == 2
    call_command("audit")
