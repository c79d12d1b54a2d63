"""PostgreSQL: one coupon applied by two checkouts at once is used once; the other is refused, nothing placed."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from anxin.checkout import services as checkouts
from anxin.core.errors import Conflict
from anxin.coupons.models import Coupon
from anxin.orders.models import Checkout
from tests import factories as f
from tests.postgres import require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    require_postgres()


def _place(buyer_id: int, address_id: int, sku_id: int, coupon_id: int, key: str, start: threading.Barrier) -> str:
    from anxin.accounts.models import User

    try:
        buyer = User.objects.get(pk=buyer_id)
        start.wait()
        checkouts.place_order(
            buyer,
            address_id=address_id,
            idempotency_key=key,
            buy_now=checkouts.BuyNow(sku_id, 1, {}),
            coupon_ids=[coupon_id],
        )
        return "placed"
    except Conflict as exc:
        return exc.code
    finally:
        connections.close_all()


def test_one_coupon_in_two_checkouts_at_once_is_used_once():
    buyer = f.buyer()
    address = f.address(buyer)
    sku = f.product(f.merchant(), price_fen=3000).skus.first()
    coupon = f.coupon(buyer, 500)
    start = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(lambda key: _place(buyer.pk, address.pk, sku.pk, coupon.pk, key, start), ["race-a", "race-b"])
        )
    assert sorted(results) == ["coupon_unavailable", "placed"]
    assert Checkout.objects.count() == 1
    coupon = Coupon.objects.get(pk=coupon.pk)
    assert (coupon.state, coupon.checkout_id) == ("used", Checkout.objects.get().pk)
