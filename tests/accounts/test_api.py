"""Sign-up, log-in with bearer tokens, log-out, and the address book through the API."""

import pytest

from anxin.accounts.models import Address, ApiToken, User
from tests import factories as f

pytestmark = pytest.mark.django_db

HANGZHOU = {
    "recipient": "李雷",
    "phone": "138-0013-8000",
    "province_code": "330000",
    "city_code": "330100",
    "county_code": "330106",
    "street": "文三路 100 号",
}


def test_sign_up_creates_a_buyer_and_returns_a_token():
    response = f.post_json(f.Client(), "/api/auth/signup", f.sign_up("hanmeimei", "a-good-pass-77"))
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    me = f.Client(headers={"Authorization": f"Bearer {token}"}).get("/api/me")
    assert me.json()["username"] == "hanmeimei"
    assert me.json()["role"] == "buyer"


def test_sign_up_refuses_a_taken_name_and_a_weak_password():
    f.buyer(username="lilei")
    response = f.post_json(f.Client(), "/api/auth/signup", f.sign_up("LiLei", "123"))
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"username", "password"}
    assert User.objects.count() == 1


def test_log_in_and_log_out_with_a_bearer_token():
    buyer = f.buyer()
    response = f.post_json(f.Client(), "/api/auth/login", {"username": buyer.username, "password": f.PASSWORD})
    assert response.status_code == 200
    client = f.Client(headers={"Authorization": f"Bearer {response.json()['token']}"})
    assert client.get("/api/me").status_code == 200
    assert f.post_json(client, "/api/auth/logout").status_code == 204
    assert client.get("/api/me").status_code == 401
    assert ApiToken.objects.count() == 0


def test_a_wrong_password_is_refused():
    buyer = f.buyer()
    response = f.post_json(f.Client(), "/api/auth/login", {"username": buyer.username, "password": "nope"})
    assert response.status_code == 401
    assert response.json()["code"] == "bad_credentials"


def test_the_first_address_becomes_the_default():
    client = f.api_client(f.buyer())
    response = f.post_json(client, "/api/addresses", HANGZHOU)
    assert response.status_code == 201, response.content
    assert response.json()["is_default"] is True
    assert response.json()["phone"] == "13800138000"


def test_a_new_default_address_replaces_the_old_one():
    buyer = f.buyer()
    client = f.api_client(buyer)
    first = f.post_json(client, "/api/addresses", HANGZHOU).json()
    second = f.post_json(client, "/api/addresses", {**HANGZHOU, "is_default": True}).json()
    assert Address.objects.get(pk=first["id"]).is_default is False
    assert Address.objects.get(pk=second["id"]).is_default is True


def test_deleting_the_default_address_makes_another_the_default():
    buyer = f.buyer()
    client = f.api_client(buyer)
    first = f.post_json(client, "/api/addresses", HANGZHOU).json()
    second = f.post_json(client, "/api/addresses", HANGZHOU).json()
    assert client.delete(f"/api/addresses/{first['id']}").status_code == 204
    assert Address.objects.get(pk=second["id"]).is_default is True


def test_an_address_can_be_corrected():
    client = f.api_client(f.buyer())
    address = f.post_json(client, "/api/addresses", HANGZHOU).json()
    response = client.patch(
        f"/api/addresses/{address['id']}", '{"street": "教工路 1 号"}', content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["street"] == "教工路 1 号"


def test_another_buyers_address_is_not_found():
    owner = f.buyer()
    address = f.address(owner)
    client = f.api_client(f.buyer())
    assert client.delete(f"/api/addresses/{address.pk}").status_code == 404
    assert Address.objects.filter(pk=address.pk).exists()


def test_address_fields_are_checked():
    client = f.api_client(f.buyer())
    response = f.post_json(client, "/api/addresses", {**HANGZHOU, "recipient": "", "phone": "abc", "street": ""})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"recipient", "phone", "street"}
    assert Address.objects.count() == 0
