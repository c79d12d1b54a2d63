"""A buyer enters an address on the full division list: the cascade by htmx, then smart paste."""

import pytest
from playwright.sync_api import expect

from anxin.accounts.models import Address
from anxin.geo.services import load_bundled_divisions
from tests import factories as f
from tests.browser.helpers import PHONE, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def buyer(site):
    load_bundled_divisions()  # the flush took the bundled list with it; the built-in rows are back already
    return f.buyer()


def test_the_selects_cascade_and_smart_paste_fills_the_form(open_page, buyer):
    page = open_page()
    log_in(page, buyer)
    page.goto("/addresses/new/")
    expect(page.locator(".required-legend")).to_contain_text("为必填项")

    page.locator("#id_province_code").select_option(label="新疆维吾尔自治区")
    expect(page.locator("#id_city_code option")).to_have_count(16)  # 15 cities and the prompt
    page.locator("#id_city_code").select_option(label="克拉玛依市")
    expect(page.locator("#id_county_code")).to_contain_text("独山子区")
    page.locator("#id_county_code").select_option(label="独山子区")

    page.locator(".smart-paste summary").click()
    page.locator("#id_paste").fill("张三 13800000000 浙江省杭州市西湖区文三路 100 号")
    page.get_by_role("button", name="识别并填入").click()
    expect(page.locator(".paste-result")).to_contain_text("已填入：收件人、电话、省份、城市、区县、详细地址")
    expect(page.locator("#id_recipient")).to_have_value("张三")
    expect(page.locator("#id_phone")).to_have_value("13800000000")
    expect(page.locator("#id_province_code")).to_have_value("330000")
    expect(page.locator("#id_city_code")).to_have_value("330100")
    expect(page.locator("#id_county_code")).to_have_value("330106")
    expect(page.locator("#id_street")).to_have_value("文三路 100 号")
    screenshot(page, "address-form-smart-paste")

    page.get_by_role("button", name="保存地址").click()
    expect(page.locator("main")).to_contain_text("浙江省 杭州市 西湖区 文三路 100 号")
    assert Address.objects.get(user=buyer).county_code == "330106"


def test_smart_paste_on_a_phone_says_what_is_left_to_choose(open_page, buyer):
    page = open_page(PHONE)
    log_in(page, buyer)
    page.goto("/addresses/new/")
    page.locator(".smart-paste summary").click()
    page.locator("#id_paste").fill("李雷 13900139000 西湖区文三路 1 号")
    page.get_by_role("button", name="识别并填入").click()
    expect(page.locator(".paste-result")).to_contain_text("未能确定：省份、城市、区县、详细地址")
    expect(page.locator("#id_recipient")).to_have_value("李雷")
    expect(page.locator("#id_province_code")).to_have_value("")
    screenshot(page, "address-form-smart-paste-phone")
