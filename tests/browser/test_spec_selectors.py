"""Spec selectors in a real browser: the buyer picks colour and size by chips (a sold-out combination cannot be
picked, the price follows the choice, the right SKU goes into the cart), and a seller builds a 2x2 matrix."""

import re

import pytest
from playwright.sync_api import expect

from anxin.catalog.models import SKU
from anxin.checkout.models import CartLine
from tests import factories as f
from tests.browser.helpers import PHONE, log_in, screenshot

pytestmark = pytest.mark.browser


def _chip_input(page, product, dimension: str, value: str):
    value_row = product.spec_dimensions.get(name=dimension).values.get(name=value)
    return page.locator(f"#spec-{value_row.dimension_id}-{value_row.pk}")


def _chip(page, value: str):
    return page.locator("label.spec-chip").filter(has_text=re.compile(rf"^{re.escape(value)}$"))


def test_a_buyer_picks_colour_and_size_by_chips_and_adds_the_right_sku(page):
    shoe = f.spec_product(stocks={("黑", "38"): 0})
    buyer = f.buyer()
    f.address(buyer)
    log_in(page, buyer)
    page.goto(f"/p/{shoe.pk}/")

    expect(_chip_input(page, shoe, "颜色", "白蓝")).to_be_checked()  # the first buyable combination
    expect(_chip_input(page, shoe, "尺码", "37")).to_be_checked()
    expect(_chip_input(page, shoe, "尺码", "38")).to_be_enabled()  # 白蓝/38 is in stock
    expect(page.locator("#unit-price")).to_have_text("¥199.00")

    _chip(page, "黑").click()
    expect(_chip_input(page, shoe, "尺码", "38")).to_be_disabled()  # 黑/38 is sold out
    expect(page.locator("[data-spec-summary]")).to_have_text(re.compile(r"颜色: 黑 · 尺码: 37 · ¥209.00 · 库存 5"))
    expect(page.locator("#unit-price")).to_have_text("¥209.00")  # the htmx preview prices the chips' SKU

    _chip(page, "37").click()  # clicking a chosen chip clears its row
    expect(_chip_input(page, shoe, "尺码", "37")).not_to_be_checked()
    expect(page.locator("[data-spec-summary]")).to_have_text("请选择：尺码")
    expect(page.locator("[data-spec-sku]")).to_have_value("")
    _chip(page, "37").click()
    black_37 = SKU.objects.get(product=shoe, spec={"颜色": "黑", "尺码": "37"})
    expect(page.locator("[data-spec-sku]")).to_have_value(str(black_37.pk))
    screenshot(page, "spec-chips-desktop")

    page.get_by_role("button", name="加入购物车").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    assert CartLine.objects.get(cart__buyer=buyer).sku == black_37


def test_chips_wrap_within_a_phone_screen_in_english(open_page):
    shoe = f.spec_product()
    page = open_page(PHONE)
    page.goto(f"/p/{shoe.pk}/")
    page.locator("#lang-select").select_option("en")
    page.locator(".lang-form").get_by_role("button").click()
    expect(page.locator(".spec-row-name").first).to_have_text("Colour")
    expect(_chip(page, "White-blue")).to_be_visible()
    width = page.evaluate("document.documentElement.clientWidth")
    chips = page.locator("label.spec-chip")
    for box in [chips.nth(i).bounding_box() for i in range(chips.count())]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off the screen
    screenshot(page, "spec-chips-phone-english")


def test_a_seller_builds_a_two_by_two_matrix_in_the_editor(page):
    product = f.product(f.merchant(), title="帆布鞋")
    staff = f.staff(product.merchant)
    log_in(page, staff)
    page.goto(f"/seller/products/{product.pk}/specs/")

    page.locator("#d0_name").fill("颜色")
    page.locator("#d0_name_en").fill("Colour")
    page.locator("#d0_values").fill("红 | Red\n蓝 | Blue")
    page.get_by_role("button", name="添加维度").click()
    expect(page.locator("#d0_values")).to_have_value("红 | Red\n蓝 | Blue")
    page.locator("#d1_name").fill("尺码")
    page.locator("#d1_values").fill("40\n41")
    page.get_by_role("button", name="下一步：填写价格与库存").click()

    rows = page.locator("tr[data-combination]")
    expect(rows).to_have_count(4)
    page.locator("#bulk_price").fill("129")
    page.locator("#bulk_stock").fill("8")
    page.get_by_role("button", name="填入全部组合").click()
    expect(page.get_by_label("价格（元） 蓝 / 41")).to_have_value("129")
    page.get_by_label("价格（元） 蓝 / 41").fill("139.50")
    page.get_by_label("库存 红 / 40").fill("0")
    screenshot(page, "spec-editor-table")
    page.get_by_role("button", name="保存规格", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/seller/products/{product.pk}/$"))
    skus = {(s.spec["颜色"], s.spec["尺码"]): s for s in SKU.objects.filter(product=product, is_active=True)}
    assert set(skus) == {("红", "40"), ("红", "41"), ("蓝", "40"), ("蓝", "41")}
    assert skus[("蓝", "41")].price_fen == 13950 and skus[("红", "40")].stock.available == 0
    assert skus[("红", "41")].spec_en == {"Colour": "Red", "尺码": "41"}
