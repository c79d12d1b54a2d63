"""`core.idempotency.run_once`: one run per key, a replay for the same request, a 409 for another one."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from anxin.core import events, idempotency
from anxin.core.errors import AnxinError, Conflict
from anxin.core.models import Event, IdempotencyRecord
from tests import factories as f

pytestmark = pytest.mark.django_db


def _request(key: str | None, user=None):
    headers = {} if key is None else {"Idempotency-Key": key}
    request = RequestFactory().post("/api/x", headers=headers)
    request.user = user or AnonymousUser()
    return request


def _work(subject):
    def work():
        events.record("test.worked", subject)
        return 201, {"events": Event.objects.filter(kind="test.worked").count()}

    return work


def test_the_same_key_and_payload_replay_the_first_answer_without_running_again():
    buyer = f.buyer()
    first = idempotency.run_once(_request("k-1", buyer), "pay", {"checkout_id": 7}, _work(buyer))
    again = idempotency.run_once(_request("k-1", buyer), "pay", {"checkout_id": 7}, _work(buyer))
    assert first == again == (201, {"events": 1})
    assert Event.objects.filter(kind="test.worked").count() == 1


def test_the_same_key_with_another_payload_is_a_409_and_runs_nothing():
    buyer = f.buyer()
    idempotency.run_once(_request("k-1", buyer), "pay", {"checkout_id": 7}, _work(buyer))
    with pytest.raises(Conflict) as caught:
        idempotency.run_once(_request("k-1", buyer), "pay", {"checkout_id": 8}, _work(buyer))
    assert (caught.value.status, caught.value.code) == (409, "idempotency_key_reused")
    assert set(caught.value.fields) == {"Idempotency-Key"}
    assert Event.objects.filter(kind="test.worked").count() == 1
    assert IdempotencyRecord.objects.get().response == {"events": 1}


def test_keys_are_per_caller_so_another_buyer_with_the_same_key_runs_its_own_work():
    a, b = f.buyer(), f.buyer()
    idempotency.run_once(_request("k-1", a), "pay", {"checkout_id": 7}, _work(a))
    assert idempotency.run_once(_request("k-1", b), "pay", {"checkout_id": 7}, _work(b)) == (201, {"events": 2})


def test_without_a_key_the_work_runs_every_time_and_nothing_is_stored():
    buyer = f.buyer()
    idempotency.run_once(_request(None, buyer), "pay", {}, _work(buyer))
    idempotency.run_once(_request(None, buyer), "pay", {}, _work(buyer))
    assert Event.objects.filter(kind="test.worked").count() == 2
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("key", ["   ", "x" * 201])
def test_an_empty_or_overlong_key_is_refused_before_any_work(key):
    buyer = f.buyer()
    with pytest.raises(AnxinError) as caught:
        idempotency.run_once(_request(key, buyer), "pay", {}, _work(buyer))
    assert caught.value.code == "invalid_idempotency_key"
    assert not Event.objects.filter(kind="test.worked").exists()
