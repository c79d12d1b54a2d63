"""Log-in and sign-up are throttled per account and per client address, through the API (one counter in the
database for every process): 429 `too_many_attempts` with Retry-After, the right password refused too, a
success clearing the account's failures, every lockout an event, and nothing else written."""

from datetime import timedelta

import pytest

from anxin.accounts import rules
from anxin.accounts.models import ApiToken, AuthAttempt, User
from anxin.core import clock
from anxin.core.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db

ACCOUNT_LIMIT = rules.LOGIN_FAILURES_PER_ACCOUNT.attempts
ADDRESS_LIMIT = rules.LOGIN_FAILURES_PER_ADDRESS.attempts
SIGN_UP_LIMIT = rules.SIGN_UPS_PER_ADDRESS.attempts


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Dozens of log-ins per test: a cheap hasher keeps them fast; the throttle does not care which one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(username: str, password: str, **extra):
    return f.Client(**extra).post(
        "/api/auth/login", {"username": username, "password": password}, content_type="application/json"
    )


def fail(username: str, times: int, **extra) -> None:
    for _ in range(times):
        assert log_in(username, "wrong-password", **extra).status_code == 401


def lockouts() -> list[dict]:
    return list(Event.objects.filter(kind="account.locked_out").values_list("data", flat=True))


def seed_failures(count: int, *, client: str = "127.0.0.1") -> None:
    """Failures of other names from one address, written as the throttle writes them."""
    AuthAttempt.objects.bulk_create(
        AuthAttempt(kind=AuthAttempt.Kind.LOGIN, account=f"guess-{i}", client=client, at=clock.now())
        for i in range(count)
    )


