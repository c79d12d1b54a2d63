"""买贵必赔 enrollment and campaigns through the API: a shop's own SKUs only (another's is 404), campaigns with
a multiplier of 1 or 2 in a window, each refusal a 4xx with its code and nothing written."""

import json
from datetime import timedelta

import pytest

from anxin.core import clock
from anxin.guarantee.models import Campaign, Enrollment
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def post(client, url: str, body=None):
    return client.post(url, json.dumps(body) if body is not None else None, content_type="application/json")


def test_a_shop_lists_enrolls_and_unenrolls_its_own_sku():
    shop = f.merchant()
    sku = f.product(shop).skus.get()
    staff = f.api_client(f.staff(shop))
    enrolled = post(staff, f"/api/seller/guarantee/skus/{sku.pk}/enroll")
    assert enrolled.status_code == 201, enrolled.content
    assert (enrolled.json()["multiplier"], enrolled.json()["ends_at"]) == (1, None)
    (row,) = staff.get("/api/seller/guarantee/skus").json()["items"]
    assert (row["sku_id"], row["enrolled"], row["multiplier"]) == (sku.pk, True, 1)
    clock.advance(timedelta(hours=1))
    ended = post(staff, f"/api/seller/guarantee/skus/{sku.pk}/unenroll")
    assert ended.status_code == 200 and ended.json()["ends_at"] is not None
    again = post(staff, f"/api/seller/guarantee/skus/{sku.pk}/unenroll")
    assert (again.status_code, again.json()["code"]) == (409, "not_enrolled")


def test_another_shops_sku_is_404_and_nothing_is_enrolled():
    sku = f.product().skus.get()
    other = f.api_client(f.staff())
    answer = post(other, f"/api/seller/guarantee/skus/{sku.pk}/enroll")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    assert not Enrollment.objects.exists()
    assert other.get("/api/seller/guarantee/skus").json()["items"] == []


def campaign_body(**changes):
    now = clock.now()
    body = {
        "name": "双十二",
        "multiplier": 2,
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=3)).isoformat(),
    }
    return body | changes


def test_ops_create_a_campaign_enroll_skus_and_end_it():
    ops = f.api_client(f.ops())
    sku = f.product().skus.get()
    made = post(ops, "/api/ops/guarantee/campaigns", campaign_body())
    assert made.status_code == 201, made.content
    campaign_id = made.json()["id"]
    enrolled = post(ops, f"/api/ops/guarantee/campaigns/{campaign_id}/skus", {"sku_ids": [sku.pk]})
    assert enrolled.status_code == 201 and enrolled.json()[0]["multiplier"] == 2
    shown = ops.get(f"/api/ops/guarantee/campaigns/{campaign_id}").json()
    assert (shown["sku_count"], shown["multiplier"]) == (1, 2)
    assert ops.get("/api/ops/guarantee/campaigns").json()["count"] == 1
    clock.advance(timedelta(hours=1))
    assert post(ops, f"/api/ops/guarantee/campaigns/{campaign_id}/end").status_code == 204
    ended = post(ops, f"/api/ops/guarantee/campaigns/{campaign_id}/end")
    assert (ended.status_code, ended.json()["code"]) == (409, "campaign_ended")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"multiplier": 3}, "campaign_multiplier"),
        ({"multiplier": 0}, "campaign_multiplier"),
        ({"multiplier": "2"}, "invalid"),
        ({"name": ""}, "campaign_name"),
        ({"ends_at": "2020-01-01T00:00:00+08:00"}, "campaign_window_backwards"),
        ({"starts_at": "2026-13-01T00:00:00+08:00"}, "invalid"),
        ({"starts_at": "2026-12-01T00:00:00"}, "naive_datetime"),
    ],
)
def test_bad_campaigns_are_refused_with_their_code_and_nothing_is_created(changes, code):
    answer = post(f.api_client(f.ops()), "/api/ops/guarantee/campaigns", campaign_body(**changes))
    assert answer.status_code in (400, 422), answer.content
    assert answer.json()["code"] == code
    assert not Campaign.objects.exists()


def test_an_unknown_sku_in_a_campaign_request_enrolls_none():
    ops = f.api_client(f.ops())
    sku = f.product().skus.get()
    campaign_id = post(ops, "/api/ops/guarantee/campaigns", campaign_body()).json()["id"]
    answer = post(ops, f"/api/ops/guarantee/campaigns/{campaign_id}/skus", {"sku_ids": [sku.pk, 99999999]})
    assert (answer.status_code, answer.json()["code"]) == (400, "unknown_skus")
    assert not Enrollment.objects.exists()


def test_a_shop_cannot_create_campaigns():
    answer = post(f.api_client(f.staff()), "/api/ops/guarantee/campaigns", campaign_body())
    assert answer.status_code == 403
    assert not Campaign.objects.exists()
