"""PostgreSQL: concurrent SKU edits queue on the product's and the SKU's rows, so checks hold and history chains."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from anxin.catalog import services
from anxin.catalog.models import SKU
from anxin.core.errors import AnxinError
from anxin.core.models import Event
from anxin.geo.services import ensure_builtin_regions
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL; CI runs this suite with DATABASE_URL set")
    ensure_builtin_regions()  # a transactional test starts from a flushed database


def _edit(staff, sku_id: int, data: dict, start: threading.Barrier) -> str:
    try:
        start.wait()
        services.update_sku(staff, sku_id, data)
        return "ok"
    except AnxinError as exc:
        return exc.code
    finally:
        connections.close_all()


def test_skus_racing_for_one_code_give_one_success_and_clean_refusals():
    staff = f.staff()
    item = f.product(staff.merchant)
    skus = [item.skus.first(), *(f.sku_of(item) for _ in range(THREADS - 1))]
    start = threading.Barrier(THREADS)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(lambda sku: _edit(staff, sku.pk, {"code": "SAME"}, start), skus))
    assert sorted(outcomes) == ["invalid_sku"] * (THREADS - 1) + ["ok"], outcomes
    assert SKU.objects.filter(code="SAME").count() == 1


def test_concurrent_price_changes_leave_a_history_where_each_before_is_the_last_after():
    staff = f.staff()
    sku = f.product(staff.merchant, price_fen=1000).skus.first()
    start = threading.Barrier(THREADS)
    prices = [2000 + i for i in range(THREADS)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(lambda price: _edit(staff, sku.pk, {"price_fen": price}, start), prices))
    assert outcomes == ["ok"] * THREADS
    history = [e.data for e in Event.objects.filter(kind="sku.price_changed").order_by("id")]
    assert [h["before"] for h in history] == [1000] + [h["after"] for h in history[:-1]]
    assert history[-1]["after"] == SKU.objects.get(pk=sku.pk).price_fen
