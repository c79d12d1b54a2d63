"""The cart's checkboxes (a line, a shop, 全选), kept on the lines, with and without htmx, and the checkout
page that buys only the ticked lines and tells the truth before the buyer submits."""

import re

import pytest

from anxin.catalog.models import SKU
from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from anxin.orders.models import Checkout, OrderLine
from tests import factories as f
from tests.fulfilment.helpers import URUMQI, baoyou_product
from tests.orders.helpers import row_counts
from tests.pages_helpers import idempotency_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(client):
    """A signed-in buyer in Hangzhou with three lines of two shops in the cart (2 + 1 + 1 pieces)."""
    buyer = f.buyer()
    address = f.address(buyer)
    a, b = f.merchant(name="甲店"), f.merchant(name="乙店")
    lines = [
        checkouts.add_to_cart(buyer, f.product(shop, price_fen=price, title=title).skus.first().pk, quantity)
        for shop, price, title, quantity in ((a, 1000, "杯子", 2), (a, 2000, "碗", 1), (b, 3000, "锅", 1))
    ]
    client.force_login(buyer)
    return buyer, address, lines, (a, b)


def tick(client, scope, target=None, selected=True, **extra):
    data = {"scope": scope, **({"id": target} if target is not None else {}), **extra}
    if selected:
        data["selected"] = "1"
    return client.post(
        "/cart/select/", data, **({"headers": {"HX-Request": "true"}} if extra.pop("htmx", False) else {})
    )


def test_the_cart_has_a_checkbox_per_line_per_shop_and_for_everything_all_ticked(client, shopper):
    _buyer, _address, lines, (a, b) = shopper
    r = client.get("/cart/")
    for name in ["check-all", f"check-shop-{a.pk}", f"check-shop-{b.pk}", *(f"check-line-{line.pk}" for line in lines)]:
        assert re.search(rf'id="{name}" checked>', r.text), name
    assert "结算 (4 件)" in r.text and "¥70.00" in r.text


def test_unticking_a_line_without_js_is_kept_and_the_total_and_button_follow(client, shopper):
    _buyer, _address, (cups, bowl, pot), (a, _b) = shopper
    r = tick(client, "line", cups.pk, selected=False)
    assert r.status_code == 302 and r["Location"] == "/cart/"
    cups.refresh_from_db()
    assert not cups.selected
    r = client.get("/cart/")
    assert re.search(rf'id="check-line-{cups.pk}">', r.text) and re.search(rf'id="check-shop-{a.pk}">', r.text)
    assert 'id="check-all">' in r.text
    assert "结算 (2 件)" in r.text and 'id="cart-total">¥50.00' in r.text


