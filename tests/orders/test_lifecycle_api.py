"""The whole order lifecycle through the API: cart -> checkout -> pay -> ship -> deliver -> confirm."""

import json

import pytest

from anxin.core import ledger
from anxin.inventory.models import Stock
from anxin.orders.models import Order
from tests import factories as f

pytestmark = pytest.mark.django_db


def post(client, url, data=None, **headers):
    return client.post(url, json.dumps(data or {}), content_type="application/json", headers=headers)


def test_buyer_orders_personalized_boots_and_the_merchant_ships_them():
    shop = f.merchant()
    boots = f.product(shop, price_fen=39900, stock=5, title="定制足球鞋")
    name_q = f.text_question(boots, label="鞋舌印字", max_chars=12)
    sku = boots.skus.first()
    buyer = f.buyer()
    addr = f.address(buyer)
    client = f.api_client(buyer)

    r = post(client, "/api/cart/lines", {"sku_id": sku.pk, "quantity": 2, "answers": {str(name_q.pk): "李雷"}})
    assert r.status_code == 201, r.content
    r = post(client, "/api/checkouts", {"address_id": addr.pk}, **{"Idempotency-Key": "k1"})
    assert r.status_code == 201, r.content
    checkout = r.json()
    assert checkout["total_fen"] == 39900 * 2
    order_id = checkout["orders"][0]["id"]
    assert checkout["orders"][0]["lines"][0]["answers"][0]["text"] == "李雷"

    r = post(client, f"/api/checkouts/{checkout['id']}/payment")
    assert r.status_code == 201, r.content
    r = post(client, f"/api/payments/{r.json()['id']}/simulate")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "succeeded"
    assert Order.objects.get(pk=order_id).state == "paid"

    seller = f.api_client(f.staff(shop))
    r = seller.get("/api/seller/production-list")
    assert r.json()["items"][0]["answers"][0]["text"] == "李雷"
    r = post(seller, f"/api/seller/orders/{order_id}/ship", {"carrier": "顺丰", "tracking_number": "SF001234567890"})
    assert r.status_code == 200, r.content
    assert Stock.objects.get(sku=sku).allocated == 0

    courier = f.assigned_courier(Order.objects.get(pk=order_id))
    r = post(f.api_client(courier), f"/api/deliveries/{order_id}/delivered")
    assert r.status_code == 200, r.content
    r = post(client, f"/api/orders/{order_id}/confirm-receipt")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "completed"
    assert ledger.balance(ledger.merchant_payable(shop.pk)) == -79800
    assert ledger.balance(ledger.ESCROW) == 0
