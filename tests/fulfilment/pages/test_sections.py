"""Fulfilment's sections of the order pages: tracking with both legs, and the seller's ship form."""

from datetime import timedelta

import pytest

from anxin.core import clock
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Scan
from anxin.shipping import queries as shipping_queries
from anxin.web.templatetags.anxin_web import promise_text
from tests import factories as f
from tests.fulfilment.helpers import (
    deliver_from_hub,
    remote_order,
    scan,
    to_hub,
)
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def test_buyer_order_page_shows_both_legs_with_their_scans_the_promise_and_on_time(client):
    clock.freeze(clock.now().replace(microsecond=0))
    order = remote_order()
    to_hub(order, "750100000001")
    deliver_from_hub(order, "9000200000001")
    assert order.delivery_days_late == 0
    client.force_login(order.buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert r.status_code == 200
    tracking = r.text[r.text.index('id="tracking"') :]
    leg1 = tracking[tracking.index('id="leg-1"') : tracking.index('id="leg-2"')]
    leg2 = tracking[tracking.index('id="leg-2"') :]
    assert "第一段：商家 → 西安市中转仓" in leg1 and "中通" in leg1 and "750100000001" in leg1
    assert "已揽收" in leg1 and "到达中转仓" in leg1
    assert "第二段：西安市中转仓 → 收货地址" in leg2 and "邮政" in leg2 and "9000200000001" in leg2
    assert "离开中转仓" in leg2 and "派送中" in leg2 and "已签收" in leg2
    assert promise_text(order.promise_earliest, order.promise_latest) in tracking
    assert "准时送达" in tracking
    delivered = Scan.objects.get(tracking_number="9000200000001", kind="delivered")
    shanghai = delivered.at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert shanghai.strftime("%Y-%m-%d %H:%M") in leg2


def test_a_late_delivery_says_by_how_many_days(client):
    clock.freeze(clock.now().replace(microsecond=0))
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000300000001")
    order.refresh_from_db()
    clock.advance(timedelta(days=(order.promise_latest - shipping_queries.local_date(clock.now())).days + 2))
    scan("SF000300000001", "delivered")
    client.force_login(order.buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert "晚到 2 天" in r.text
    assert "第一段" not in r.text and "商家 → 收货地址" in r.text


def test_an_order_not_yet_shipped_says_tracking_comes_after_shipping(client):
    order = remote_order()
    client.force_login(order.buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert "商家发货后可在这里查看物流" in r.text
    assert "经西安市中转仓配送" in r.text


def test_ship_form_errors_are_shown_in_place_and_keep_what_was_typed(client):
    shop = f.merchant()
    order = paid_order(shop=shop)
    client.force_login(f.staff(shop))
    r = client.post(f"/seller/orders/{order.pk}/", {"carrier": "顺丰速运", "tracking_number": "x!"})
    assert r.status_code == 400
    assert "运单号须为" in r.text and '<option value="顺丰速运" selected>' in r.text
    order.refresh_from_db()
    assert order.state == "paid"


def test_shipping_an_order_twice_is_refused_with_a_message(client):
    shop = f.merchant()
    order = paid_order(shop=shop)
    client.force_login(f.staff(shop))
    assert (
        client.post(f"/seller/orders/{order.pk}/", {"carrier": "顺丰", "tracking_number": "SF001234567890"}).status_code
        == 302
    )
    r = client.post(f"/seller/orders/{order.pk}/", {"carrier": "顺丰", "tracking_number": "SF001234567890"})
    assert r.status_code == 409
    assert "不能进行这个操作" in r.text
