"""立即购买 from the product page buys that one item and leaves the cart as it is; a visitor's item waits in
the session through log-in or sign-up and is added (or bought) after it."""

import pytest

from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from anxin.orders.models import Checkout, OrderLine
from tests import factories as f
from tests.orders.helpers import row_counts
from tests.pages_helpers import idempotency_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def boots():
    item = f.product(price_fen=39900, stock=5, title="定制足球鞋")
    return item, f.text_question(item, label="鞋舌印字", max_chars=12)


def buy(client, boots, name="李雷", quantity="1", then="buy"):
    item, question = boots
    data = {"sku_id": item.skus.first().pk, "quantity": quantity, f"q_{question.pk}": name, "then": then}
    return client.post(f"/p/{item.pk}/", data)


def test_buy_now_shows_a_checkout_of_that_item_and_buys_it_leaving_the_cart(client, boots):
    buyer = f.buyer()
    address = f.address(buyer)
    in_cart = checkouts.add_to_cart(buyer, f.product(price_fen=1000, title="袜子").skus.first().pk, 3)
    client.force_login(buyer)
    r = buy(client, boots, quantity="2")
    assert r.status_code == 302 and r["Location"] == "/checkout/now/"
    page = client.get("/checkout/now/").text
    assert "定制足球鞋" in page and "鞋舌印字: 李雷" in page and "袜子" not in page
    assert "提交订单 · 2 件 · ¥798.00" in page and 'name="item"' in page
    token = page.split('name="item" value="')[1].split('"')[0]
    r = client.post(
        "/checkout/now/", {"address_id": address.pk, "idempotency_key": idempotency_key(page), "item": token}
    )
    assert r.status_code == 302 and "/pay/sim/" in r["Location"]
    line = OrderLine.objects.get()
    assert (line.quantity, line.answers[0]["text"]) == (2, "李雷")
    assert list(CartLine.objects.values_list("pk", "quantity")) == [(in_cart.pk, 3)]


def test_buy_now_with_a_bad_answer_stays_on_the_product_page_with_the_error(client, boots):
    client.force_login(f.buyer())
    r = buy(client, boots, name="这个名字实在是太长了超过十二个字了吧")
    assert r.status_code == 400 and "field-error" in r.text
    assert client.get("/checkout/now/")["Location"] == "/cart/"  # nothing waiting to be bought


def test_a_forged_or_tampered_buy_now_item_is_refused(client, boots):
    buyer = f.buyer()
    address = f.address(buyer)
    client.force_login(buyer)
    before = row_counts()
    r = client.post("/checkout/now/", {"address_id": address.pk, "idempotency_key": "k", "item": "forged:value"})
    assert r.status_code == 400 and "立即购买的商品信息已失效" in r.text
    assert row_counts() == before


def test_a_visitor_adding_to_the_cart_logs_in_and_finds_the_item_with_its_answers(client, boots):
    r = buy(client, boots, quantity="2", then="cart")
    assert r.status_code == 302 and r["Location"].startswith("/login/?next=/cart/pending/")
    buyer = f.buyer()
    r = client.post(
        "/login/?next=/cart/pending/", {"username": buyer.username, "password": f.PASSWORD, "next": "/cart/pending/"}
    )
    assert r["Location"] == "/cart/pending/"
    assert client.get("/cart/pending/")["Location"] == "/cart/"
    line = CartLine.objects.get(cart__buyer=buyer)
    assert (line.sku_id, line.quantity, line.answers[0]["text"]) == (boots[0].skus.first().pk, 2, "李雷")
    client.get("/cart/pending/")  # the hand-off happens once
    assert CartLine.objects.get(cart__buyer=buyer).quantity == 2


def test_a_visitor_buying_now_signs_up_and_lands_on_the_checkout_of_that_item(client, boots):
    assert buy(client, boots)["Location"].startswith("/login/?next=/cart/pending/")
    login_page = client.get("/login/?next=/cart/pending/").text
    assert 'href="/signup/?next=/cart/pending/"' in login_page
    r = client.post("/signup/?next=/cart/pending/", f.sign_up_form("newbie", "s3cret-Passw0rd", display_name="新人"))
    assert r.status_code == 302 and r["Location"] == "/cart/pending/"
    assert client.get("/cart/pending/")["Location"] == "/checkout/now/"
    page = client.get("/checkout/now/").text
    assert "定制足球鞋" in page and "鞋舌印字: 李雷" in page
    assert not CartLine.objects.exists() and not Checkout.objects.exists()


def test_a_visitors_bad_item_is_refused_before_the_login_and_nothing_waits(client, boots):
    r = buy(client, boots, quantity="0", then="cart")
    assert r.status_code == 400 and "须为 1" in r.text
    buyer = f.buyer()
    client.force_login(buyer)
    assert client.get("/cart/pending/")["Location"] == "/cart/"
    assert not CartLine.objects.exists()
