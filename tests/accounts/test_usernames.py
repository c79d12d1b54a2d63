"""One name, one account: usernames are NFKC-normalised and compared case-insensitively at sign-up and
log-in; invisible characters (zero-width, bidi overrides) are refused everywhere, and nothing is written."""

import pytest

from anxin.accounts import services
from anxin.accounts.models import ApiToken, AuthAttempt, User
from anxin.core.errors import AnxinError
from anxin.core.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db

INVISIBLE = ["buy\u200ber", "buyer\u200d", "\u202ereyub", "buy\u2066er", "\ufeffbuyer"]


def sign_up(username: str, password: str = "a-good-pass-77"):
    return f.post_json(f.Client(), "/api/auth/signup", f.sign_up(username, password))


def log_in(username: str, password: str = f.PASSWORD):
    return f.post_json(f.Client(), "/api/auth/login", {"username": username, "password": password})


def test_a_full_width_spelling_of_a_taken_name_is_a_409():
    f.buyer(username="buyer")
    events = Event.objects.count()
    response = sign_up("ｂｕｙｅｒ")
    assert response.status_code == 409
    assert response.json()["code"] == "username_taken" and "username" in response.json()["fields"]
    assert User.objects.count() == 1 and Event.objects.count() == events


def test_a_name_is_stored_in_its_normal_form():
    assert sign_up("ｈａｎｍｅｉ").status_code == 201
    assert list(User.objects.values_list("username", flat=True)) == ["hanmei"]


@pytest.mark.parametrize("spelling", ["ｂｕｙｅｒ", "BUYER", "Ｂuyer"])
def test_log_in_compares_the_same_normal_form(spelling):
    f.buyer(username="buyer")
    response = log_in(spelling)
    assert response.status_code == 200, response.content
    assert response.json()["user"]["username"] == "buyer"


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_sign_up_with_an_invisible_character_in_the_name_is_refused(name):
    response = sign_up(name)
    assert response.status_code == 400
    assert response.json()["code"] == "control_characters" and "username" in response.json()["fields"]
    assert not User.objects.exists() and not Event.objects.exists()
    assert not AuthAttempt.objects.filter(kind=AuthAttempt.Kind.SIGN_UP).exists()


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_log_in_with_a_look_alike_name_is_refused_before_any_password_check(name):
    f.buyer(username="buyer")
    response = log_in(name)
    assert response.status_code == 400 and response.json()["code"] == "control_characters"
    assert not ApiToken.objects.exists() and not AuthAttempt.objects.exists()


@pytest.mark.parametrize("name", INVISIBLE)
def test_ops_cannot_open_a_staff_account_with_an_invisible_name(name):
    with pytest.raises(AnxinError) as caught:
        services.create_staff_account(f.merchant(), name, "a-good-pass-77", actor=f.ops())
    assert caught.value.code == "control_characters"
    assert not User.objects.filter(role=User.Role.MERCHANT_STAFF).exists()


def test_the_login_page_refuses_a_look_alike_name(client):
    f.buyer(username="buyer")
    response = client.post("/login/", {"username": "buy\u200ber", "password": f.PASSWORD})
    assert response.status_code == 200 and "alert" in response.text
    assert "_auth_user_id" not in client.session
    assert not AuthAttempt.objects.exists()


def test_the_login_page_takes_a_full_width_name(client):
    buyer = f.buyer(username="buyer")
    response = client.post("/login/", {"username": "ＢＵＹＥＲ", "password": f.PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(buyer.pk)
