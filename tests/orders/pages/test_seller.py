"""The seller center's orders: who may enter, the dashboard, orders by state, remote orders' hub."""

import re
from datetime import timedelta

import pytest

from anxin.core import clock
from anxin.orders.models import Order
from tests import factories as f
from tests.fulfilment.helpers import (
    remote_order,
)
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def test_a_seller_order_to_urumqi_is_marked_and_shows_the_hub_and_the_final_address(client):
    order = remote_order()
    client.force_login(f.staff(order.merchant))
    listing = client.get("/seller/orders/")
    row = re.search(rf"<tr[^>]*>\s*<td><a href=\"/seller/orders/{order.pk}/\">.*?</tr>", listing.text, re.S).group(0)
    assert "偏远·中转" in row
    detail = client.get(f"/seller/orders/{order.pk}/")
    assert "发往中转仓：西安市（610100）" in detail.text
    assert "买家最终收货地址" in detail.text and "乌鲁木齐市" in detail.text
    slip = client.get(f"/seller/orders/{order.pk}/packing-slip/")
    assert "发往中转仓：西安市（610100）" in slip.text and "乌鲁木齐市" in slip.text


def test_an_ordinary_seller_order_has_no_hub(client):
    order = paid_order()
    client.force_login(f.staff(order.merchant))
    assert "偏远·中转" not in client.get("/seller/orders/").text
    assert "发往中转仓" not in client.get(f"/seller/orders/{order.pk}/").text


def test_the_seller_center_is_for_merchant_staff_only(client):
    assert client.get("/seller/").status_code == 302
    for user in (f.buyer(), f.ops(), f.courier()):
        client.force_login(user)
        assert client.get("/seller/").status_code == 404
        assert client.get("/seller/production/").status_code == 404
    client.force_login(f.staff())
    assert client.get("/seller/").status_code == 200


def test_dashboard_counts_orders_to_ship_highlights_overdue_ones_and_shows_todays_sales(client):
    shop = f.merchant()
    late = paid_order(shop=shop, price_fen=10000)
    Order.objects.filter(pk=late.pk).update(ship_by=clock.now() - timedelta(hours=1))
    paid_order(shop=shop, price_fen=20000)
    client.force_login(f.staff(shop))
    r = client.get("/seller/")
    assert r.status_code == 200
    assert '<div class="n">2</div>' in r.text  # to ship
    assert "已超时" in r.text and 'class="overdue"' in r.text
    assert "¥300.00" in r.text


def test_another_merchants_order_is_not_found_in_the_seller_center(client):
    order = paid_order(answers_text="李雷")
    client.force_login(f.staff())
    assert client.get(f"/seller/orders/{order.pk}/").status_code == 404
    assert client.get(f"/seller/orders/{order.pk}/packing-slip/").status_code == 404
    r = client.post(f"/seller/orders/{order.pk}/", {"carrier": "顺丰", "tracking_number": "SF001234567890"})
    assert r.status_code == 404
    assert "李雷" not in client.get("/seller/production/").text
    order.refresh_from_db()
    assert order.state == "paid"


def test_order_list_filters_by_state(client):
    shop = f.merchant()
    paid_order(shop=shop)
    unpaid = paid_order(shop=shop, pay=False)
    client.force_login(f.staff(shop))
    r = client.get("/seller/orders/", {"state": "pending_payment"})
    assert r.status_code == 200
    assert unpaid.number in r.text and r.text.count("<tr") == 2


@pytest.mark.parametrize("count", [3, 30])
def test_seller_order_list_queries_do_not_grow_with_orders(client, django_assert_max_num_queries, count):
    shop = f.merchant()
    buyer = f.buyer()
    for i in range(count):
        paid_order(buyer, shop=shop, answers_text=f"名{i}" if i % 2 else "")
    client.force_login(f.staff(shop))
    with django_assert_max_num_queries(8):
        r = client.get("/seller/orders/")
    assert r.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/seller/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/seller/production/").status_code == 200


def test_order_detail_shows_the_personalization_and_ships(client):
    shop = f.merchant()
    order = paid_order(shop=shop, answers_text="韩梅梅")
    client.force_login(f.staff(shop))
    r = client.get(f"/seller/orders/{order.pk}/")
    assert "韩梅梅" in r.text and "确认发货" in r.text
    r = client.post(f"/seller/orders/{order.pk}/", {"carrier": "中通", "tracking_number": " 781234567890 "})
    assert r.status_code == 302
    r = client.get(f"/seller/orders/{order.pk}/")
    assert "781234567890" in r.text and "商家已发货" in r.text and "确认发货" not in r.text
    assert "韩梅梅" not in client.get("/seller/production/").text
