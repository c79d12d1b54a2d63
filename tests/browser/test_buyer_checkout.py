"""A buyer, in a real browser, finds the football boots, puts a name on them, checks out and pays."""

import re

import pytest
from playwright.sync_api import expect

from anxin.orders.models import Order
from tests import factories as f
from tests.browser.helpers import DESKTOP, PHONE, boots_shop, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_buyer_searches_personalizes_the_boots_pays_and_sees_the_name_on_the_order(open_page, viewport, request):
    shop, boots, _ = boots_shop()
    f.product(shop, title="普通袜子")
    buyer = f.buyer()
    f.address(buyer)
    page = open_page(viewport)
    log_in(page, buyer)

    page.get_by_role("searchbox").fill("足球鞋")
    page.get_by_role("searchbox").press("Enter")
    cards = page.locator(".product-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("定制足球鞋")
    expect(cards.first).to_contain_text("可定制")
    expect(cards.first).to_contain_text("¥399.00")

    cards.first.click()
    expect(page).to_have_url(re.compile(rf"/p/{boots.pk}/$"))
    name = page.get_by_label("鞋舌印字")
    expect(name).to_have_attribute("maxlength", "12")
    name.press_sequentially("李雷")
    expect(page.locator('[data-count-for^="q-"]')).to_have_text("2 / 12")  # app.js counts as one types
    expect(page.locator("#print-line")).to_have_text("鞋舌印字: 李雷")  # htmx fetched the live preview

    page.get_by_role("button", name="加入购物车").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.locator(".answers")).to_have_text("鞋舌印字: 李雷")

    page.get_by_role("link", name="结算 (1 件)").click()
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    expect(page.locator('input[name="address_id"]')).to_be_checked()
    total = page.locator("#checkout-total").inner_text()
    page.get_by_role("button", name=f"提交订单 · 1 件 · {total}").click()

    expect(page).to_have_url(re.compile(r"/pay/sim/\d+/$"))
    expect(page.locator("#pay-amount")).to_have_text(total)
    page.get_by_role("button", name="确认付款").click()

    expect(page).to_have_url(re.compile(r"/pay/\d+/result/$"))
    expect(page.locator("#paid-amount")).to_have_text(total)
    page.locator("main").get_by_role("link", name="我的订单").click()
    expect(page).to_have_url(re.compile(r"/orders/$"))
    order_card = page.locator("article.card")
    expect(order_card).to_have_count(1)
    expect(order_card).to_contain_text("定制足球鞋")
    expect(order_card.locator(".answers")).to_have_text("鞋舌印字: 李雷")
    expect(order_card.locator(".state")).to_have_text("待发货")
    screenshot(page, f"buyer-paid-orders-{request.node.callspec.id}")

    order = Order.objects.get(buyer=buyer)
    assert order.state == "paid"
    assert order.lines.get().answers[0]["text"] == "李雷"
