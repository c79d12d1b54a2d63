"""A merchant rejects an after-sales case in the seller center, the buyer escalates, and ops rule a partial
refund from the arbitration queue, in a real browser, in Chinese and English, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from anxin.aftersales import rules, services
from anxin.aftersales.models import Case
from tests import factories as f
from tests.aftersales.conftest import ask, delivered, paid_order
from tests.browser.helpers import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser


def photo(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": f.picture("JPEG", color="#d92d20")}


def to_english(page) -> None:
    page.locator("#lang-select").select_option("en")
    page.locator(".lang-form").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def shoot_both(open_page, user, path: str, name: str) -> None:
    """The same page on a phone, in Chinese and then in English."""
    page = open_page(PHONE)
    log_in(page, user)
    page.goto(path)
    screenshot(page, f"{name}-375-zh")
    to_english(page)
    screenshot(page, f"{name}-375-en")


def test_a_merchant_rejects_the_buyer_escalates_and_ops_rule_a_partial_refund(open_page):
    order = delivered(paid_order(price_fen=2000, quantity=2))
    case = ask(order, rules.REFUND_ONLY, rules.QUALITY, uploads=[f.upload()], description="鞋面有划痕")
    staff, ops = f.staff(case.merchant), f.ops()

    page = open_page(DESKTOP)
    log_in(page, staff)
    page.get_by_role("link", name="商家中心").click()
    page.locator("nav.tabs").get_by_role("link", name="售后").click()
    expect(page).to_have_url(re.compile(r"/seller/aftersales/$"))
    row = page.locator("#case-queue tbody tr", has_text=case.number)
    expect(row).to_contain_text("待商家处理")
    expect(row.locator("[data-countdown]")).to_be_visible()
    screenshot(page, "aftersales-seller-queue-1280-zh")
    row.get_by_role("link", name=case.number).click()
    expect(page.locator("#case-timeline")).to_contain_text("鞋面有划痕")

    page.locator("#case-reject").get_by_role("button", name="拒绝").click()  # no reason: refused, kept
    expect(page.locator("#case-reject .field-error")).to_have_text("请填写此项。")
    page.get_by_label("拒绝理由").fill("商品出库时完好，划痕为使用痕迹")
    page.locator("#reject-images").set_input_files([photo("outbound.jpg")])
    page.locator("#case-reject").get_by_role("button", name="拒绝").click()
    expect(page.locator(".messages")).to_contain_text("已拒绝")
    expect(page.locator("h1 + .state")).to_have_text("商家已拒绝")
    expect(page.locator("#case-reject")).to_have_count(0)
    expect(page.locator("#case-evidence img")).to_have_count(2)
    screenshot(page, "aftersales-seller-rejected-1280-zh")
    to_english(page)
    expect(page.locator("h1 + .state")).to_have_text(re.compile(r"[A-Za-z]"))
    screenshot(page, "aftersales-seller-rejected-1280-en")
    shoot_both(open_page, staff, f"/seller/aftersales/{case.pk}/", "aftersales-seller-rejected")

    services.escalate(case.buyer, case.pk, "划痕是收货时就有的", [f.upload()])

    page = open_page(DESKTOP)
    log_in(page, ops)
    page.get_by_role("link", name="运营后台").click()
    page.locator("nav.tabs").get_by_role("link", name="售后仲裁").click()
    row = page.locator("#arbitration-queue tbody tr", has_text=case.number)
    expect(row.locator("[data-countdown]")).to_be_visible()
    screenshot(page, "aftersales-ops-queue-1280-zh")
    row.get_by_role("link", name=case.number).click()
    expect(page.locator("#case-timeline")).to_contain_text("商品出库时完好")
    expect(page.locator("#case-timeline")).to_contain_text("划痕是收货时就有的")
    expect(page.locator("#case-evidence img")).to_have_count(3)
    screenshot(page, "aftersales-ops-case-1280-zh")

    page.get_by_label("支持买家，退款").check()
    page.get_by_label("裁决说明").fill("双方各担一半")
    page.get_by_label(re.compile("退款金额")).fill("999")
    page.get_by_role("button", name="提交裁决").click()
    expect(page.locator("#case-rule .field-error")).to_contain_text("不超过申请金额")
    page.get_by_label(re.compile("退款金额")).fill("20")
    page.get_by_role("button", name="提交裁决").click()
    expect(page.locator(".messages")).to_contain_text("¥20.00")
    expect(page.locator("h1 + .state")).to_have_text("已退款")
    screenshot(page, "aftersales-ops-ruled-1280-zh")
    case.refresh_from_db()
    assert (case.state, case.ruling, case.refunded_fen) == (rules.REFUNDED, "refund", 2000)

    page.locator("nav.tabs").get_by_role("link", name="售后数据").click()
    expect(page.locator("#figures-headline")).to_contain_text("1")
    expect(page.locator("svg.bar-chart")).to_have_count(2)
    screenshot(page, "aftersales-ops-figures-1280-zh")
    to_english(page)
    screenshot(page, "aftersales-ops-figures-1280-en")
    page.goto(f"/ops/aftersales/{case.pk}/")
    screenshot(page, "aftersales-ops-ruled-1280-en")
    shoot_both(open_page, ops, f"/ops/aftersales/{case.pk}/", "aftersales-ops-ruled")
    shoot_both(open_page, ops, "/ops/aftersales/figures/", "aftersales-ops-figures")
    assert Case.objects.get(pk=case.pk).state == rules.REFUNDED
