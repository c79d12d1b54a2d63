"""One timestamp policy for scans: an offset required, not more than an hour ahead nor months back, and a bad
time already stored never breaks a page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from anxin.core import clock
from anxin.fulfilment import rules
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Leg, Scan
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db

TRACKING = "SF000800000001"


@pytest.fixture
def shipped():
    clock.freeze(clock.now().replace(microsecond=0))
    order = paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=TRACKING)
    return order


def post_scan(client, at: str):
    return f.post_json(client, "/api/logistics/scans", {"tracking_number": TRACKING, "kind": "in_transit", "at": at})


@pytest.mark.parametrize(
    "at",
    [
        lambda now: (now + timedelta(hours=1, minutes=1)).isoformat(),
        lambda now: "9999-12-31T23:59:59+00:00",
        lambda now: (now - rules.SCAN_MAX_AGE - timedelta(minutes=1)).isoformat(),
    ],
    ids=["over-an-hour-ahead", "year-9999", "months-back"],
)
def test_a_scan_time_that_cannot_be_true_is_refused_and_nothing_is_written(shipped, at):
    client = f.api_client(f.carrier("SF"))
    before = row_counts()
    body = assert_refused(post_scan(client, at(clock.now())), 400, "invalid_scan")
    assert "at" in body["fields"]
    assert row_counts() == before


def test_a_scan_within_the_clock_drift_is_kept(shipped):
    client = f.api_client(f.carrier("SF"))
    response = post_scan(client, (clock.now() + timedelta(minutes=59)).isoformat())
    assert response.status_code == 201, response.content
    assert response.json()["flag"] == ""


def test_a_naive_time_on_the_api_is_a_422_naming_the_field(shipped):
    client = f.api_client(f.carrier("SF"))
    before = row_counts()
    naive = timezone.make_naive(clock.now()).isoformat()
    body = assert_refused(post_scan(client, naive), 422, "invalid")
    assert "at" in body["fields"]
    assert row_counts() == before


def test_a_naive_time_in_a_csv_is_refused_on_its_line(shipped):
    naive = timezone.make_naive(clock.now()).isoformat()
    summary = fulfilment.import_scans_csv(f.carrier("SF"), f"tracking_number,kind,at\n{TRACKING},in_transit,{naive}\n")
    assert summary.recorded == 0
    assert summary.errors[0].startswith("2:") and "时区" in summary.errors[0]
    assert not Scan.objects.exists()


def test_a_time_typed_on_the_scan_desk_is_beijing_time_as_the_field_says(shipped, client):
    client.force_login(f.carrier("SF"))
    typed = timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/logistics/scans/one/", {"tracking_number": TRACKING, "kind": "in_transit", "at": typed})
    assert response.status_code == 302
    assert Scan.objects.get().at == clock.now().replace(second=0)


def test_a_stored_scan_dated_9999_breaks_no_page(shipped, client):
    leg = Leg.objects.get(tracking_number=TRACKING)
    Scan.objects.create(
        leg=leg,
        company_id=leg.company_id,
        tracking_number=TRACKING,
        kind="in_transit",
        at=datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
        recorded_at=clock.now(),
    )
    Leg.objects.filter(pk=leg.pk).update(delivered_at=datetime(9999, 12, 31, 23, 0, tzinfo=UTC))
    client.force_login(f.carrier("SF"))
    desk = client.get("/logistics/scans/")
    assert desk.status_code == 200 and "9999-12-31 23:59" in desk.text
    client.force_login(shipped.buyer)
    assert client.get(f"/orders/{shipped.pk}/").status_code == 200
    tracking = f.api_client(shipped.buyer).get(f"/api/orders/{shipped.pk}/tracking")
    assert tracking.status_code == 200
    assert tracking.json()["legs"][0]["scans"][0]["at"].startswith("9999-12-31")
