"""买贵必赔 in a real browser: a buyer files a claim from the order page that the feed confirms and sees the
money at once; ops decide a claim sent to them from the review queue; on a desktop and on a phone, in
Chinese and English."""

import re

import pytest
from playwright.sync_api import expect

from anxin.guarantee.models import Claim
from tests import factories as f
from tests.browser.helpers import DESKTOP, PHONE, log_in, screenshot
from tests.guarantee.claims_support import TITLE, URL, enrolled_order, file, offer

pytestmark = pytest.mark.browser


def to_english(page) -> None:
    page.locator("#lang-select").select_option("en")
    page.locator(".lang-form").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_buyer_files_a_claim_the_feed_confirms_and_sees_the_money(open_page):
    order = enrolled_order(price_fen=10000, quantity=2)
    offer(price_fen=9000)
    page = open_page(DESKTOP)
    log_in(page, order.buyer)
    page.goto(f"/orders/{order.pk}/")
    page.locator("#price-claims").get_by_role("link", name="买贵必赔 申请").click()
    expect(page.locator("h1")).to_have_text("申请买贵必赔")
    page.get_by_label("比价平台").select_option("jd")
    page.get_by_label("对方商品链接").fill("http://item.jd.com/100012345.html")  # not https: refused, kept
    page.get_by_label("对方商品标题").fill(TITLE)
    page.get_by_label("您看到的价格（元，含运费）").fill("90.00")
    page.locator("#claim-form").get_by_role("button", name="提交申请").click()
    expect(page.locator("#claim-form .field-error")).to_contain_text("https://")
    page.get_by_label("对方商品链接").fill(URL)
    page.locator("#claim-form").get_by_role("button", name="提交申请").click()
    expect(page).to_have_url(re.compile(r"/price-claims/\d+/$"))
    expect(page.locator("#claim-paid")).to_have_text("已赔付 ¥20.00")
    screenshot(page, "price-claim-paid-1280-zh")
    to_english(page)
    expect(page.locator("#claim-paid")).to_contain_text("Paid ¥20.00")
    screenshot(page, "price-claim-paid-1280-en")

    phone = open_page(PHONE)
    log_in(phone, order.buyer)
    phone.goto("/price-claims/")
    expect(phone.locator("#price-claims tbody tr")).to_have_count(1)
    screenshot(phone, "price-claims-375-zh")


def test_ops_approve_a_claim_from_the_review_queue(open_page):
    order = enrolled_order()
    claim = file(order, price_seen="95.00")
    assert claim.state == "review"
    page = open_page(DESKTOP)
    log_in(page, f.ops())
    page.goto("/ops/")
    page.locator("nav.tabs").get_by_role("link", name="买贵必赔", exact=True).click()
    card = page.locator(f"#claim-{claim.pk}")
    expect(card).to_contain_text(URL)
    expect(card).to_contain_text("同款概率")
    screenshot(page, "price-claim-queue-1280-zh")
    card.get_by_role("button", name="通过并赔付").click()
    expect(page.locator(".messages")).to_contain_text("已赔付 ¥10.00")
    expect(page.locator("#queue-empty")).to_be_visible()
    assert Claim.objects.get(pk=claim.pk).state == "approved"

    second = file(enrolled_order(), key="second")
    phone = open_page(PHONE)
    log_in(phone, f.ops())
    phone.goto("/ops/price-claims/")
    card = phone.locator(f"#claim-{second.pk}")
    card.get_by_label("不通过的原因（买家可见）").fill("截图中的价格为会员价")
    card.get_by_role("button", name="驳回").click()
    expect(phone.locator(".messages")).to_contain_text("已驳回申请")
    screenshot(phone, "price-claim-queue-375-zh")
    to_english(phone)
    screenshot(phone, "price-claim-queue-375-en")
    assert Claim.objects.get(pk=second.pk).reason == "截图中的价格为会员价"
