"""Cart, address book, checkout, the simulated pay page, my orders and their actions."""

import pytest

from anxin.accounts.models import Address
from anxin.checkout import services as checkouts
from anxin.fulfilment import services as fulfilment
from anxin.orders.models import Checkout, Order
from anxin.payments.models import Payment
from tests import factories as f
from tests.web.helpers import idempotency_key, paid_order

pytestmark = pytest.mark.django_db


def _cart_with(buyer, *products, answers=None):
    lines = []
    for product in products:
        lines.append(checkouts.add_to_cart(buyer, product.skus.first().pk, 1, answers or {}))
    return lines


def test_cart_groups_lines_by_merchant_with_totals(client):
    buyer = f.buyer()
    a, b = f.merchant(name="甲店"), f.merchant(name="乙店")
    _cart_with(buyer, f.product(a, price_fen=1000), f.product(a, price_fen=2000), f.product(b, price_fen=500))
    client.force_login(buyer)
    r = client.get("/cart/")
    assert r.status_code == 200
    assert r.text.count('class="card merchant-group"') == 2
    assert "¥30.00" in r.text and "¥35.00" in r.text
    assert '<span class="cart-badge" id="cart-count">3</span>' in r.text


def test_cart_quantity_can_be_changed_and_bad_quantities_are_shown_on_the_line(client):
    buyer = f.buyer()
    (line,) = _cart_with(buyer, f.product(price_fen=1000))
    client.force_login(buyer)
    r = client.post(f"/cart/lines/{line.pk}/quantity/", {"quantity": "4"})
    assert r.status_code == 302
    line.refresh_from_db()
    assert line.quantity == 4
    r = client.post(f"/cart/lines/{line.pk}/quantity/", {"quantity": "0"})
    assert r.status_code == 400
    assert "须为 1" in r.text


def test_cart_line_can_be_removed_but_not_another_buyers(client):
    buyer, other = f.buyer(), f.buyer()
    (line,) = _cart_with(buyer, f.product())
    client.force_login(other)
    assert client.post(f"/cart/lines/{line.pk}/remove/").status_code == 404
    assert client.post(f"/cart/lines/{line.pk}/quantity/", {"quantity": "2"}).status_code == 404
    client.force_login(buyer)
    assert client.post(f"/cart/lines/{line.pk}/remove/").status_code == 302
    assert "购物车是空的" in client.get("/cart/").text


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


def test_checkout_shows_orders_per_merchant_with_fees_and_totals(client):
    buyer = f.buyer()
    f.address(buyer)
    a, b = f.merchant(name="甲店"), f.merchant(name="乙店")
    _cart_with(buyer, f.product(a, price_fen=1000), f.product(b, price_fen=20000))
    client.force_login(buyer)
    r = client.get("/checkout/")
    assert r.status_code == 200
    assert "甲店" in r.text and "乙店" in r.text
    assert "¥6.00" in r.text  # flat fee for the small order; the big one ships free
    assert "包邮" in r.text
    assert "¥216.00" in r.text
    assert 'name="idempotency_key"' in r.text


