"""The 买贵必赔 and 价保 badges beside every price: product cards, the product page, the cart, the checkout and the
buyer's order page (judged at the order's payment), each page asking for all its SKUs in one query."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anxin.checkout import services as checkouts
from anxin.core import clock
from anxin.guarantee.services import enrollment
from tests import factories as f
from tests.guarantee.enrollment_support import campaign

pytestmark = pytest.mark.django_db

MATCH, DOUBLE = 'badge-price_match"', "badge-price_match_double"


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def enrolled_product(*, days: int = 7):
    shop = f.merchant()
    item = f.product(shop, price_protection_days=days)
    enrollment.enroll_sku(f.staff(shop), item.skus.get().pk)
    return item


def test_the_storefront_card_shows_both_badges_and_a_plain_product_none(client):
    enrolled_product(days=15)
    f.product(title="普通商品")
    html = client.get(reverse("web:home")).text
    assert html.count("买贵必赔</span>") == 1
    assert html.count("价保15天") == 1


def test_the_card_badge_costs_one_query_whatever_the_number_of_products(client):
    enrolled_product()
    client.get(reverse("web:home"))  # warm the caches (categories, config)
    with_one = _queries_of(client, reverse("web:home"))
    for _ in range(4):
        enrolled_product()
    assert _queries_of(client, reverse("web:home")) == with_one


def _queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_product_page_shows_the_double_badge_under_a_doubling_campaign(client):
    item = f.product(price_protection_days=30)
    ops = f.ops()
    enrollment.enroll_in_campaign(ops, campaign(ops, multiplier=2).pk, [item.skus.get().pk])
    html = client.get(reverse("web:product", args=[item.pk])).text
    assert "买贵双倍赔" in html and DOUBLE in html and "价保30天" in html


def test_the_cart_and_the_checkout_show_the_badges(client):
    item = enrolled_product()
    buyer = f.buyer()
    f.address(buyer)
    checkouts.add_to_cart(buyer, item.skus.get().pk, 1)
    client.force_login(buyer)
    for page in ("web:cart", "web:checkout"):
        html = client.get(reverse(page)).text
        assert "买贵必赔</span>" in html and "价保7天" in html, page


def test_the_order_page_shows_the_badge_in_force_when_it_was_paid(client):
    item = enrolled_product()
    shop_staff = f.staff(item.merchant)
    order = f.paid_checkout(lines=[(item.skus.get(), 1)]).orders.get()
    clock.advance(timedelta(days=1))
    enrollment.end_sku_enrollment(shop_staff, item.skus.get().pk)  # ended after the payment
    client.force_login(order.buyer)
    html = client.get(reverse("web:order_detail", args=[order.pk])).text
    assert "买贵必赔</span>" in html and "价保7天" in html
    later = f.paid_checkout(order.buyer, lines=[(item.skus.get(), 1)]).orders.get()
    html = client.get(reverse("web:order_detail", args=[later.pk])).text
    assert "买贵必赔</span>" not in html and "价保7天" in html


def test_the_badges_are_translated_in_english(client):
    enrolled_product()
    html = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Price-match guarantee</span>" in html and "7-day price protection" in html


def test_the_shop_page_cards_show_the_badge(client):
    item = enrolled_product()
    html = client.get(reverse("web:shop", args=[item.merchant.slug])).text
    assert "买贵必赔</span>" in html
