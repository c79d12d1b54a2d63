"""The checkout page's coupon choice: the best applicable ones preselected, changeable, the discount shown."""

import re

import pytest
from django.test import Client

from anxin.coupons.models import Coupon
from anxin.orders.models import Checkout
from tests import factories as f

pytestmark = pytest.mark.django_db


def _buyer_with_cart(price_fen: int = 6000):
    buyer = f.buyer()
    f.address(buyer)
    shop = f.merchant()
    sku = f.product(shop, price_fen=price_fen).skus.first()
    from anxin.checkout import services as checkouts

    checkouts.add_to_cart(buyer, sku.pk, 1)
    client = Client()
    client.force_login(buyer)
    return buyer, shop, client


def test_the_best_coupons_are_preselected_and_the_total_shows_the_discount():
    buyer, shop, client = _buyer_with_cart()
    small = f.coupon(buyer, 300, shop=shop)
    big = f.coupon(buyer, 800, shop=shop)
    platform = f.coupon(buyer, 500)
    f.coupon(buyer, 900, threshold_fen=10000)  # not applicable: not offered
    html = client.get("/checkout/").content.decode()
    assert re.search(rf'<option value="{big.pk}" selected>', html)
    assert re.search(rf'<option value="{small.pk}">', html)
    assert re.search(rf'<option value="{platform.pk}" selected>', html)
    assert "¥9.00" not in html
    assert "-¥13.00" in html


def test_placing_uses_the_coupons_chosen_on_the_page():
    buyer, shop, client = _buyer_with_cart()
    mine = f.coupon(buyer, 800, shop=shop)
    f.coupon(buyer, 500)
    html = client.get("/checkout/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    address = buyer.addresses.get()
    form = {"idempotency_key": key, "address_id": address.pk, "coupons_chosen": "1", "coupon": [str(mine.pk), ""]}
    assert client.post("/checkout/", form).status_code == 302
    order = Checkout.objects.get().orders.get()
    assert order.discount_fen == 800
    assert Coupon.objects.get(pk=mine.pk).state == "used"
    assert Coupon.objects.filter(state="available").count() == 1


def test_choosing_no_coupon_keeps_the_full_price():
    buyer, shop, client = _buyer_with_cart()
    f.coupon(buyer, 800, shop=shop)
    html = client.get("/checkout/?coupons_chosen=1&coupon=").content.decode()
    assert "优惠券共抵扣" not in html
    assert " selected>" not in re.search(r'<select id="coupon-.*?</select>', html, re.S).group(0)
