"""A visitor chooses a SKU, a name and a quantity, presses 加入购物车 (or 立即购买), logs in (or signs up), and
finds exactly that in the cart (or on the checkout) without choosing again."""

import re

import pytest
from playwright.sync_api import expect

from anxin.checkout.models import CartLine
from tests import factories as f
from tests.browser.helpers import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


def boots_in_two_colours():
    boots = f.product(title="定制足球鞋", price_fen=39900, stock=5)
    boots.skus.update(spec={"颜色": "黑金"})
    white = f.sku_of(boots, price_fen=41900, stock=5, spec={"颜色": "白蓝"})
    question = f.text_question(boots, label="鞋舌印字", max_chars=12)
    return boots, white, question


def choose(page, boots) -> None:
    page.goto(f"/p/{boots.pk}/")
    page.get_by_label("白蓝").check()
    page.get_by_label("鞋舌印字").press_sequentially("韩梅梅")
    page.get_by_label("数量").fill("2")
    expect(page.locator("#print-line")).to_have_text("鞋舌印字: 韩梅梅")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_chosen_sku_name_and_quantity_reach_the_cart_through_the_login(open_page, viewport, request):
    boots, white, _question = boots_in_two_colours()
    buyer = f.buyer()
    page = open_page(viewport)
    choose(page, boots)
    page.get_by_role("button", name="加入购物车").click()

    expect(page).to_have_url(re.compile(r"/login/\?next=/cart/pending/$"))
    assert "韩梅梅" not in page.url
    page.locator("#id_username").fill(buyer.username)
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/cart/$"))
    line = page.locator(".line")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("白蓝")
    expect(line.locator(".answers")).to_have_text("鞋舌印字: 韩梅梅")
    expect(page.locator(".qty")).to_have_value("2")
    expect(page.locator("#cart-checkout")).to_have_text("结算 (2 件)")
    screenshot(page, f"logged-out-add-{request.node.callspec.id}")
    stored = CartLine.objects.get(cart__buyer=buyer)
    assert (stored.sku_id, stored.quantity, stored.answers[0]["text"]) == (white.pk, 2, "韩梅梅")


def test_buy_now_signed_out_goes_through_sign_up_to_the_checkout_of_that_item(page):
    boots, _white, _question = boots_in_two_colours()
    choose(page, boots)
    page.get_by_role("button", name="立即购买").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.locator("main").get_by_role("link", name="注册").click()
    expect(page).to_have_url(re.compile(r"/signup/\?next=/cart/pending/$"))
    page.locator("#id_username").fill("hanmeimei")
    page.locator("#id_display_name").fill("韩梅梅")
    page.locator("#id_phone").fill("139 0013 9001")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#code-notice")).to_contain_text("模拟短信")
    page.locator("#id_code").fill(page.locator(".sim-code").inner_text())
    page.locator("#id_password").fill("s3cret-Passw0rd")
    page.locator("#id_password2").fill("s3cret-Passw0rd")
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="注册并登录").click()

    expect(page).to_have_url(re.compile(r"/checkout/now/$"))
    summary = page.locator("#checkout-summary")
    expect(summary).to_contain_text("白蓝")
    expect(summary.locator(".answers")).to_have_text("鞋舌印字: 韩梅梅")
    expect(summary).to_contain_text("× 2")
    expect(page.locator("#checkout-submit")).to_be_disabled()  # a new account has no address yet
    expect(page.get_by_role("link", name="新增地址")).to_be_visible()
    assert not CartLine.objects.exists()
