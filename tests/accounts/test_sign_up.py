"""Sign-up's consent, mobile number and text-message code, through the API and the services."""

from datetime import timedelta

import pytest

from anxin.accounts import rules, sms
from anxin.accounts.models import AuthAttempt, Consent, PhoneCode, User
from anxin.core import clock
from anxin.core.events import Event
from tests import factories as f

pytestmark = pytest.mark.django_db


def ask_code(phone: str, **extra):
    return f.post_json(f.Client(**extra), "/api/auth/signup/code", {"phone": phone})


def sign_up(body: dict):
    return f.post_json(f.Client(), "/api/auth/signup", body)


def nothing_signed_up() -> bool:
    return not User.objects.exists() and not Consent.objects.exists() and not Event.objects.exists()


def test_a_code_is_texted_and_the_sign_up_records_the_phone_and_consent():
    clock.freeze()
    answer = ask_code("+86 139-0013-9000")
    assert answer.status_code == 202
    sent = answer.json()
    assert sent["phone"] == "13900139000" and len(sent["simulated_code"]) == 6
    body = {"username": "hanmeimei", "password": "a-good-pass-77", "phone": "13900139000"}
    response = sign_up({**body, "code": sent["simulated_code"], "accept_terms": True})
    assert response.status_code == 201, response.content
    user = User.objects.get(username="hanmeimei")
    assert (user.phone, user.phone_verified_at) == ("13900139000", clock.now())
    consents = set(Consent.objects.filter(user=user).values_list("document", "version", "at", "client"))
    assert consents == {
        ("terms", rules.TERMS_VERSION, clock.now(), "127.0.0.1"),
        ("privacy", rules.PRIVACY_VERSION, clock.now(), "127.0.0.1"),
    }
    event = Event.objects.get(kind="account.signed_up")
    assert event.data["phone_verified"] is True and event.data["consents"]["terms"] == rules.TERMS_VERSION


@pytest.mark.parametrize("consent", [{"accept_terms": False}, {}])
def test_without_consent_the_sign_up_is_refused_and_the_code_kept(consent):
    body = f.sign_up("hanmeimei")
    del body["accept_terms"]
    response = sign_up({**body, **consent})
    assert response.status_code == 400
    assert response.json()["code"] == "consent_required" and "accept_terms" in response.json()["fields"]
    assert nothing_signed_up()
    assert not AuthAttempt.objects.filter(kind=AuthAttempt.Kind.SIGN_UP).exists()
    assert sign_up({**body, "accept_terms": True}).status_code == 201  # the code was not spent


@pytest.mark.parametrize("phone", ["12345678901", "1390013900", "139001390001", "23900139000", "139oo139000", ""])
def test_a_number_that_is_not_a_mainland_mobile_is_refused(phone):
    answer = ask_code(phone)
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_phone"
    assert not PhoneCode.objects.exists() and not AuthAttempt.objects.exists()
    response = sign_up({**f.sign_up("hanmeimei"), "phone": phone})
    assert response.status_code == 400 and response.json()["code"] == "invalid_phone"
    assert nothing_signed_up()


def test_a_number_that_has_an_account_gets_no_code_and_no_second_account():
    taken = f.buyer()
    User.objects.filter(pk=taken.pk).update(phone="13900139000")
    answer = ask_code("139 0013 9000")
    assert answer.status_code == 409 and answer.json()["code"] == "phone_taken"
    assert not PhoneCode.objects.exists()
    body = f.sign_up("hanmeimei", phone="13900139001")
    response = sign_up({**body, "phone": "13900139000"})
    assert response.status_code == 409 and response.json()["code"] == "phone_taken"
    assert User.objects.count() == 1


