"""A newcomer signs up with a mobile number: the code comes in a simulated SMS notice, consent is ticked."""

import re

import pytest
from playwright.sync_api import expect

from anxin.accounts.models import User
from tests.browser.helpers import PHONE, screenshot

pytestmark = pytest.mark.browser


def test_a_newcomer_gets_a_code_and_signs_up(open_page):
    page = open_page(PHONE)
    page.goto("/signup/")
    page.locator("#id_username").fill("hanmeimei")
    page.locator("#id_phone").fill("12345")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#code-notice")).to_contain_text("请填写有效的中国大陆手机号")

    page.locator("#id_phone").fill("139 0013 9000")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#code-notice")).to_contain_text("模拟短信")
    code = page.locator(".sim-code").inner_text()
    page.locator("#id_code").fill(code)
    page.locator("#id_password").fill("a-long-secret-9")
    page.locator("#id_password2").fill("a-long-secret-9")
    screenshot(page, "sign-up-simulated-sms")

    page.get_by_role("button", name="注册并登录").click()
    expect(page.locator(".field-error").first).to_contain_text("请阅读并同意")
    assert not User.objects.exists()
    page.locator("#id_code").fill(code)
    page.locator("#id_password").fill("a-long-secret-9")
    page.locator("#id_password2").fill("a-long-secret-9")
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="注册并登录").click()
    page.wait_for_url(re.compile(r"^(?!.*/signup/)"))
    user = User.objects.get(username="hanmeimei")
    assert user.phone == "13900139000" and set(user.consents.values_list("document", flat=True)) == {"terms", "privacy"}
