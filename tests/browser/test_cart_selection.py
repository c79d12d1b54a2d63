"""The cart's checkboxes in a real browser (htmx, and the choice kept over a reload), and a checkout that tells
the truth before the buyer submits: only the ticked lines, a line that cannot go to the chosen address shown
as such, left out of the total and removed on the spot."""

import re

import pytest
from playwright.sync_api import expect

from anxin.checkout import services as checkouts
from anxin.orders.models import OrderLine
from tests import factories as f
from tests.browser.helpers import DESKTOP, PHONE, log_in, screenshot
from tests.fulfilment.helpers import URUMQI, baoyou_product

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_ticked_lines_drive_the_total_survive_a_reload_and_are_all_that_is_bought(open_page, viewport, request):
    buyer = f.buyer()
    f.address(buyer)
    a, b = f.merchant(name="甲店"), f.merchant(name="乙店")
    cups = checkouts.add_to_cart(buyer, f.product(a, title="杯子", price_fen=1000).skus.first().pk, 2)
    bowl = checkouts.add_to_cart(buyer, f.product(a, title="碗", price_fen=2000).skus.first().pk, 1)
    pot = checkouts.add_to_cart(buyer, f.product(b, title="锅", price_fen=3000).skus.first().pk, 1)
    page = open_page(viewport)
    log_in(page, buyer)
    page.goto("/cart/")
    button = page.locator("#cart-checkout")
    expect(button).to_have_text("结算 (4 件)")
    expect(page.locator("#cart-total")).to_have_text("¥70.00")

    page.get_by_label("选择“碗”").uncheck()  # htmx posts the checkbox and swaps the cart
    expect(button).to_have_text("结算 (3 件)")
    expect(page.locator("#cart-total")).to_have_text("¥50.00")
    expect(page.locator(f"#check-shop-{a.pk}")).not_to_be_checked()
    expect(page.get_by_label("全选")).not_to_be_checked()

    page.get_by_label("乙店").uncheck()
    expect(button).to_have_text("结算 (2 件)")
    page.reload()
    expect(page.get_by_label("选择“碗”")).not_to_be_checked()
    expect(page.get_by_label("选择“锅”")).not_to_be_checked()
    expect(page.get_by_label("选择“杯子”")).to_be_checked()
    page.get_by_label("全选").check()
    expect(button).to_have_text("结算 (4 件)")
    page.get_by_label("全选").uncheck()
    expect(page.locator("#cart-checkout")).to_be_disabled()
    page.get_by_label("选择“杯子”").check()
    expect(button).to_have_text("结算 (2 件)")
    page.get_by_label("选择“锅”").check()
    expect(button).to_have_text("结算 (3 件)")
    screenshot(page, f"cart-selection-{request.node.callspec.id}")

    button.click()
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    summary = page.locator("#checkout-summary")
    expect(summary).to_contain_text("杯子")
    expect(summary).to_contain_text("锅")
    expect(summary).not_to_contain_text("碗")
    page.locator("#checkout-submit").click()
    expect(page).to_have_url(re.compile(r"/pay/sim/\d+/$"))
    assert sorted(OrderLine.objects.values_list("sku_id", flat=True)) == sorted([cups.sku_id, pot.sku_id])
    page.goto("/cart/")
    expect(page.locator(".line")).to_have_count(1)
    expect(page.locator(f"#line-{bowl.pk}")).to_contain_text("碗")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_line_that_cannot_go_to_the_chosen_address_is_shown_left_out_and_removed_on_the_spot(
    open_page, viewport, request
):
    buyer = f.buyer()
    f.address(buyer)  # Hangzhou, the default
    f.address(buyer, *URUMQI)
    shop = f.merchant(province_code="330000", name="家电店")
    checkouts.add_to_cart(buyer, baoyou_product(shop, remote_deliverable=False, title="大号冰箱").skus.first().pk, 1)
    checkouts.add_to_cart(buyer, baoyou_product(shop, title="保温杯").skus.first().pk, 1)
    page = open_page(viewport)
    log_in(page, buyer)
    page.goto("/checkout/")
    submit = page.locator("#checkout-submit")
    expect(submit).to_have_text("提交订单 · 2 件 · ¥118.00")

    page.get_by_text("乌鲁木齐市").click()  # choose the Urumqi address: htmx re-computes the summary
    refused = page.locator(".line-refused")
    expect(refused).to_contain_text("大号冰箱")
    expect(refused).to_contain_text("不支持配送到偏远地区")
    expect(submit).to_have_text("提交订单 · 1 件 · ¥59.00")
    expect(page.locator(".hub-note")).to_contain_text("西安市中转仓")
    expect(page.locator("#refused-note")).to_contain_text("不计入合计")
    screenshot(page, f"checkout-undeliverable-{request.node.callspec.id}")

    refused.get_by_role("button", name="移出本次结算").click()
    expect(page.locator(".line-refused")).to_have_count(0)
    expect(page.locator("#checkout-summary")).not_to_contain_text("大号冰箱")
    expect(page.locator("#checkout-submit")).to_have_text("提交订单 · 1 件 · ¥59.00")
    expect(page.get_by_label(re.compile("乌鲁木齐"))).to_be_checked()
    page.locator("#checkout-submit").click()
    expect(page).to_have_url(re.compile(r"/pay/sim/\d+/$"))
    order_line = OrderLine.objects.get()
    assert order_line.title == "保温杯" and order_line.order.hub_code == "610100"
