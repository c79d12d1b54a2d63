"""Sign-up refuses weak passwords with Django's validators (similar to the name, short, common, numeric),
each problem named on the password field in the request's language, and makes nothing."""

import pytest

from anxin.accounts.models import User
from anxin.core.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db


def sign_up(username: str, password: str, language: str = "zh-hans"):
    body = f.sign_up(username, password)
    return f.post_json(f.Client(), "/api/auth/signup", body, **{"Accept-Language": language})


@pytest.mark.parametrize(
    ("password", "chinese", "english"),
    [
        ("hanmeimei", "太相似", "too similar to the username"),
        ("x7-Qz", "密码太短，至少需要 8 个字符", "at least 8 characters"),
        ("password123", "太常见", "too common"),
        ("80947361592", "只包含数字", "entirely numeric"),
    ],
)
def test_a_weak_password_is_refused_on_its_field_in_chinese_and_english(password, chinese, english):
    chinese_answer = sign_up("hanmeimei", password)
    english_answer = sign_up("hanmeimei", password, "en")
    for response in (chinese_answer, english_answer):
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_signup" and set(response.json()["fields"]) == {"password"}
    assert chinese in chinese_answer.json()["fields"]["password"]
    assert english in english_answer.json()["fields"]["password"]
    assert not User.objects.exists() and not Event.objects.exists()


def test_a_password_equal_to_the_username_is_refused_on_the_page(client):
    response = client.post("/signup/", f.sign_up_form("lilei2026", "lilei2026"))
    assert response.status_code == 400
    assert "密码跟 用户名 太相似了" in response.text
    assert not User.objects.exists()


def test_the_demo_and_factory_passwords_pass_the_validators():
    from django.contrib.auth.password_validation import validate_password

    from anxin.simulate import data

    logins = [data.OPS_LOGIN, data.BUYER_LOGIN, data.SELLER_LOGIN, data.COURIER_LOGIN, data.CARRIER_LOGIN]
    for username, password in [*logins, ("buyer-1", f.PASSWORD), ("buyer-1", data.SHARED_PASSWORD)]:
        validate_password(password, user=User(username=username))
