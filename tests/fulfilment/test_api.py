"""The API answers another company's or another courier's parcel with 404, names a bad field, and lists
a courier's deliveries."""

import pytest

from anxin.core.models import Event
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Scan, Shipment
from anxin.orders.models import Order
from tests import factories as f

pytestmark = pytest.mark.django_db


def shipped(tracking="SF000200000001"):
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=tracking)
    return order


def test_shipping_with_an_unknown_carrier_answers_400_naming_the_field():
    order = f.paid_checkout().orders.get()
    seller = f.api_client(f.staff(order.merchant))
    r = f.post_json(seller, f"/api/seller/orders/{order.pk}/ship", {"carrier": "天马", "tracking_number": "TM1234567"})
    assert r.status_code == 400
    assert r.json()["code"] == "unknown_carrier" and "顺丰速运" in r.json()["fields"]["carrier"]
    assert Order.objects.get(pk=order.pk).state == "paid"


def test_another_companys_scan_answers_404_like_an_unknown_number():
    shipped()
    zto = f.api_client(f.carrier("ZTO"))
    theirs = f.post_json(zto, "/api/logistics/scans", {"tracking_number": "SF000200000001", "kind": "delivered"})
    unknown = f.post_json(zto, "/api/logistics/scans", {"tracking_number": "SF000299999999", "kind": "delivered"})
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()
    assert not Scan.objects.exists()
    assert Shipment.objects.get().state == "in_transit"


def test_a_location_with_a_control_character_answers_400_on_that_field():
    shipped()
    body = {"tracking_number": "SF000200000001", "kind": "in_transit", "location": "杭州\n西湖"}
    r = f.post_json(f.api_client(f.carrier("SF")), "/api/logistics/scans", body)
    assert r.status_code == 400
    assert "location" in r.json()["fields"]
    assert not Scan.objects.exists()


def test_a_courier_delivers_only_what_was_assigned_to_them():
    order = shipped()
    courier = f.courier()
    stranger = f.post_json(f.api_client(courier), f"/api/deliveries/{order.pk}/delivered")
    assert stranger.status_code == 404
    assert not Event.objects.filter(kind="order.delivered").exists()

    ops = f.api_client(f.ops())
    assigned = f.post_json(ops, f"/api/deliveries/{order.pk}/courier", {"courier_id": courier.pk})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["courier_id"] == courier.pk
    mine = f.api_client(courier)
    assert [d["order_id"] for d in mine.get("/api/deliveries").json()] == [order.pk]
    assert f.api_client(f.courier()).get("/api/deliveries").json() == []

    done = f.post_json(mine, f"/api/deliveries/{order.pk}/delivered")
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "delivered"
    assert Shipment.objects.get(order=order).state == "delivered"
    assert mine.get("/api/deliveries").json() == []


def test_assigning_a_courier_needs_ops_or_the_orders_merchant():
    order = shipped()
    courier = f.courier()
    for who, status in ((f.buyer(), 403), (f.courier(), 403), (f.staff(), 404)):
        r = f.post_json(f.api_client(who), f"/api/deliveries/{order.pk}/courier", {"courier_id": courier.pk})
        assert r.status_code == status
    assert Shipment.objects.get(order=order).courier is None


def test_a_flagged_scan_is_resolved_through_the_api_by_its_company_only():
    ops = f.ops()
    scan = fulfilment.record_scan(ops, {"tracking_number": "SF0000000777", "carrier": "SF", "kind": "in_transit"}).scan
    assert scan.flag == "unknown_tracking"
    other = f.post_json(f.api_client(f.carrier("ZTO")), f"/api/logistics/scans/{scan.pk}/resolve", {"resolution": "x"})
    assert other.status_code == 404
    sf = f.api_client(f.carrier("SF"))
    r = f.post_json(sf, f"/api/logistics/scans/{scan.pk}/resolve", {"resolution": "运单号录错"})
    assert r.status_code == 200 and r.json()["flag"] == "unknown_tracking"
    scan.refresh_from_db()
    assert scan.resolution == "运单号录错"
    assert f.post_json(sf, f"/api/logistics/scans/{scan.pk}/resolve", {"resolution": "再次"}).status_code == 409
