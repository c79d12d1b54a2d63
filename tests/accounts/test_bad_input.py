"""Free text with control characters answers 400 `control_characters` and writes nothing."""

import pytest

from anxin.accounts import services
from anxin.accounts.models import Address, ApiToken, User
from anxin.core.errors import AnxinError
from anxin.core.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db

HANGZHOU = {
    "recipient": "李雷",
    "phone": "13800138000",
    "province_code": "330000",
    "city_code": "330100",
    "county_code": "330106",
    "street": "文三路 100 号",
}


@pytest.mark.parametrize("field", ["recipient", "street"])
def test_an_address_with_a_control_character_is_refused_and_not_saved(field):
    buyer = f.buyer()
    response = f.post_json(f.api_client(buyer), "/api/addresses", {**HANGZHOU, field: "李\u202e雷"})
    assert response.status_code == 400
    assert response.json()["code"] == "control_characters"
    assert field in response.json()["fields"]
    assert not Address.objects.exists()
    assert not Event.objects.filter(kind__startswith="address.").exists()


def test_correcting_an_address_with_a_newline_changes_nothing():
    buyer = f.buyer()
    address = f.address(buyer)
    client = f.api_client(buyer)
    response = client.patch(
        f"/api/addresses/{address.pk}", '{"street": "教工路\\n1 号"}', content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "control_characters"
    assert Address.objects.get(pk=address.pk).street == HANGZHOU["street"]
    assert not Event.objects.filter(kind="address.updated").exists()


@pytest.mark.parametrize("field", ["username", "display_name"])
def test_a_sign_up_with_a_control_character_is_refused_and_makes_no_account(field):
    body = f.sign_up("hanmeimei", "a-good-pass-77", display_name="梅梅")
    response = f.post_json(f.Client(), "/api/auth/signup", {**body, field: "han\x07mei"})
    assert response.status_code == 400
    assert response.json()["code"] == "control_characters" and field in response.json()["fields"]
    assert not User.objects.exists() and not Event.objects.exists()


def test_a_token_name_with_a_control_character_is_refused():
    buyer = f.buyer()
    with pytest.raises(AnxinError) as caught:
        services.issue_token(buyer, "phone\x00")
    assert caught.value.code == "control_characters"
    assert not ApiToken.objects.exists() and not Event.objects.exists()
