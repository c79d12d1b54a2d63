"""A buyer, in a real browser, returns an item: asks for 退货退款 with a photo, enters the return's tracking
number once the shop agrees, gets the instant refund (极速退款) and reads the case's timeline, in Chinese and
in English, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from anxin.aftersales import services
from anxin.aftersales.models import Case
from anxin.core.money import format_fen
from tests import factories as f
from tests.aftersales.conftest import delivered, paid_order
from tests.browser.helpers import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser


def _switch_to_english(page) -> None:
    page.locator("#lang-select").select_option("en")
    page.locator(".lang-form").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize(("viewport", "size"), [(DESKTOP, "1280"), (PHONE, "375")])
def test_a_buyer_returns_an_item_gets_the_instant_refund_and_sees_the_timeline(open_page, tmp_path, viewport, size):
    order = delivered(paid_order(price_fen=2000, quantity=1))
    photo = tmp_path / "scratch.jpg"
    photo.write_bytes(f.picture())
    page = open_page(viewport)
    log_in(page, order.buyer)

    page.goto(f"/orders/{order.pk}/")
    screenshot(page, f"aftersales-buyer-order-zh-{size}")
    page.locator("#aftersales").get_by_role("link", name="申请售后").click()
    expect(page.locator("h1")).to_have_text("申请售后")
    expect(page.locator("#not-offered")).to_contain_text("只有生鲜商品可以选择")
    page.get_by_label("退货退款").check()
    page.locator("#id_reason").select_option("no_reason")
    page.locator("#id_description").fill("尺码不合适")
    page.locator("#id_images").set_input_files(str(photo))
    screenshot(page, f"aftersales-buyer-request-zh-{size}")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".messages")).to_contain_text("售后申请已提交。")
    expect(page.locator("#case-state")).to_have_text("待商家处理")
    expect(page.locator("#next-step")).to_contain_text("下一步：商家")
    expect(page.locator("#next-step time[data-countdown]")).to_have_text(re.compile(r"^4[78]:\d\d:\d\d$"))

    case = Case.objects.get(order=order)
    services.approve(f.staff(order.merchant), case.pk)
    page.reload()
    expect(page.locator("#case-state")).to_have_text("待买家寄回")
    page.locator("#return-carrier").select_option("顺丰速运")
    page.locator("#return-tracking_number").fill("SF1234567890123")
    page.get_by_role("button", name="提交退货运单号").click()
    expect(page.locator(".messages")).to_contain_text("极速退款")
    expect(page.locator("#badge-instant")).to_have_text("极速退款")
    expect(page.locator("#refund-state")).to_contain_text(format_fen(order.total_fen))  # the shipping too
    timeline = page.locator("#case-timeline li")
    expect(timeline.first).to_contain_text("提交售后申请")
    expect(page.locator("#case-timeline")).to_contain_text("尺码不合适")
    expect(page.locator("#case-timeline img")).to_have_count(1)
    expect(page.locator("#case-timeline")).to_contain_text("SF1234567890123")
    expect(page.locator("#return-form")).to_have_count(0)
    screenshot(page, f"aftersales-buyer-case-zh-{size}")
    case.refresh_from_db()
    assert (case.state, case.instant, case.refunded_fen) == ("return_shipped", True, order.total_fen)

    _switch_to_english(page)
    expect(page.locator("#badge-instant")).to_have_text("Instant refund")
    expect(page.locator("#next-step")).to_contain_text("Next:")
    screenshot(page, f"aftersales-buyer-case-en-{size}")
    page.goto("/aftersales/")
    expect(page.locator(f'[data-case="{case.pk}"]')).to_contain_text(case.number)
    screenshot(page, f"aftersales-buyer-list-en-{size}")
    page.goto(f"/orders/{order.pk}/")
    expect(page.locator("#aftersales")).to_contain_text("After-sales in progress")
    screenshot(page, f"aftersales-buyer-order-en-{size}")
