"""PostgreSQL: PATCH and DELETE of one cart line racing in threads: each answers 200 or 404, never a 500."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from anxin.core.errors import NotFound
from anxin.geo.services import ensure_builtin_regions
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 15


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL; CI runs this suite with DATABASE_URL set")
    ensure_builtin_regions()  # a transactional test starts from a flushed database


def _race(action, start: threading.Barrier) -> str:
    try:
        start.wait()
        action()
        return "ok"
    except NotFound:
        return "not_found"
    finally:
        connections.close_all()


def _one_round(buyer, sku_id: int) -> tuple[str, str, int]:
    line = checkouts.add_to_cart(buyer, sku_id, 1)
    start = threading.Barrier(2)
    actions = [
        lambda: checkouts.set_cart_quantity(buyer, line.pk, 3),
        lambda: checkouts.remove_cart_line(buyer, line.pk),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        change, removal = pool.map(lambda action: _race(action, start), actions)
    return change, removal, line.pk


def test_a_quantity_change_racing_a_removal_is_ok_or_not_found():
    buyer = f.buyer()
    sku = f.product(stock=50).skus.first()
    for _ in range(ROUNDS):
        change, removal, line_id = _one_round(buyer, sku.pk)
        assert removal == "ok" and change in {"ok", "not_found"}
        assert not CartLine.objects.filter(pk=line_id).exists()