def test_after_ten_failures_the_right_password_is_refused_with_429_and_retry_after():
    buyer = f.buyer()
    clock.freeze()
    fail(buyer.username, ACCOUNT_LIMIT)
    response = log_in(buyer.username, f.PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts" and response.json()["message"]
    assert response["Retry-After"] == str(15 * 60)
    assert not ApiToken.objects.exists()


def test_the_lockout_is_per_account_name_whatever_its_case_or_width():
    buyer = f.buyer(username="lilei")
    other = f.buyer()
    fail("LILEI", ACCOUNT_LIMIT // 2)
    fail("ｌｉｌｅｉ", ACCOUNT_LIMIT - ACCOUNT_LIMIT // 2)
    assert log_in(buyer.username, f.PASSWORD).status_code == 429
    assert log_in(other.username, f.PASSWORD).status_code == 200


def test_the_lockout_ends_when_the_window_has_moved_on():
    buyer = f.buyer()
    clock.freeze()
    fail(buyer.username, ACCOUNT_LIMIT)
    clock.advance(rules.LOGIN_FAILURES_PER_ACCOUNT.window - timedelta(seconds=1))
    response = log_in(buyer.username, f.PASSWORD)
    assert response.status_code == 429 and response["Retry-After"] == "1"
    clock.advance(timedelta(seconds=1))
    assert log_in(buyer.username, f.PASSWORD).status_code == 200


def test_refused_tries_do_not_extend_the_lockout():
    buyer = f.buyer()
    clock.freeze()
    fail(buyer.username, ACCOUNT_LIMIT)
    clock.advance(timedelta(minutes=10))
    assert log_in(buyer.username, "wrong-password").status_code == 429
    clock.advance(timedelta(minutes=5))
    assert log_in(buyer.username, f.PASSWORD).status_code == 200


def test_a_success_clears_the_accounts_failures():
    buyer = f.buyer()
    fail(buyer.username, ACCOUNT_LIMIT - 1)
    assert log_in(buyer.username, f.PASSWORD).status_code == 200
    assert not AuthAttempt.objects.filter(account=buyer.username).exists()
    fail(buyer.username, ACCOUNT_LIMIT - 1)
    assert log_in(buyer.username, f.PASSWORD).status_code == 200


def test_a_lockout_is_recorded_once_as_an_event():
    buyer = f.buyer()
    clock.freeze()
    fail(buyer.username, ACCOUNT_LIMIT)
    assert log_in(buyer.username, "wrong-password").status_code == 429
    assert log_in(buyer.username, f.PASSWORD).status_code == 429
    until = (clock.now() + rules.LOGIN_FAILURES_PER_ACCOUNT.window).isoformat()
    assert lockouts() == [{"kind": "login", "by": "account", "account": buyer.username, "until": until}]


def test_a_refused_log_in_writes_nothing_but_its_counted_failure():
    buyer = f.buyer()
    fail(buyer.username, ACCOUNT_LIMIT)
    counts = (AuthAttempt.objects.count(), Event.objects.count(), User.objects.count())
    last_login = User.objects.get(pk=buyer.pk).last_login
    assert log_in(buyer.username, f.PASSWORD).status_code == 429
    assert (AuthAttempt.objects.count(), Event.objects.count(), User.objects.count()) == counts
    assert User.objects.get(pk=buyer.pk).last_login == last_login
    assert not ApiToken.objects.exists()


def test_fifty_failures_from_one_address_lock_that_address_out_of_every_account():
    buyer = f.buyer()
    seed_failures(ADDRESS_LIMIT - 1)
    assert log_in("one-more-guess", "wrong-password").status_code == 401
    assert [data["by"] for data in lockouts()] == ["client"]
    response = log_in(buyer.username, f.PASSWORD)
    assert response.status_code == 429 and response.json()["code"] == "too_many_attempts"
    assert log_in(buyer.username, f.PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 200


def test_a_success_does_not_clear_the_addresss_failures():
    own = f.buyer()
    seed_failures(ADDRESS_LIMIT - 1)
    assert log_in(own.username, f.PASSWORD).status_code == 200
    assert log_in("guess", "wrong-password").status_code == 401
    assert log_in(own.username, f.PASSWORD).status_code == 429


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(settings):
    buyer = f.buyer()
    seed_failures(ADDRESS_LIMIT, client="203.0.113.9")
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "REMOTE_ADDR": "10.0.0.1"}
    assert log_in(buyer.username, f.PASSWORD, **forwarded).status_code == 200
    settings.ANXIN_TRUSTED_PROXY_COUNT = 1
    assert log_in(buyer.username, f.PASSWORD, **forwarded).status_code == 429
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9", "REMOTE_ADDR": "10.0.0.1"}
    assert log_in(buyer.username, f.PASSWORD, **forged).status_code == 429


def test_old_attempts_are_pruned_as_new_ones_are_written():
    clock.freeze()
    seed_failures(3)
    clock.advance(rules.KEEP_ATTEMPTS + timedelta(seconds=1))
    fail("someone", 1)
    assert list(AuthAttempt.objects.values_list("account", flat=True)) == ["someone"]


def sign_up(name: str, **extra):
    body = f.sign_up(name, "a-good-pass-77")
    return f.Client(**extra).post("/api/auth/signup", body, content_type="application/json")


def test_sign_ups_from_one_address_are_limited_per_hour():
    clock.freeze()
    for i in range(SIGN_UP_LIMIT):
        assert sign_up(f"newcomer{i}").status_code == 201
    users, events = User.objects.count(), Event.objects.count()
    response = sign_up("one-too-many")
    assert response.status_code == 429 and response.json()["code"] == "too_many_attempts"
    assert int(response["Retry-After"]) == 3600
    assert (User.objects.count(), Event.objects.count()) == (users, events)
    assert sign_up("elsewhere", REMOTE_ADDR="10.0.0.8").status_code == 201
    clock.advance(rules.SIGN_UPS_PER_ADDRESS.window)
    assert sign_up("next-hour").status_code == 201


def test_a_taken_name_counts_as_a_sign_up_so_names_cannot_be_probed_unthrottled():
    f.buyer(username="lilei")
    for _ in range(SIGN_UP_LIMIT):
        assert sign_up("lilei").status_code == 409
    assert sign_up("lilei").status_code == 429
    assert [(data["kind"], data["by"]) for data in lockouts()] == [("sign_up", "client")]