def test_a_shop_and_everything_tick_together_and_htmx_gets_the_cart_back(client, shopper):
    _buyer, _address, lines, (a, _b) = shopper
    r = client.post("/cart/select/", {"scope": "shop", "id": a.pk}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'id="cart-body"' in r.text
    assert list(CartLine.objects.filter(selected=True).values_list("pk", flat=True)) == [lines[2].pk]
    assert "结算 (1 件)" in r.text
    tick(client, "all", selected=False)
    r = client.get("/cart/")
    assert not CartLine.objects.filter(selected=True).exists()
    assert "请勾选要结算的商品" in r.text and 'href="/checkout/"' not in r.text
    tick(client, "all")
    assert CartLine.objects.filter(selected=False).count() == 0


def test_bad_or_foreign_checkbox_posts_change_nothing(client, shopper):
    _buyer, _address, lines, _shops = shopper
    for data in ({"scope": "line", "id": "x"}, {"scope": "nope"}, {"scope": "line", "id": str(10**30)}):
        r = client.post("/cart/select/", data)
        assert r.status_code == 400 and "请选择要勾选的商品" in r.text, data
    foreign = checkouts.add_to_cart(f.buyer(), lines[0].sku_id, 1)
    assert client.post("/cart/select/", {"scope": "line", "id": foreign.pk}).status_code == 404
    assert CartLine.objects.filter(selected=False).count() == 0


def test_the_checkout_page_shows_and_buys_only_the_ticked_lines(client, shopper):
    buyer, address, (cups, bowl, pot), _shops = shopper
    tick(client, "line", bowl.pk, selected=False)
    page = client.get("/checkout/").text
    assert "杯子" in page and "锅" in page and "碗" not in page
    assert "提交订单 · 3 件 · ¥62.00" in page  # 20 + 6 shipping, 30 + 6 shipping
    assert page.count("预计 ") == 2
    r = client.post(
        "/checkout/",
        {"address_id": address.pk, "idempotency_key": idempotency_key(page), "line": [cups.pk, pot.pk]},
    )
    assert r.status_code == 302
    assert sorted(OrderLine.objects.values_list("sku_id", flat=True)) == sorted([cups.sku_id, pot.sku_id])
    assert list(CartLine.objects.filter(cart__buyer=buyer).values_list("pk", flat=True)) == [bowl.pk]


def test_a_checkout_page_with_nothing_ticked_says_so(client, shopper):
    tick(client, "all", selected=False)
    r = client.get("/checkout/")
    assert r.status_code == 200 and "还没有勾选要结算的商品" in r.text


def test_a_line_that_cannot_go_to_the_address_is_shown_left_out_and_removable(client):
    buyer = f.buyer()
    f.address(buyer)  # Hangzhou, the default
    urumqi = f.address(buyer, *URUMQI)
    shop = f.merchant(province_code="330000")
    fridge = checkouts.add_to_cart(
        buyer, baoyou_product(shop, remote_deliverable=False, title="大号冰箱").skus.first().pk, 1
    )
    cup = checkouts.add_to_cart(buyer, baoyou_product(shop, title="保温杯").skus.first().pk, 1)
    client.force_login(buyer)
    assert "提交订单 · 2 件 · ¥118.00" in client.get("/checkout/").text
    r = client.get("/checkout/", {"address_id": urumqi.pk}, headers={"HX-Request": "true"})
    summary = r.text
    assert summary.startswith('<div id="checkout-summary">')
    assert f'id="refused-{fridge.pk}"' in summary and "不支持配送到偏远地区" in summary and "无法配送" in summary
    assert "提交订单 · 1 件 · ¥59.00" in summary
    assert "西安市中转仓" in summary and "偏远地区也包邮" in summary
    assert f'name="line" value="{cup.pk}"' in summary and f'name="line" value="{fridge.pk}"' not in summary
    r = client.post("/cart/select/", {"scope": "line", "id": fridge.pk, "next": f"/checkout/?address_id={urumqi.pk}"})
    assert r.status_code == 302 and r["Location"] == f"/checkout/?address_id={urumqi.pk}"
    page = client.get(r["Location"]).text
    assert "大号冰箱" not in page and "提交订单 · 1 件 · ¥59.00" in page
    assert CartLine.objects.filter(pk=fridge.pk, selected=False).exists()


def test_submitting_an_undeliverable_line_anyway_is_refused_with_its_title_and_nothing_is_held(client):
    buyer = f.buyer()
    urumqi = f.address(buyer, *URUMQI)
    fridge = checkouts.add_to_cart(buyer, baoyou_product(remote_deliverable=False, title="大号冰箱").skus.first().pk, 1)
    client.force_login(buyer)
    before = row_counts()
    r = client.post("/checkout/", {"address_id": urumqi.pk, "idempotency_key": "k", "line": [fridge.pk]})
    assert r.status_code == 400
    assert "有商品无法配送到这个地址" in r.text and "大号冰箱" in r.text
    assert row_counts() == before
    r = client.post("/checkout/", {"address_id": urumqi.pk, "idempotency_key": "k", "line": ["x"]})
    assert r.status_code == 400 and not Checkout.objects.exists()


def test_a_ticked_line_taken_off_sale_is_told_before_the_submit_and_nothing_can_be_submitted(client, shopper):
    _buyer, _address, (cups, _bowl, _pot), _shops = shopper
    SKU.objects.filter(pk=cups.sku_id).update(is_active=False)
    r = client.get("/checkout/")
    assert r.status_code == 200
    assert "“杯子”已下架，请从购物车删除。" in r.text
    assert 'id="checkout-submit" disabled>请先处理上面的问题' in r.text
