"""The buyer's addresses: the region selects, adding, editing and deleting, errors in place."""

import pytest

from anxin.accounts.models import Address
from anxin.checkout import services as checkouts
from tests import factories as f

pytestmark = pytest.mark.django_db


def _cart_with(buyer, *products, answers=None):
    lines = []
    for product in products:
        lines.append(checkouts.add_to_cart(buyer, product.skus.first().pk, 1, answers or {}))
    return lines


def test_address_form_has_region_pickers_and_the_not_served_note(client):
    client.force_login(f.buyer())
    r = client.get("/addresses/new/")
    assert r.status_code == 200
    assert 'for="id_province_code"' in r.text and "浙江省" in r.text
    assert "暂不支持港澳台及海外地址" in r.text


def test_region_selects_reload_the_cities_and_counties_of_the_choice(client):
    r = client.get("/addresses/regions/", {"province_code": "330000"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert 'value="330100"' in r.text
    r = client.get("/addresses/regions/", {"province_code": "330000", "city_code": "330100"})
    assert 'value="330106"' in r.text
    r = client.get("/addresses/regions/", {"province_code": "990000", "city_code": "x"})
    assert r.status_code == 200


def test_buyer_adds_edits_and_deletes_an_address(client):
    buyer = f.buyer()
    client.force_login(buyer)
    data = {
        "recipient": "韩梅梅",
        "phone": "13900139000",
        "province_code": "330000",
        "city_code": "330100",
        "county_code": "330106",
        "street": "西湖路 1 号",
    }
    r = client.post("/addresses/new/", data)
    assert r.status_code == 302
    address = Address.objects.get(user=buyer)
    assert address.is_default
    assert "西湖路 1 号" in client.get("/addresses/").text
    assert "浙江省" in client.get("/addresses/").text
    r = client.post(f"/addresses/{address.pk}/edit/", {**data, "street": "西湖路 2 号"})
    assert r.status_code == 302
    address.refresh_from_db()
    assert address.street == "西湖路 2 号"
    assert client.post(f"/addresses/{address.pk}/delete/").status_code == 302
    assert not Address.objects.filter(user=buyer).exists()


def test_bad_address_shows_each_error_in_place_and_keeps_what_was_typed(client):
    client.force_login(f.buyer())
    r = client.post(
        "/addresses/new/",
        {"recipient": "韩梅梅", "phone": "12", "province_code": "330000", "city_code": "", "street": "西湖路 1 号"},
    )
    assert r.status_code == 400
    assert "请填写有效的电话号码" in r.text and "请选择城市" in r.text
    assert 'value="韩梅梅"' in r.text and 'value="西湖路 1 号"' in r.text
    assert 'value="330000" selected' in r.text
    r = client.post(
        "/addresses/new/",
        {"recipient": "韩梅梅", "phone": "13900139000", "province_code": "810000", "city_code": "810100",
         "county_code": "810101", "street": "x"},
    )  # fmt: skip
    assert r.status_code == 400
    assert "港澳台" in r.text


def test_another_buyers_address_is_not_found(client):
    address = f.address(f.buyer())
    client.force_login(f.buyer())
    assert client.get(f"/addresses/{address.pk}/edit/").status_code == 404
    assert client.post(f"/addresses/{address.pk}/delete/").status_code == 404


def test_checkout_summary_reloads_for_another_address(client):
    buyer = f.buyer()
    f.address(buyer)
    other = f.address(buyer, province_code="650000", city_code="650100", county_code="650102")
    _cart_with(buyer, f.product(price_fen=1000))
    client.force_login(buyer)
    r = client.get("/checkout/", {"address_id": other.pk}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert r.text.startswith('<div id="checkout-summary">')


def test_checkout_with_an_empty_cart_or_no_address_explains_itself(client):
    buyer = f.buyer()
    client.force_login(buyer)
    assert "购物车是空的" in client.get("/checkout/").text
    _cart_with(buyer, f.product())
    r = client.get("/checkout/")
    assert "请先添加收货地址" in r.text
    r = client.post("/checkout/", {"address_id": "", "idempotency_key": "k"})
    assert r.status_code == 400
    assert "请选择收货地址" in r.text
    r = client.post("/checkout/", {"address_id": "99999", "idempotency_key": "k"})
    assert r.status_code == 404


def test_an_address_without_a_county_asks_for_one_in_place(client):
    client.force_login(f.buyer())
    r = client.post(
        "/addresses/new/",
        {"recipient": "韩梅梅", "phone": "13900139000", "province_code": "330000", "city_code": "330100",
         "county_code": "", "street": "西湖路 1 号"},
    )  # fmt: skip
    assert r.status_code == 400
    assert "请选择区县" in r.text and "区县代码应为" not in r.text
    assert 'value="330100" selected' in r.text
