"""The seller sees a buyer's cancellation: on the dashboard for a week, and on the order's page with when and why."""

from datetime import timedelta

import pytest

from anxin.core import clock
from anxin.orders import services
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def test_a_paid_order_the_buyer_cancelled_is_on_the_dashboard_and_the_order_says_so(client):
    order = paid_order()
    services.cancel_order(order.buyer, order.pk)
    unpaid = paid_order(shop=order.merchant, pay=False)
    services.cancel_order(unpaid.buyer, unpaid.pk)
    client.force_login(f.staff(order.merchant))
    dashboard = client.get("/seller/").text
    assert "买家取消的订单（最近 7 天）" in dashboard
    assert order.number in dashboard and unpaid.number not in dashboard
    page = client.get(f"/seller/orders/{order.pk}/").text
    assert "买家已取消" in page and "买家在发货前取消了订单" in page and "请不要发货" in page
    assert "确认发货" not in page


def test_the_notice_leaves_the_dashboard_after_a_week_and_never_shows_another_shops(client):
    order = paid_order()
    services.cancel_order(order.buyer, order.pk)
    client.force_login(f.staff())
    assert order.number not in client.get("/seller/").text
    client.force_login(f.staff(order.merchant))
    clock.advance(timedelta(days=8))
    assert "买家取消的订单" not in client.get("/seller/").text