def test_a_wrong_code_is_refused_and_five_of_them_spend_the_code():
    body = f.sign_up("hanmeimei")
    wrong = f"{(int(body['code']) + 1) % 10**6:06d}"
    for _ in range(rules.CODE_GUESSES):
        response = sign_up({**body, "code": wrong})
        assert response.status_code == 400 and response.json()["code"] == "invalid_code"
    response = sign_up(body)
    assert response.status_code == 400 and response.json()["code"] == "code_expired"
    assert nothing_signed_up()


@pytest.mark.parametrize(
    ("code", "answer"), [(" ", "code_required"), ("12345", "invalid_code"), ("１２３４５６", "invalid_code")]
)
def test_a_code_not_shaped_like_one_is_refused_and_counts_nothing(code, answer):
    body = f.sign_up("hanmeimei")
    response = sign_up({**body, "code": code})
    assert response.status_code == 400 and response.json()["code"] == answer
    assert PhoneCode.objects.get().wrong_guesses == 0
    assert not AuthAttempt.objects.filter(kind=AuthAttempt.Kind.SIGN_UP).exists()


def test_a_code_expires_after_ten_minutes():
    clock.freeze()
    body = f.sign_up("hanmeimei")
    clock.advance(rules.CODE_LIFETIME)
    response = sign_up(body)
    assert response.status_code == 400 and response.json()["code"] == "code_expired"
    assert nothing_signed_up()


def test_a_code_works_once_and_a_new_one_replaces_the_old():
    clock.freeze()
    body = f.sign_up("hanmeimei")
    clock.advance(timedelta(minutes=1))
    newer = ask_code(body["phone"], REMOTE_ADDR="10.0.0.7").json()["simulated_code"]
    if newer != body["code"]:
        assert sign_up(body).json()["code"] == "invalid_code"
    assert sign_up({**body, "code": newer}).status_code == 201
    again = sign_up({**body, "username": "lilei", "code": newer})
    assert again.status_code == 409 and again.json()["code"] == "phone_taken"


def test_codes_to_one_number_are_throttled_a_minute_apart_and_five_an_hour():
    clock.freeze()
    phone = f.mobile()
    assert ask_code(phone).status_code == 202
    refused = ask_code(phone)
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 60
    for _ in range(rules.CODES_PER_PHONE.attempts - 1):
        clock.advance(timedelta(minutes=1))
        assert ask_code(phone).status_code == 202
    clock.advance(timedelta(minutes=1))
    assert ask_code(phone).status_code == 429
    assert [e.data["by"] for e in Event.objects.filter(kind="account.locked_out")] == ["account"]


def test_codes_from_one_address_are_limited_whatever_the_numbers():
    clock.freeze()
    for _ in range(rules.CODES_PER_ADDRESS.attempts):
        assert ask_code(f.mobile()).status_code == 202
    assert ask_code(f.mobile()).status_code == 429
    assert ask_code(f.mobile(), REMOTE_ADDR="10.0.0.8").status_code == 202


class QuietSender:
    shows_code = False
    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        QuietSender.sent.append((phone, text))


class BrokenSender:
    shows_code = False

    def send(self, phone: str, text: str) -> None:
        raise sms.SendFailed("gateway down")


def test_a_real_sender_gets_the_message_and_the_code_is_not_shown(settings):
    settings.ANXIN_SMS_SENDER = f"{__name__}.QuietSender"
    answer = ask_code("13900139000")
    assert answer.status_code == 202 and answer.json()["simulated_code"] is None
    phone, text = QuietSender.sent[-1]
    code = text.split("验证码是 ")[1][:6]
    assert phone == "13900139000" and PhoneCode.objects.get().code_hash == PhoneCode.hash(phone, code)


def test_a_failed_delivery_keeps_no_code_and_counts_no_attempt(settings):
    settings.ANXIN_SMS_SENDER = f"{__name__}.BrokenSender"
    answer = ask_code("13900139000")
    assert answer.status_code == 503 and answer.json()["code"] == "sms_failed"
    assert not PhoneCode.objects.exists() and not AuthAttempt.objects.exists()
