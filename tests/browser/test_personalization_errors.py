"""A personalization the server refuses is shown beside its field, and nothing else the buyer chose is lost."""

import re

import pytest
from playwright.sync_api import expect

from anxin.checkout.models import CartLine
from tests import factories as f
from tests.browser.helpers import log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_message_over_the_limit_shows_the_servers_error_and_keeps_the_chosen_notes_and_the_text(page):
    perfume = f.product(title="调香香水", price_fen=19900, stock=7)
    message = f.text_question(perfume, label="瓶身印字", max_chars=8, position=0)
    f.choice_question(perfume, [("玫瑰", 0), ("雪松", 500), ("琥珀", 1000)], label="香调", min_select=2, max_select=2)
    log_in(page, f.buyer())
    page.goto(f"/p/{perfume.pk}/")

    page.get_by_label("玫瑰").check()
    page.get_by_label("雪松").check()
    expect(page.get_by_label("琥珀")).to_be_disabled()  # app.js: at most two notes
    expect(page.locator("#unit-price")).to_have_text("¥204.00")  # htmx preview: 199 + 5 for cedar

    field = page.get_by_label("瓶身印字")
    expect(field).to_have_attribute("maxlength", "8")
    field.evaluate("input => input.removeAttribute('maxlength')")  # so the server's own check is what is tested
    field.press_sequentially("给亲爱的小红生日快乐")  # 10 characters
    expect(page.locator(f'[data-count-for="q-{message.pk}"]')).to_have_text("10 / 8")
    expect(page.locator(f'[data-count-for="q-{message.pk}"]')).to_have_class(re.compile(r"\bover\b"))
    page.get_by_role("button", name="加入购物车").click()

    expect(page).to_have_url(re.compile(rf"/p/{perfume.pk}/$"))
    expect(page.locator(f"#q-{message.pk}-error")).to_have_text(re.compile("最多 8 个字，现在是 10 个"))
    expect(page.get_by_label("瓶身印字")).to_have_value("给亲爱的小红生日快乐")
    expect(page.get_by_label("玫瑰")).to_be_checked()
    expect(page.get_by_label("雪松")).to_be_checked()
    expect(page.get_by_label("琥珀")).not_to_be_checked()
    screenshot(page, "perfume-message-too-long")
    assert not CartLine.objects.exists()
