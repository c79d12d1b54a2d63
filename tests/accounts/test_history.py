"""Every change to an account records an event with the old and the new values (reports read only these)."""

import json
from datetime import timedelta

import pytest

from anxin.accounts import services
from anxin.accounts.models import Address, ApiToken
from anxin.core import clock
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


def _events(kind: str) -> list[Event]:
    return list(Event.objects.filter(kind=kind).order_by("id"))


def test_correcting_an_address_records_each_changed_field_before_and_after():
    buyer = f.buyer()
    address = services.add_address(buyer, HANGZHOU)
    services.update_address(buyer, address.pk, {"street": "教工路 1 号", "recipient": "李雷"})
    [event] = _events("address.updated")
    assert (event.subject_id, event.actor_id) == (address.pk, buyer.pk)
    assert event.data["changes"] == {"street": {"before": "文三路 100 号", "after": "教工路 1 号"}}


def test_making_an_address_the_default_records_which_one_it_replaced():
    buyer = f.buyer()
    first = services.add_address(buyer, HANGZHOU)
    second = services.add_address(buyer, HANGZHOU)
    services.update_address(buyer, second.pk, {}, make_default=True)
    [event] = _events("address.updated")
    assert event.data == {"changes": {"is_default": {"before": False, "after": True}}, "previous_default_id": first.pk}
    assert list(Address.objects.filter(is_default=True).values_list("pk", flat=True)) == [second.pk]


def test_an_update_that_changes_nothing_records_nothing():
    buyer = f.buyer()
    address = services.add_address(buyer, HANGZHOU)
    services.update_address(buyer, address.pk, {"street": HANGZHOU["street"]})
    assert _events("address.updated") == []


def test_deleting_an_address_keeps_what_it_was_and_names_the_new_default():
    buyer = f.buyer()
    first = services.add_address(buyer, HANGZHOU)
    second = services.add_address(buyer, {**HANGZHOU, "street": "教工路 1 号"})
    services.delete_address(buyer, first.pk)
    [event] = _events("address.deleted")
    assert event.subject_id == first.pk
    assert event.data["before"]["street"] == "文三路 100 号" and event.data["before"]["is_default"] is True
    assert event.data["new_default_id"] == second.pk


def test_issuing_and_revoking_a_token_are_recorded_without_the_key():
    buyer = f.buyer()
    key = services.issue_token(buyer, "手机")
    token = ApiToken.objects.get()
    services.revoke_token(key)
    issued, revoked = _events("api_token.issued"), _events("api_token.revoked")
    assert [e.data for e in issued] == [{"name": "手机", "prefix": token.prefix}] == [e.data for e in revoked]
    assert issued[0].subject_id == revoked[0].subject_id == token.pk
    assert key not in json.dumps([e.data for e in issued + revoked])
    assert not ApiToken.objects.exists()


def test_revoking_an_unknown_key_changes_and_records_nothing():
    f.buyer()
    services.revoke_token("ax_not-a-key")
    assert _events("api_token.revoked") == []


def test_a_token_remembers_when_it_was_last_used_writing_at_most_once_a_minute(django_assert_num_queries):
    buyer = f.buyer()
    key = services.issue_token(buyer)
    clock.freeze(clock.now())
    started = clock.now()
    assert services.user_for_token(key) == buyer
    assert ApiToken.objects.get().last_used_at == started
    clock.advance(timedelta(seconds=30))
    with django_assert_num_queries(1):  # the lookup only: no write within the minute
        services.user_for_token(key)
    assert ApiToken.objects.get().last_used_at == started
    clock.advance(timedelta(seconds=31))
    services.user_for_token(key)
    assert ApiToken.objects.get().last_used_at == clock.now()


def test_an_api_call_with_a_token_stamps_its_last_use():
    buyer = f.buyer()
    client = f.api_client(buyer)
    assert ApiToken.objects.get().last_used_at is None
    assert client.get("/api/me").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
