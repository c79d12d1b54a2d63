"""Hand delivery on the pages: ops or the merchant assigns a courier; only that courier sees it and hands it over."""

import pytest

from anxin.core.models import Event
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Shipment
from anxin.orders.models import Order
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000710000001")
    return order


def test_ops_assigns_a_courier_on_the_order_page_and_the_event_says_ops_did(client, shipped):
    courier = f.courier()
    client.force_login(f.ops())
    page = client.get(f"/ops/orders/{shipped.pk}/")
    assert 'name="section" value="courier"' in page.text and courier.username in page.text
    r = client.post(f"/ops/orders/{shipped.pk}/", {"section": "courier", "courier_id": courier.pk}, follow=True)
    assert r.status_code == 200 and "已指派配送员" in r.text
    assert Shipment.objects.get(order=shipped).courier == courier
    event = Event.objects.get(kind="shipment.courier_assigned")
    assert event.data["as"] == "ops" and event.data["courier_id"] == courier.pk


def test_the_merchant_assigns_its_own_order_but_a_bad_choice_is_shown_and_nothing_changes(client, shipped):
    client.force_login(f.staff(shipped.merchant))
    r = client.post(f"/seller/orders/{shipped.pk}/", {"section": "courier", "courier_id": "999999"})
    assert r.status_code == 400
    assert Shipment.objects.get(order=shipped).courier is None
    assert not Event.objects.filter(kind="shipment.courier_assigned").exists()
    courier = f.courier()
    r = client.post(f"/seller/orders/{shipped.pk}/", {"section": "courier", "courier_id": courier.pk})
    assert r.status_code == 302 and Shipment.objects.get(order=shipped).courier == courier


def test_another_shops_staff_cannot_assign(client, shipped):
    client.force_login(f.staff())
    r = client.post(f"/seller/orders/{shipped.pk}/", {"section": "courier", "courier_id": f.courier().pk})
    assert r.status_code == 404
    assert Shipment.objects.get(order=shipped).courier is None


def test_the_courier_sees_only_their_deliveries_and_hands_one_over(client, shipped):
    mine = f.assigned_courier(shipped)
    other_order = paid_order()
    fulfilment.ship(f.staff(other_order.merchant), other_order.pk, carrier="顺丰", tracking_number="SF000710000002")
    f.assigned_courier(other_order)
    client.force_login(mine)
    page = client.get("/deliveries/")
    assert page.status_code == 200
    assert shipped.number in page.text and other_order.number not in page.text
    assert "我的配送" in page.text

    refused = client.post(f"/deliveries/{other_order.pk}/delivered/")
    assert refused.status_code == 404
    assert Order.objects.get(pk=other_order.pk).state == "shipped"

    r = client.post(f"/deliveries/{shipped.pk}/delivered/", follow=True)
    assert r.status_code == 200 and "已确认送达" in r.text
    assert Order.objects.get(pk=shipped.pk).state == "delivered"
    assert Shipment.objects.get(order=shipped).state == "delivered"
    assert "现在没有待送达的包裹" in r.text


def test_the_deliveries_page_is_for_couriers_and_ops_only(client):
    for who in (f.buyer(), f.staff(), f.carrier("SF")):
        client.force_login(who)
        assert client.get("/deliveries/").status_code == 404
