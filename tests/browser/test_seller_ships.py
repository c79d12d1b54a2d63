"""The merchant, in a real browser, finds the buyer's name on the production list and ships the order."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import log_in, paid_boots_order, screenshot

pytestmark = pytest.mark.browser


def test_merchant_sees_the_name_on_the_production_list_and_ships_with_carrier_and_tracking_number(page):
    shop, _, order = paid_boots_order(name="李雷")
    log_in(page, f.staff(shop))

    page.get_by_role("link", name="商家中心").click()
    expect(page).to_have_url(re.compile(r"/seller/$"))
    page.locator("nav.tabs").get_by_role("link", name="定制生产单").click()
    expect(page).to_have_url(re.compile(r"/seller/production/$"))
    row = page.locator("tbody tr", has_text=order.number)
    expect(row).to_contain_text("定制足球鞋")
    expect(row.locator(".answers")).to_have_text("李雷")
    screenshot(page, "seller-production-list")

    row.get_by_role("link", name=order.number).click()
    expect(page).to_have_url(re.compile(rf"/seller/orders/{order.pk}/$"))
    page.get_by_label("快递公司").select_option("顺丰速运")
    page.get_by_label("运单号").fill("SF001234567890")
    page.get_by_role("button", name="确认发货").click()

    expect(page.locator("h1 + .state")).to_have_text("已发货")
    expect(page.locator("main .card").first).to_contain_text("顺丰速运 SF001234567890")
    expect(page.get_by_role("button", name="确认发货")).to_have_count(0)
    screenshot(page, "seller-order-shipped")
    order.refresh_from_db()
    leg = order.shipment.legs.get()
    assert (order.state, leg.carrier, leg.tracking_number) == ("shipped", "顺丰速运", "SF001234567890")

    page.goto("/seller/production/")
    expect(page.locator("tbody")).to_contain_text("没有待制作的定制商品。")
