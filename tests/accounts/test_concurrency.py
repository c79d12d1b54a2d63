"""Races on accounts answer cleanly: one name, one account; one default address, whatever runs at once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from anxin.accounts import rules, services
from anxin.accounts.models import Address, AuthAttempt, User
from anxin.core import clock
from anxin.core.errors import AnxinError
from anxin.core.models import Event
from anxin.geo.services import ensure_builtin_regions
from tests import factories as f

THREADS = 8


@pytest.mark.django_db
def test_a_sign_up_that_loses_the_race_for_a_name_is_a_409_and_makes_nothing(monkeypatch):
    """The race made deterministic: the first check passes (as it does for both racers), the index refuses."""
    f.buyer(username="lilei")
    monkeypatch.setattr(services, "_username_taken", lambda username: False)
    response = f.post_json(f.Client(), "/api/auth/signup", f.sign_up("LiLei", "a-good-pass-77"))
    assert response.status_code == 409
    assert response.json()["code"] == "username_taken" and "username" in response.json()["fields"]
    assert User.objects.count() == 1
    assert not Event.objects.filter(kind="account.signed_up").exists()


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL; CI runs this suite with DATABASE_URL set")
    ensure_builtin_regions()  # a transactional test starts from a flushed database


def _in_thread(start: threading.Barrier, call) -> str:
    try:
        start.wait()
        call()
        return "ok"
    except AnxinError as exc:
        return exc.code
    finally:
        connections.close_all()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sign_ups_racing_for_one_name_make_one_account_and_clean_refusals(postgres):
    start = threading.Barrier(THREADS)
    names = [("LiLei" if i % 2 else "lilei") for i in range(THREADS)]
    forms = [services.SignUp(**f.sign_up(name, "a-good-pass-77")) for name in names]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(
            pool.map(
                lambda form: _in_thread(start, lambda: services.sign_up_buyer(form, client="10.0.0.1")),
                forms,
            )
        )
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) <= {"ok", "username_taken", "invalid_signup"}, outcomes
    assert User.objects.count() == 1
    assert Event.objects.filter(kind="account.signed_up").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_make_default_calls_leave_exactly_one_default(postgres):
    buyer = f.buyer()
    addresses = [f.address(buyer) for _ in range(THREADS)]
    start = threading.Barrier(THREADS)

    def make_default(address_id: int) -> str:
        return _in_thread(start, lambda: services.update_address(buyer, address_id, {}, make_default=True))

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(make_default, [a.pk for a in addresses]))
    assert outcomes == ["ok"] * THREADS
    assert Address.objects.filter(user=buyer, is_default=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_addresses_make_one_default(postgres):
    buyer = f.buyer()
    start = threading.Barrier(THREADS)
    data = {
        "recipient": "李雷",
        "phone": "13800138000",
        "province_code": "330000",
        "city_code": "330100",
        "county_code": "330106",
        "street": "文三路 100 号",
    }
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(
            pool.map(lambda _: _in_thread(start, lambda: services.add_address(buyer, data)), range(THREADS))
        )
    assert outcomes == ["ok"] * THREADS
    assert Address.objects.filter(user=buyer).count() == THREADS
    assert Address.objects.filter(user=buyer, is_default=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_guesses_racing_at_the_limit_get_no_more_tries_than_it_allows(postgres, settings):
    """Each attempt is committed before it is counted, so a burst cannot slip past the limit together."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    buyer = f.buyer()
    left = 3
    AuthAttempt.objects.bulk_create(
        AuthAttempt(kind=AuthAttempt.Kind.LOGIN, account=buyer.username, client="10.0.0.1", at=clock.now())
        for _ in range(rules.LOGIN_FAILURES_PER_ACCOUNT.attempts - left)
    )
    start = threading.Barrier(THREADS)

    def guess():
        return services.log_in(buyer.username, "wrong-password", client="10.0.0.1")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(lambda _: _in_thread(start, guess), range(THREADS)))
    assert set(outcomes) <= {"bad_credentials", "too_many_attempts"}, outcomes
    assert outcomes.count("bad_credentials") <= left, outcomes
    assert AuthAttempt.objects.count() == rules.LOGIN_FAILURES_PER_ACCOUNT.attempts - left + outcomes.count(
        "bad_credentials"
    )