def test_checkout_summary_reloads_for_another_address(client):
    buyer = f.buyer()
    f.address(buyer)
    other = f.address(buyer, province_code="650000", city_code="650100", county_code="650102")
    _cart_with(buyer, f.product(price_fen=1000))
    client.force_login(buyer)
    r = client.get("/checkout/", {"address_id": other.pk}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert r.text.startswith('<div id="checkout-summary">')


def test_a_double_submitted_checkout_places_one_order(client):
    buyer = f.buyer()
    address = f.address(buyer)
    _cart_with(buyer, f.product(price_fen=1000))
    client.force_login(buyer)
    key = idempotency_key(client.get("/checkout/").text)
    first = client.post("/checkout/", {"address_id": address.pk, "idempotency_key": key})
    second = client.post("/checkout/", {"address_id": address.pk, "idempotency_key": key})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Checkout.objects.filter(buyer=buyer).count() == 1
    assert Payment.objects.count() == 1


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


def test_declined_payment_leaves_the_order_waiting_with_a_pay_now_button(client):
    buyer = f.buyer()
    order = paid_order(buyer, pay=False)
    client.force_login(buyer)
    r = client.post(f"/orders/{order.pk}/pay/")
    assert r.status_code == 302 and r.url.startswith("/pay/sim/")
    assert client.post(r.url, {"action": "decline"}).status_code == 302
    order.refresh_from_db()
    assert order.state == "pending_payment"
    r = client.get("/orders/")
    assert "待付款" in r.text and "去付款" in r.text


def test_sim_pay_page_shows_the_amount_and_refuses_other_buyers(client):
    buyer = f.buyer()
    order = paid_order(buyer, pay=False, price_fen=12345)
    payment = checkouts.start_payment(buyer, order.checkout_id)
    client.force_login(buyer)
    r = client.get(f"/pay/sim/{payment.pk}/")
    assert r.status_code == 200
    assert "¥123.45" in r.text and 'value="pay"' in r.text and 'value="decline"' in r.text
    client.force_login(f.buyer())
    assert client.get(f"/pay/sim/{payment.pk}/").status_code == 404


def test_buyer_cancels_a_paid_order_before_shipping(client):
    buyer = f.buyer()
    order = paid_order(buyer)
    client.force_login(buyer)
    r = client.post(f"/orders/{order.pk}/cancel/")
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.state == "cancelled" and order.refunded_fen == order.total_fen
    r = client.get(f"/orders/{order.pk}/")
    assert "订单已取消" in r.text and "取消订单" not in r.text


def test_cancelling_a_shipped_order_is_refused_on_the_page(client):
    buyer = f.buyer()
    order = paid_order(buyer)
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF1234567890")
    client.force_login(buyer)
    r = client.post(f"/orders/{order.pk}/cancel/")
    assert r.status_code == 409
    assert "已发货" in r.text


def test_order_detail_shows_lines_answers_and_timeline(client):
    buyer = f.buyer()
    order = paid_order(buyer, answers_text="小明")
    client.force_login(buyer)
    r = client.get(f"/orders/{order.pk}/")
    assert r.status_code == 200
    assert "小明" in r.text and "下单" in r.text and "付款成功" in r.text
    assert order.number in r.text


def test_another_buyers_order_is_not_found(client):
    order = paid_order()
    client.force_login(f.buyer())
    assert client.get(f"/orders/{order.pk}/").status_code == 404
    assert client.post(f"/orders/{order.pk}/cancel/").status_code == 404
    assert client.post(f"/orders/{order.pk}/confirm/").status_code == 404
    assert client.post(f"/orders/{order.pk}/pay/").status_code == 404


def test_order_list_filters_by_state(client):
    buyer = f.buyer()
    paid_order(buyer)
    paid_order(buyer, pay=False)
    client.force_login(buyer)
    r = client.get("/orders/", {"state": "pending_payment"})
    assert r.text.count('<article class="card">') == 1
    assert client.get("/orders/", {"state": "bogus"}).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_order_list_queries_do_not_grow_with_orders(client, django_assert_max_num_queries, count):
    buyer = f.buyer()
    shop = f.merchant()
    for i in range(count):
        paid_order(buyer, shop=shop, answers_text=f"名{i}" if i % 2 else "")
    client.force_login(buyer)
    with django_assert_max_num_queries(8):
        r = client.get("/orders/")
    assert r.status_code == 200
    assert r.text.count('<article class="card">') == min(count, 20)


def test_non_buyers_get_not_found_on_buyer_pages(client):
    client.force_login(f.staff())
    assert client.get("/cart/").status_code == 404
    assert client.get("/orders/").status_code == 404
    assert Order.objects.count() == 0


def test_checkout_names_the_product_that_ran_out_of_stock(client):
    buyer, rival = f.buyer(), f.buyer()
    address = f.address(buyer)
    scarce = f.product(title="限量球鞋", stock=1)
    checkouts.add_to_cart(buyer, scarce.skus.first().pk, 1, {})
    checkouts.add_to_cart(rival, scarce.skus.first().pk, 1, {})
    checkouts.place_order(rival, address_id=f.address(rival).pk, idempotency_key="rival")
    client.force_login(buyer)
    key = idempotency_key(client.get("/checkout/").text)
    r = client.post("/checkout/", {"address_id": address.pk, "idempotency_key": key})
    assert r.status_code == 409
    assert "库存不足" in r.text and "限量球鞋" in r.text
    assert not Checkout.objects.filter(buyer=buyer).exists()


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
