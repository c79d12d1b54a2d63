"""The language switch in the footer turns the page into English and back into Chinese."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import boots_shop, screenshot

pytestmark = pytest.mark.browser


def test_language_switch_turns_the_page_into_english_and_back_into_chinese(page):
    _, boots, _ = boots_shop()
    page.goto(f"/p/{boots.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text("定制足球鞋")
    expect(page.get_by_role("button", name="加入购物车")).to_be_visible()

    page.locator("#lang-select").select_option("en")
    page.locator(".lang-form").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/p/{boots.pk}/$"))  # stays on the same page
    expect(page.locator("h1")).to_have_text("Custom football boots")
    expect(page.get_by_role("button", name="Add to cart")).to_be_visible()
    expect(page.locator(".site-header").get_by_role("button", name="Search")).to_be_visible()
    expect(page.get_by_label("Language")).to_have_value("en")
    screenshot(page, "language-english")

    page.goto("/")  # the choice is kept from page to page
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator("#lang-select").select_option("zh-hans")
    page.locator(".lang-form").get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".site-header").get_by_role("button", name="搜索")).to_be_visible()
    expect(page.locator(".product-card")).to_contain_text("定制足球鞋")
    screenshot(page, "language-back-to-chinese")
