"""The sign-up page's phone, code and consent, and the terms and privacy pages it links to."""

import re

import pytest

from anxin.accounts import rules
from anxin.accounts.models import Consent, PhoneCode, User
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_page_marks_required_fields_and_links_the_terms_and_privacy_notice(client):
    r = client.get("/signup/")
    assert r.status_code == 200
    assert "为必填项" in r.text
    for field in ("username", "phone", "code", "password", "password2"):
        label = re.search(rf'<label for="id_{field}">.*?</label>', r.text, re.S).group(0)
        assert 'class="req" aria-hidden="true"' in label and "（必填）" in label, field
        assert 'aria-required="true"' in re.search(rf'<input[^>]*id="id_{field}"[^>]*>', r.text).group(0), field
    assert 'name="accept_terms"' in r.text and 'href="/terms/"' in r.text and 'href="/privacy/"' in r.text
    assert 'hx-post="/signup/code/"' in r.text and 'formaction="/signup/code/"' in r.text


def test_htmx_asks_for_a_code_and_gets_the_simulated_sms_notice(client):
    r = client.post("/signup/code/", {"phone": "139 0013 9000"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text
    code = re.search(r'<b class="sim-code">(\d{6})</b>', r.text).group(1)
    assert "模拟短信" in r.text and "13900139000" in r.text
    assert PhoneCode.objects.get().code_hash == PhoneCode.hash("13900139000", code)


def test_htmx_gets_the_refusal_in_the_notice_with_its_status(client):
    r = client.post("/signup/code/", {"phone": "12345"}, headers={"HX-Request": "true"})
    assert r.status_code == 400 and "请填写有效的中国大陆手机号" in r.text and "<html" not in r.text
    assert not PhoneCode.objects.exists()


def test_without_script_the_code_request_shows_the_page_again_with_what_was_typed(client):
    body = {"username": "hanmeimei", "display_name": "梅梅", "phone": "13900139000", "password": "a-long-secret-9"}
    r = client.post("/signup/code/", body)
    assert r.status_code == 200 and "<html" in r.text
    assert 'value="hanmeimei"' in r.text and 'value="13900139000"' in r.text and "模拟短信" in r.text
    assert "a-long-secret-9" not in r.text
    assert not User.objects.exists()


def test_signing_up_without_consent_shows_the_message_beside_the_box_and_makes_no_account(client):
    body = f.sign_up_form("hanmeimei", "a-long-secret-9", accept_terms="")
    r = client.post("/signup/", body)
    assert r.status_code == 400
    consent = re.search(r'<label class="choice" for="id_accept_terms">.*?</div>', r.text, re.S).group(0)
    assert "请阅读并同意《用户协议》和《隐私政策》" in consent
    assert not User.objects.exists() and not Consent.objects.exists()


def test_a_bad_phone_and_a_wrong_code_are_shown_on_their_fields(client):
    r = client.post("/signup/", f.sign_up_form("hanmeimei", "a-long-secret-9", phone="13900139000", code="000000"))
    if PhoneCode.objects.get().code_hash != PhoneCode.hash("13900139000", "000000"):
        assert r.status_code == 400 and "验证码不正确" in r.text
    r = client.post("/signup/", {**f.sign_up_form("lilei"), "phone": "0571-8888"})
    assert r.status_code == 400 and "请填写有效的中国大陆手机号" in r.text
    assert not User.objects.exists()


def test_a_full_sign_up_on_the_page_records_consent(client):
    r = client.post("/signup/", f.sign_up_form("hanmeimei", "a-long-secret-9"))
    assert r.status_code == 302
    user = User.objects.get(username="hanmeimei")
    assert user.phone_verified_at is not None
    assert set(user.consents.values_list("document", flat=True)) == {"terms", "privacy"}


@pytest.mark.parametrize(
    ("url", "chinese", "english", "version"),
    [
        ("/terms/", "安心用户协议", "Anxin Terms of Service", rules.TERMS_VERSION),
        ("/privacy/", "安心隐私政策", "Anxin Privacy Notice", rules.PRIVACY_VERSION),
    ],
)
def test_the_terms_and_privacy_pages_are_in_chinese_and_english(client, url, chinese, english, version):
    r = client.get(url)
    assert r.status_code == 200 and chinese in r.text and version in r.text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = client.get(url)
    assert r.status_code == 200 and english in r.text and version in r.text
