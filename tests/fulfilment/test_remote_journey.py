"""A 包邮 order to Urumqi through the Xi'an hub, end to end through the API, with the ledger checked."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from anxin.core import clock, ledger
from anxin.core.models import Event
from anxin.fulfilment import services as fulfilment
from anxin.orders.models import Order
from anxin.shipping.queries import local_date
from tests import factories as f
from tests.fulfilment.helpers import BAOYOU

pytestmark = pytest.mark.django_db


def scan(client, tracking: str, kind: str, at, carrier: str = ""):
    body = {"tracking_number": tracking, "kind": kind, "at": at.isoformat(), "carrier": carrier}
    response = f.post_json(client, "/api/logistics/scans", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_a_baoyou_parcel_reaches_urumqi_through_the_hub_on_time():
    clock.freeze(clock.now().replace(microsecond=0))
    shop = f.merchant(province_code="330000")  # Zhejiang
    staff = f.staff(shop)
    seller = f.api_client(staff)
    template = f.post_json(seller, "/api/seller/shipping-templates", BAOYOU)
    assert template.status_code == 201, template.content
    item = f.product(shop, price_fen=5900)
    item.skus.update(weight_g=1800)
    assign = {"product_ids": [item.pk], "template_id": template.json()["id"]}
    assert f.post_json(seller, "/api/seller/shipping-assignments", assign).json() == {"updated": 1}

    buyer = f.buyer()
    address = f.address(buyer, "650000", "650100", "650102")
    client = f.api_client(buyer)
    f.post_json(client, "/api/cart/lines", {"sku_id": item.skus.first().pk, "quantity": 1})
    checkout = f.post_json(client, "/api/checkouts", {"address_id": address.pk}, **{"Idempotency-Key": "urumqi"})
    assert checkout.status_code == 201, checkout.content
    order = Order.objects.get(pk=checkout.json()["orders"][0]["id"])
    assert (order.shipping_fen, order.hub_code) == (0, "610100")
    assert order.promise_latest is not None
    payment = f.post_json(client, f"/api/checkouts/{order.checkout_id}/payment").json()
    f.post_json(client, f"/api/payments/{payment['id']}/simulate")

    shipped = f.post_json(
        seller, f"/api/seller/orders/{order.pk}/ship", {"carrier": "中通", "tracking_number": "750100000001"}
    )
    assert shipped.status_code == 200, shipped.content
    assert shipped.json()["hub_code"] == "610100"

    zto, post = f.api_client(f.carrier("ZTO")), f.api_client(f.carrier("EMS"))
    clock.advance(timedelta(hours=6))
    scan(zto, "750100000001", "picked_up", clock.now())
    clock.advance(timedelta(days=2))
    assert scan(zto, "750100000001", "arrived_hub", clock.now())["effect"] == "arrived_hub"
    leg2 = f.post_json(
        post, f"/api/logistics/orders/{order.pk}/leg2", {"carrier": "邮政", "tracking_number": "9000200000001"}
    )
    assert leg2.status_code == 201, leg2.content
    assert leg2.json()["leg2_cost_fen"] == 600 + 200  # 1.8 kg: first kg + one started kg
    clock.advance(timedelta(days=1))
    scan(post, "9000200000001", "left_hub", clock.now())
    clock.advance(timedelta(days=2))
    scan(post, "9000200000001", "out_for_delivery", clock.now())
    clock.advance(timedelta(hours=1))
    assert scan(post, "9000200000001", "delivered", clock.now())["effect"] == "delivered"

    order.refresh_from_db()
    assert order.state == "delivered"
    assert order.delivery_days_late == 0
    assert ledger.balance(ledger.PLATFORM_SUBSIDY) == 800
    assert ledger.balance(ledger.CARRIERS_PAYABLE) == -800
    tracking = client.get(f"/api/orders/{order.pk}/tracking").json()
    assert [leg["number"] for leg in tracking["legs"]] == [1, 2]
    assert [s["kind"] for s in tracking["legs"][1]["scans"]] == ["left_hub", "out_for_delivery", "delivered"]
    call_command("audit")


def test_a_late_delivery_is_judged_late_by_how_much():
    clock.freeze(clock.now().replace(microsecond=0))
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000300000001")
    order.refresh_from_db()
    days = (order.promise_latest - local_date(clock.now())).days + 3
    clock.advance(timedelta(days=days))
    scan(f.api_client(f.carrier("SF")), "SF000300000001", "delivered", clock.now())
    order.refresh_from_db()
    assert order.delivery_days_late == 3
    assert Event.objects.filter(kind="order.delivery_late", subject_id=order.pk).exists()
