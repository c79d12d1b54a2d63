"""The whole order lifecycle through the pages: search, personalize, cart, checkout, pay, ship, deliver, confirm."""

import re

import pytest

from anxin.fulfilment import services as fulfilment
from anxin.orders.models import Order
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_buyer_personalizes_boots_pays_and_confirms_while_the_merchant_makes_and_ships_them(client):
    shop = f.merchant(name="鞋匠铺")
    boots = f.product(shop, price_fen=39900, stock=5, title="定制足球鞋", brand="Kicks")
    name_q = f.text_question(boots, label="鞋舌印字", max_chars=12)
    sku = boots.skus.first()
    f.product(shop, title="普通袜子")
    buyer = f.buyer()
    address = f.address(buyer)
    client.force_login(buyer)

    r = client.get("/", {"q": "足球鞋"})
    assert r.status_code == 200
    assert "定制足球鞋" in r.text and "普通袜子" not in r.text
    assert "可定制" in r.text and "¥399.00" in r.text

    r = client.get(f"/p/{boots.pk}/")
    assert r.status_code == 200
    assert 'maxlength="12"' in r.text

    r = client.post(f"/p/{boots.pk}/", {"sku_id": sku.pk, "quantity": "1", f"q_{name_q.pk}": "李雷", "then": "cart"})
    assert r.status_code == 302 and r.url == "/cart/"
    r = client.get("/cart/")
    assert "鞋舌印字: 李雷" in r.text

    r = client.get("/checkout/")
    assert r.status_code == 200
    key = re.search(r'name="idempotency_key" value="([^"]+)"', r.text).group(1)
    r = client.post("/checkout/", {"address_id": address.pk, "idempotency_key": key})
    assert r.status_code == 302
    pay_url = r.url
    assert pay_url.startswith("/pay/sim/")

    r = client.get(pay_url)
    assert r.status_code == 200 and "¥399.00" in r.text
    r = client.post(pay_url, {"action": "pay"})
    assert r.status_code == 302 and re.fullmatch(r"/pay/\d+/result/", r.url)
    order = Order.objects.get(buyer=buyer)
    assert order.state == "paid"
    r = client.get(r.url)
    assert "支付成功" in r.text and order.number in r.text

    r = client.get("/orders/")
    assert "李雷" in r.text and "待发货" in r.text
    r = client.get(f"/orders/{order.pk}/")
    assert "李雷" in r.text and "付款成功" in r.text

    seller = f.staff(shop)
    client.force_login(seller)
    r = client.get("/seller/production/")
    assert r.status_code == 200 and "李雷" in r.text and order.number in r.text
    r = client.get(f"/seller/orders/{order.pk}/packing-slip/")
    assert "鞋舌印字: 李雷" in r.text
    r = client.post(f"/seller/orders/{order.pk}/", {"carrier": "顺丰", "tracking_number": "SF001234567890"})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.state == "shipped"

    fulfilment.deliver_by_hand(f.assigned_courier(order), order.pk)

    client.force_login(buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert "确认收货" in r.text and "SF001234567890" in r.text
    r = client.post(f"/orders/{order.pk}/confirm/")
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.state == "completed"
    r = client.get(f"/orders/{order.pk}/")
    assert "交易完成" in r.text
