"""我的优惠券 and the ops and seller issuing pages."""

import re

import pytest
from django.test import Client

from anxin.coupons.models import Coupon
from tests import factories as f

pytestmark = pytest.mark.django_db


def _client(who) -> Client:
    client = Client()
    client.force_login(who)
    return client


def test_the_wallet_shows_available_coupons_with_their_terms():
    buyer = f.buyer()
    f.coupon(buyer, 1500, threshold_fen=10000)
    f.coupon(buyer, 500, shop=f.merchant(name="安心小店"))
    html = _client(buyer).get("/coupons/").content.decode()
    assert "¥15.00" in html and "满 ¥100.00 可用" in html
    assert "安心小店 店铺券" in html and "无门槛" in html
    assert 'href="/coupons/"' in html  # the buyer's menu links here


def test_the_wallet_tabs_show_used_and_expired_coupons():
    buyer = f.buyer()
    coupon = f.coupon(buyer, 700)
    Coupon.objects.filter(pk=coupon.pk).update(state="revoked")
    client = _client(buyer)
    assert "¥7.00" not in client.get("/coupons/").content.decode()
    assert "¥7.00" in client.get("/coupons/?tab=expired").content.decode()


def test_the_wallet_is_for_signed_in_buyers():
    assert Client().get("/coupons/").status_code == 302


def _issue_form(client: Client, url: str) -> dict:
    html = client.get(url).content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', html).group(1)
    return {"key": key, "amount": "8", "threshold": "50", "valid_days": "7", "reason": "campaign"}


def test_ops_issue_a_coupon_from_the_console_once_per_form():
    buyer, client = f.buyer(), _client(f.ops())
    form = {**_issue_form(client, "/ops/coupons/"), "buyer": buyer.username}
    assert client.post("/ops/coupons/", form).status_code == 302
    assert client.post("/ops/coupons/", form).status_code == 302
    coupon = Coupon.objects.get()
    assert (coupon.amount_fen, coupon.threshold_fen, coupon.issuer_kind) == (800, 5000, "platform")


def test_an_unknown_buyer_is_named_beside_the_field_and_nothing_is_issued():
    client = _client(f.ops())
    response = client.post("/ops/coupons/", {**_issue_form(client, "/ops/coupons/"), "buyer": "nobody"})
    assert response.status_code == 404
    assert "没有这个买家" in response.content.decode()
    assert not Coupon.objects.exists()


def test_a_shop_issues_its_own_coupons_from_the_seller_center():
    shop = f.merchant()
    client = _client(f.staff(shop))
    html = client.get("/seller/coupons/").content.decode()
    assert 'href="/seller/coupons/"' in html
    form = {**_issue_form(client, "/seller/coupons/"), "buyer": f.buyer().username}
    assert client.post("/seller/coupons/", form).status_code == 302
    assert Coupon.objects.get().merchant_id == shop.pk


def test_the_issuing_pages_are_for_their_staff_only():
    assert _client(f.buyer()).get("/ops/coupons/").status_code in (302, 403, 404)
    assert _client(f.buyer()).get("/seller/coupons/").status_code in (302, 403, 404)


def test_the_order_page_shows_the_coupon_discount_and_the_cash_paid():
    buyer = f.buyer()
    sku = f.product(f.merchant(), price_fen=3000).skus.first()
    order = f.checkout_with_coupons(buyer, [(sku, 1)], [f.coupon(buyer, 500).pk]).orders.get()
    html = _client(buyer).get(f"/orders/{order.pk}/").content.decode()
    assert "-¥5.00" in html
    assert f"¥{(order.total_fen - 500) / 100:.2f}" in html


def test_the_wallet_reads_in_english(settings):
    buyer = f.buyer()
    f.coupon(buyer, 1500, threshold_fen=10000)
    client = _client(buyer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/coupons/").content.decode()
    assert "My coupons" in html and "On orders of ¥100.00 or more" in html
    assert "Platform coupon, valid in every shop" in html
