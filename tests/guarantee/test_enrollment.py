"""Enrollment services: a shop enrolls and ends its own SKUs only; ops campaigns with a multiplier of 1 or 2 in
a window enroll SKUs; each refusal names its reason and changes nothing."""

from datetime import timedelta

import pytest

from anxin.core import clock
from anxin.core.errors import AnxinError, Conflict, Forbidden, NotFound
from anxin.core.models import Event
from anxin.guarantee.models import Campaign, Enrollment
from anxin.guarantee.queries import enrollment as queries
from anxin.guarantee.services import enrollment
from tests import factories as f
from tests.guarantee.enrollment_support import campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def shop_sku():
    shop = f.merchant()
    return f.staff(shop), f.product(shop).skus.get()


def test_a_shop_enrolls_its_own_sku_from_now_open_ended():
    staff, sku = shop_sku()
    made = enrollment.enroll_sku(staff, sku.pk)
    assert (made.source, made.multiplier, made.starts_at, made.ends_at) == ("merchant", 1, clock.now(), None)
    assert queries.in_force(sku.pk, clock.now()) == made
    assert Event.objects.filter(kind="guarantee.enrolled").count() == 1


def test_enrolling_twice_keeps_one_enrollment():
    staff, sku = shop_sku()
    first = enrollment.enroll_sku(staff, sku.pk)
    assert enrollment.enroll_sku(staff, sku.pk) == first
    assert Enrollment.objects.count() == 1


def test_another_shops_sku_is_not_found_and_nothing_is_enrolled():
    _staff, sku = shop_sku()
    other = f.staff()
    with pytest.raises(NotFound):
        enrollment.enroll_sku(other, sku.pk)
    with pytest.raises(NotFound):
        enrollment.end_sku_enrollment(other, sku.pk)
    assert not Enrollment.objects.exists()


def test_a_buyer_cannot_enroll():
    _staff, sku = shop_sku()
    with pytest.raises(Forbidden):
        enrollment.enroll_sku(f.buyer(), sku.pk)
    assert not Enrollment.objects.exists()


def test_ending_keeps_the_enrollment_for_orders_paid_before():
    staff, sku = shop_sku()
    enrollment.enroll_sku(staff, sku.pk)
    enrolled_at = clock.now()
    clock.advance(timedelta(days=3))
    ended = enrollment.end_sku_enrollment(staff, sku.pk)
    assert ended.ends_at == clock.now()
    assert queries.in_force(sku.pk, enrolled_at + timedelta(days=1)) == ended
    assert queries.in_force(sku.pk, clock.now()) is None


def test_ending_what_is_not_enrolled_is_a_conflict():
    staff, sku = shop_sku()
    with pytest.raises(Conflict) as raised:
        enrollment.end_sku_enrollment(staff, sku.pk)
    assert raised.value.code == "not_enrolled"


def test_a_campaign_enrolls_skus_with_its_multiplier_for_its_window():
    _staff, sku = shop_sku()
    ops = f.ops()
    made = campaign(ops, multiplier=2, days=7)
    (enrolled,) = enrollment.enroll_in_campaign(ops, made.pk, [sku.pk, sku.pk])
    assert (enrolled.multiplier, enrolled.ends_at, enrolled.source) == (2, made.ends_at, "campaign")
    assert queries.enrolled_skus([sku.pk], clock.now()) == {sku.pk: 2}
    assert queries.enrolled_skus([sku.pk], made.ends_at) == {}
    assert enrollment.enroll_in_campaign(ops, made.pk, [sku.pk]) == []  # already in it


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"multiplier": 3}, "multiplier", "campaign_multiplier"),
        ({"multiplier": 0}, "multiplier", "campaign_multiplier"),
        ({"multiplier": True}, "multiplier", "campaign_multiplier"),
        ({"name": "  "}, "name", "campaign_name"),
        ({"name": "长" * 61}, "name", "campaign_name"),
        ({"ends_at": -timedelta(hours=1)}, "ends_at", "campaign_window_backwards"),
        ({"starts_at": -timedelta(days=3), "ends_at": -timedelta(days=2, hours=23)}, "ends_at", "campaign_window_past"),
        ({"ends_at": timedelta(days=400)}, "ends_at", "campaign_window_too_long"),
    ],
)
def test_bad_campaign_terms_are_refused_by_field_and_nothing_is_created(changes, field, code):
    now = clock.now()
    terms = {"name": "活动", "multiplier": 1, "starts_at": now, "ends_at": now + timedelta(days=1)}
    for key, value in changes.items():
        terms[key] = now + value if isinstance(value, timedelta) else value
    with pytest.raises(AnxinError) as raised:
        enrollment.create_campaign(f.ops(), **terms)
    assert raised.value.code == code and field in raised.value.fields
    assert not Campaign.objects.exists()


def test_only_ops_create_campaigns():
    with pytest.raises(Forbidden):
        campaign(f.staff())
    assert not Campaign.objects.exists()


def test_an_unknown_sku_refuses_the_whole_campaign_request():
    _staff, sku = shop_sku()
    ops = f.ops()
    made = campaign(ops)
    with pytest.raises(AnxinError) as raised:
        enrollment.enroll_in_campaign(ops, made.pk, [sku.pk, 987654])
    assert raised.value.code == "unknown_skus" and "987654" in raised.value.message
    assert not Enrollment.objects.exists()


def test_an_empty_sku_list_is_refused():
    ops = f.ops()
    with pytest.raises(AnxinError) as raised:
        enrollment.enroll_in_campaign(ops, campaign(ops).pk, [])
    assert raised.value.code == "campaign_no_skus"


def test_ending_a_running_campaign_ends_its_enrollments_now():
    _staff, sku = shop_sku()
    ops = f.ops()
    made = campaign(ops, days=7)
    enrollment.enroll_in_campaign(ops, made.pk, [sku.pk])
    clock.advance(timedelta(days=1))
    enrollment.end_campaign(ops, made.pk)
    made.refresh_from_db()
    assert made.ends_at == clock.now()
    assert queries.enrolled_skus([sku.pk], clock.now()) == {}
    assert queries.enrolled_skus([sku.pk], clock.now() - timedelta(hours=1)) == {sku.pk: 2}
    with pytest.raises(Conflict):
        enrollment.end_campaign(ops, made.pk)
    with pytest.raises(Conflict):
        enrollment.enroll_in_campaign(ops, made.pk, [sku.pk])


def test_ending_a_campaign_that_has_not_begun_calls_it_off():
    _staff, sku = shop_sku()
    ops = f.ops()
    made = campaign(ops, starts_in=timedelta(days=2))
    enrollment.enroll_in_campaign(ops, made.pk, [sku.pk])
    enrollment.end_campaign(ops, made.pk)
    assert not Campaign.objects.exists() and not Enrollment.objects.exists()


def test_an_unknown_campaign_is_not_found():
    with pytest.raises(NotFound):
        enrollment.end_campaign(f.ops(), 424242)


def test_the_shops_sku_list_shows_each_skus_state():
    staff, sku = shop_sku()
    second = f.sku_of(sku.product)
    enrollment.enroll_sku(staff, sku.pk)
    ops = f.ops()
    enrollment.enroll_in_campaign(ops, campaign(ops).pk, [second.pk])
    rows = {
        row.sku.pk: (row.by_merchant, row.multiplier) for row in queries.merchant_skus(staff.merchant_id, clock.now())
    }
    assert rows == {sku.pk: (True, 1), second.pk: (False, 2)}
