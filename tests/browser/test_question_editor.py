"""The merchant builds a perfume's questions in a real browser: adds a choice question, fills and reorders its
options, watches the preview change while typing, saves, and the buyer's product page asks exactly that."""

import re

import pytest
from playwright.sync_api import expect

from anxin.catalog.models import PersonalizationQuestion
from tests import factories as f
from tests.browser.helpers import PHONE, log_in, screenshot

pytestmark = pytest.mark.browser


def test_merchant_builds_questions_with_a_live_preview_and_the_buyer_sees_them(open_page):
    shop = f.merchant(name="香氛铺")
    perfume = f.product(shop, title="定制香水", price_fen=29900)
    page = open_page()
    log_in(page, f.staff(shop))
    expect(page).to_have_url(re.compile(r"/seller/$"))
    page.goto(f"/seller/products/{perfume.pk}/questions/")

    page.get_by_role("button", name="添加选项题").click()
    page.get_by_label("问题名称").fill("香调")
    page.get_by_label("英文名称（可选）").first.fill("Notes")
    page.get_by_label("选项 1 名称").fill("玫瑰")
    page.get_by_label("选项 1 英文名称").fill("Rose")
    page.get_by_label("选项 2 名称").fill("雪松")
    page.get_by_label("选项 2 加价（元）").fill("5")
    preview = page.locator("#q-preview")
    expect(preview).to_contain_text("香调 *")
    expect(preview).to_contain_text("雪松 +¥5.00")  # refreshed by htmx while typing, nothing saved yet
    assert not PersonalizationQuestion.objects.filter(product=perfume).exists()

    page.get_by_role("button", name="添加选项", exact=True).click()
    page.get_by_label("选项 3 名称").fill("琥珀")
    page.get_by_label("选项 3 加价（元）").fill("10.5")
    page.get_by_role("button", name="选项 3 上移").click()
    expect(page.get_by_label("选项 2 名称")).to_have_value("琥珀")
    page.get_by_label("最多选择").fill("2")
    page.get_by_label("最少选择").fill("2")
    expect(preview).to_contain_text("请选择 2 项")
    screenshot(page, "seller-question-editor")
    page.get_by_role("button", name="保存定制问题").click()
    expect(page.locator(".messages")).to_contain_text("定制问题已保存")

    question = PersonalizationQuestion.objects.get(product=perfume)
    assert (question.label, question.label_en, question.min_select, question.max_select) == ("香调", "Notes", 2, 2)
    assert [(o.label, o.price_delta_fen) for o in question.options.all()] == [
        ("玫瑰", 0),
        ("琥珀", 1050),
        ("雪松", 500),
    ]

    buyer_page = open_page(PHONE)
    buyer_page.goto(f"/p/{perfume.pk}/")
    notes = buyer_page.locator("fieldset", has_text="请选择 2 项").last
    expect(notes).to_contain_text("琥珀 +¥10.50")
    screenshot(buyer_page, "buyer-product-questions-phone")


def test_a_bad_price_is_shown_beside_the_option_and_nothing_is_saved(open_page):
    shop = f.merchant()
    product = f.product(shop)
    page = open_page(PHONE)
    log_in(page, f.staff(shop))
    page.goto(f"/seller/products/{product.pk}/questions/")
    page.get_by_role("button", name="添加选项题").click()
    page.get_by_label("问题名称").fill("颜色")
    page.get_by_label("选项 1 名称").fill("红")
    page.get_by_label("选项 2 名称").fill("蓝")
    page.get_by_label("选项 2 加价（元）").fill("五元")
    page.get_by_role("button", name="保存定制问题").click()
    expect(page.locator("#q0_o1 .field-error")).to_be_visible()
    expect(page.get_by_label("选项 2 名称")).to_have_value("蓝")
    screenshot(page, "seller-question-editor-error-phone")
    assert not PersonalizationQuestion.objects.filter(product=product).exists()
