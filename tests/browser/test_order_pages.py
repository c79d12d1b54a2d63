"""The buyer's order pages in a real browser on a phone: cancelling asks first in a dialog, an unpaid order's
time left to pay ticks down and the page changes when it runs out, and the product page's sticky buy bar
stays small, shows the cart's refusal, and never sends the CSRF token in a URL."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from anxin.checkout import services as checkouts
from anxin.core import clock
from anxin.fulfilment import services as fulfilment
from anxin.orders.models import Order
from tests import factories as f
from tests.browser.helpers import PHONE, boots_shop, log_in, paid_boots_order, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 375, "height": 667}


def test_the_buyer_cancels_through_the_dialog_after_thinking_twice(open_page):
    _shop, buyer, order = paid_boots_order()
    page = open_page(PHONE)
    log_in(page, buyer)
    page.goto(f"/orders/{order.pk}/")
    dialog = page.locator("#cancel-dialog")
    expect(dialog).to_be_hidden()

    page.get_by_role("link", name="取消订单").click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("将原路退回")
    expect(page).to_have_url(re.compile(rf"/orders/{order.pk}/$"))  # the dialog, not the no-script page
    dialog.get_by_role("button", name="再想想").click()
    expect(dialog).to_be_hidden()
    assert Order.objects.get(pk=order.pk).state == "paid"

    page.get_by_role("link", name="取消订单").click()
    dialog.get_by_role("button", name="确认取消订单").click()
    expect(page.locator(".messages")).to_contain_text("订单已取消。")
    expect(page.locator("#cancel-note")).to_contain_text("买家取消")
    expect(page.locator("#order-timeline")).to_contain_text("退款已受理")
    screenshot(page, "order-cancelled-phone")
    assert Order.objects.get(pk=order.pk).state == "cancelled"


def test_confirming_receipt_before_any_delivery_scan_is_warned_in_the_dialog(open_page):
    shop, buyer, order = paid_boots_order()
    fulfilment.ship(f.staff(shop), order.pk, carrier="顺丰", tracking_number="SF123456789012")
    page = open_page(PHONE)
    log_in(page, buyer)
    page.goto(f"/orders/{order.pk}/")
    page.get_by_role("link", name="确认收货").click()
    expect(page.locator("#confirm-dialog #not-delivered-warning")).to_contain_text("还没有记录包裹已送达")
    screenshot(page, "order-confirm-before-delivery-phone")


def test_the_time_left_to_pay_ticks_and_the_page_changes_when_it_runs_out(open_page):
    shop, boots, question = boots_shop()
    buyer = f.buyer()
    checkouts.add_to_cart(buyer, boots.skus.first().pk, 1, {str(question.pk): "李雷"})
    checkout = checkouts.place_order(buyer, address_id=f.address(buyer).pk, idempotency_key="countdown")
    order = checkout.orders.get()
    page = open_page(SMALL_PHONE)
    log_in(page, buyer)
    clock.advance(checkout.pay_by - clock.now() - timedelta(seconds=4))  # four seconds left to pay
    page.goto(f"/orders/{order.pk}/")
    countdown = page.locator("#pay-note time[data-countdown]")
    first = countdown.inner_text()
    assert re.fullmatch(r"00:0[1-4]", first), first
    expect(countdown).not_to_have_text(first)  # it ticks without a reload
    expect(page.locator("#pay-note")).to_contain_text("支付时间已到", timeout=15_000)  # reloaded at zero
    expect(page.locator("#pay-note time[data-countdown]")).to_have_count(0)
    screenshot(page, "order-pay-time-over-phone")


def test_the_buy_bar_stays_small_shows_the_carts_refusal_and_posts_the_preview(open_page):
    _shop, boots, question = boots_shop()
    page = open_page(SMALL_PHONE)
    log_in(page, f.buyer())
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(f"/p/{boots.pk}/")
    bar = page.locator(".buybar")
    limit = SMALL_PHONE["height"] / 5

    field = page.get_by_label("鞋舌印字")
    field.fill("李雷")
    expect(page.locator("#print-line")).to_have_text("鞋舌印字: 李雷")
    assert bar.bounding_box()["height"] <= limit

    field.evaluate("input => input.removeAttribute('maxlength')")  # so the server's own check is what is tested
    field.fill("李" * 200)
    expect(page.locator("#preview-error")).to_contain_text("鞋舌印字：最多 12 个字，现在是 200 个。")
    expect(page.locator("#print-line")).to_have_count(0)
    assert bar.bounding_box()["height"] <= limit
    error = page.locator("#preview-error").bounding_box()
    assert error["y"] >= 0 and error["y"] + error["height"] <= SMALL_PHONE["height"]  # on screen, in the bar

    field.fill("李雷")
    page.locator("#quantity").fill("99999")
    expect(page.locator("#preview-error")).to_contain_text("数量须为 1 到")
    expect(page.locator("#preview")).not_to_contain_text("44,899")
    screenshot(page, "product-preview-refused-phone")

    page.get_by_role("button", name="加入购物车").click()
    quantity_error = page.locator(".field-error").first
    expect(quantity_error).to_be_visible()
    box, bar_box = quantity_error.bounding_box(), bar.bounding_box()
    assert box["y"] + box["height"] <= bar_box["y"]  # the error is above the bar, not behind it
    assert any("/preview/" in url for url in urls)
    assert not [url for url in urls if "csrfmiddlewaretoken" in url]


def test_every_order_tab_fits_a_phone_and_is_reached_by_keyboard(open_page):
    _shop, buyer, _order = paid_boots_order()
    page = open_page(SMALL_PHONE)
    log_in(page, buyer)
    page.goto("/orders/")
    tabs = page.locator(".order-tabs")
    assert tabs.evaluate("nav => nav.scrollWidth <= nav.clientWidth")  # no tab hidden off the edge
    expect(tabs.locator('[data-tab="to_ship"] .tab-count')).to_have_text("1")
    tabs.get_by_role("link", name="全部").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/orders/\?tab=to_ship$"))
    expect(tabs.locator('[aria-current="page"]')).to_contain_text("待发货")
    expect(page.locator("article.card")).to_have_count(1)
