"""A shopper searches from the header, narrows the results with the filters and a sort, and opens a shop."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import PHONE, boots_shop, screenshot

pytestmark = pytest.mark.browser


def test_a_shopper_searches_filters_sorts_and_opens_the_shop(open_page):
    shop, boots, _ = boots_shop()
    f.product(shop, title="儿童足球鞋", price_fen=19900)
    f.product(f.merchant(), title="保温杯")
    page = open_page()
    page.goto("/")
    page.locator("#site-search").fill("球鞋")
    page.locator(".site-header").get_by_role("button", name="搜索").click()
    expect(page.locator("h1")).to_have_text("“球鞋”：2 件商品")
    expect(page.locator(".product-card")).to_have_count(2)

    page.locator(".search-filters summary").click()
    page.get_by_label("可定制").check()
    page.locator(".filter-form").get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"custom=1"))
    expect(page.locator(".product-card")).to_have_count(1)
    expect(page.locator(".product-card")).to_contain_text("定制足球鞋")

    page.get_by_label("可定制").uncheck()
    page.locator(".filter-form").get_by_role("button", name="筛选").click()
    page.locator(".sort-bar").get_by_role("link", name="价格从低到高").click()
    expect(page).to_have_url(re.compile(r"sort=price_up"))
    expect(page.locator(".product-card .title").first).to_have_text("儿童足球鞋")
    screenshot(page, "search-sorted")

    page.locator(".product-card").first.click()
    page.get_by_role("link", name="鞋匠铺").click()
    expect(page.locator("h1")).to_have_text("鞋匠铺")
    expect(page.locator(".shop-badges")).to_contain_text("支持定制")
    expect(page.locator(".product-card")).to_have_count(2)


def test_the_filters_fold_away_on_a_phone(open_page):
    boots_shop()
    page = open_page(PHONE)
    page.goto("/?q=球鞋")
    expect(page.locator(".filter-form")).to_be_hidden()
    page.locator(".search-filters summary").click()
    expect(page.locator(".filter-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "search-phone-filters")
