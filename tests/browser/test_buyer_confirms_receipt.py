"""After the courier delivers, the buyer, in a real browser, confirms receipt and the order is completed."""

import re

import pytest
from playwright.sync_api import expect

from anxin.fulfilment import services as fulfilment
from tests import factories as f
from tests.browser.helpers import PHONE, log_in, paid_boots_order, screenshot

pytestmark = pytest.mark.browser


def test_buyer_confirms_receipt_of_the_delivered_boots_on_a_phone_and_the_order_is_completed(open_page):
    shop, buyer, order = paid_boots_order(name="李雷")
    fulfilment.ship(f.staff(shop), order.pk, carrier="顺丰", tracking_number="SF001234567890")
    fulfilment.deliver_by_hand(f.assigned_courier(order), order.pk)
    page = open_page(PHONE)
    log_in(page, buyer)

    page.get_by_role("link", name="我的订单").click()
    card = page.locator("article.card", has_text=order.number)
    expect(card.locator(".state")).to_have_text("已送达")
    card.get_by_role("link", name="查看详情").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.pk}/$"))
    expect(page.locator("main")).to_contain_text("顺丰 SF001234567890")
    expect(page.locator(".answers")).to_contain_text("李雷")

    page.get_by_role("link", name="确认收货").click()
    page.locator("#confirm-dialog").get_by_role("button", name="确认收货").click()
    expect(page.locator(".messages")).to_contain_text("已确认收货，交易完成。")
    expect(page.locator("#order-state")).to_have_text("已完成")
    expect(page.locator(".timeline li").last).to_contain_text("交易完成")
    expect(page.get_by_role("link", name="确认收货")).to_have_count(0)
    screenshot(page, "buyer-order-completed-phone")
    order.refresh_from_db()
    assert order.state == "completed"
