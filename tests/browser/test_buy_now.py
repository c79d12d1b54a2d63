"""立即购买 in a real browser: the one item, personalised, goes to its own checkout and is paid; the cart keeps
what it held."""

import re

import pytest
from playwright.sync_api import expect

from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from anxin.orders.models import OrderLine
from tests import factories as f
from tests.browser.helpers import DESKTOP, PHONE, boots_shop, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_buy_now_buys_the_personalised_boots_alone_and_leaves_the_cart_as_it_was(open_page, viewport, request):
    _shop, boots, _question = boots_shop()
    buyer = f.buyer()
    f.address(buyer)
    socks = checkouts.add_to_cart(buyer, f.product(title="普通袜子", price_fen=1500).skus.first().pk, 3)
    page = open_page(viewport)
    log_in(page, buyer)

    page.goto(f"/p/{boots.pk}/")
    page.get_by_label("鞋舌印字").press_sequentially("李雷")
    page.get_by_label("数量").fill("2")
    expect(page.locator("#print-line")).to_have_text("鞋舌印字: 李雷")
    page.get_by_role("button", name="立即购买").click()

    expect(page).to_have_url(re.compile(r"/checkout/now/$"))
    expect(page.get_by_role("heading", name="立即购买")).to_be_visible()
    summary = page.locator("#checkout-summary")
    expect(summary).to_contain_text("定制足球鞋")
    expect(summary.locator(".answers")).to_have_text("鞋舌印字: 李雷")
    expect(summary).not_to_contain_text("普通袜子")
    expect(summary.locator(".promise")).to_contain_text("预计")
    submit = page.locator("#checkout-submit")
    expect(submit).to_have_text("提交订单 · 2 件 · ¥798.00")  # 399 × 2, shipping free over the threshold
    screenshot(page, f"buy-now-checkout-{request.node.callspec.id}")
    submit.click()

    expect(page).to_have_url(re.compile(r"/pay/sim/\d+/$"))
    expect(page.locator("#pay-amount")).to_have_text("¥798.00")
    page.get_by_role("button", name="确认付款").click()
    expect(page).to_have_url(re.compile(r"/pay/\d+/result/$"))
    expect(page.locator("#paid-amount")).to_have_text("¥798.00")

    line = OrderLine.objects.get(order__buyer=buyer)
    assert (line.product_id, line.quantity, line.answers[0]["text"]) == (boots.pk, 2, "李雷")
    assert list(CartLine.objects.filter(cart__buyer=buyer).values_list("pk", "quantity")) == [(socks.pk, 3)]
    page.goto("/cart/")
    expect(page.locator(".line")).to_have_count(1)
    expect(page.locator(".line")).to_contain_text("普通袜子")
