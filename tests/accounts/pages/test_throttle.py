"""The login and sign-up pages share the API's throttle: past the limit a readable page with 429 and
Retry-After, the right password refused too, and nobody logged in."""

import pytest

from anxin.accounts import rules
from anxin.accounts.models import AuthAttempt, User
from anxin.core import clock
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def test_after_ten_failures_the_login_page_refuses_the_right_password_with_a_readable_429(client):
    buyer = f.buyer()
    clock.freeze()
    for _ in range(rules.LOGIN_FAILURES_PER_ACCOUNT.attempts):
        assert log_in(client, buyer.username, "wrong-password").status_code == 200
    response = log_in(client, buyer.username, f.PASSWORD)
    assert response.status_code == 429 and response["Retry-After"] == str(15 * 60)
    assert "尝试次数过多，请 15 分钟后再试。" in response.text and "alert-error" in response.text
    assert f'value="{buyer.username}"' in response.text
    assert "_auth_user_id" not in client.session


def test_the_page_and_the_api_count_one_accounts_failures_together(client):
    buyer = f.buyer()
    for _ in range(rules.LOGIN_FAILURES_PER_ACCOUNT.attempts - 1):
        log_in(client, buyer.username, "wrong-password")
    body = {"username": buyer.username, "password": "wrong-password"}
    assert f.post_json(f.Client(), "/api/auth/login", body).status_code == 401
    assert log_in(client, buyer.username, f.PASSWORD).status_code == 429


def test_a_successful_page_log_in_clears_the_accounts_failures(client):
    buyer = f.buyer()
    log_in(client, buyer.username, "wrong-password")
    assert log_in(client, buyer.username, f.PASSWORD).status_code == 302
    assert not AuthAttempt.objects.filter(account=buyer.username).exists()


def test_the_login_page_is_throttled_per_client_address(client):
    buyer = f.buyer()
    AuthAttempt.objects.bulk_create(
        AuthAttempt(kind=AuthAttempt.Kind.LOGIN, account=f"guess-{i}", client="127.0.0.1", at=clock.now())
        for i in range(rules.LOGIN_FAILURES_PER_ADDRESS.attempts)
    )
    assert log_in(client, buyer.username, f.PASSWORD).status_code == 429
    assert log_in(f.Client(REMOTE_ADDR="10.0.0.9"), buyer.username, f.PASSWORD).status_code == 302


def test_the_sign_up_page_is_throttled_per_client_address(client):
    AuthAttempt.objects.bulk_create(
        AuthAttempt(kind=AuthAttempt.Kind.SIGN_UP, client="127.0.0.1", at=clock.now())
        for _ in range(rules.SIGN_UPS_PER_ADDRESS.attempts)
    )
    response = client.post("/signup/", f.sign_up_form("hanmeimei", "a-long-secret-9"))
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert "尝试次数过多" in response.text and 'value="hanmeimei"' in response.text
    assert not User.objects.exists()


def test_the_throttle_message_is_in_english_for_english_readers(client):
    buyer = f.buyer()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for _ in range(rules.LOGIN_FAILURES_PER_ACCOUNT.attempts):
        log_in(client, buyer.username, "wrong-password")
    assert "Too many attempts. Please try again in 15 min." in log_in(client, buyer.username, f.PASSWORD).text
