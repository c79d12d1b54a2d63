"""The merchant's side of tracking numbers: the company's format, one correction before the first scan, and
bulk shipping from a CSV with a report per line. Every refusal leaves the database as it was."""

import pytest

from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.models import Event
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Leg
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db


def paid():
    return f.paid_checkout().orders.get()


def shipped(tracking="SF1000000000001"):
    order = paid()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=tracking)
    return order


def test_a_number_not_in_the_company_format_is_refused_with_an_example():
    order = paid()
    staff = f.staff(order.merchant)
    before = row_counts()
    with pytest.raises(AnxinError) as caught:
        fulfilment.ship(staff, order.pk, carrier="顺丰", tracking_number="781234567890")
    assert caught.value.code == "tracking_pattern"
    assert "顺丰速运" in caught.value.fields["tracking_number"]
    assert "SF1234567890123" in caught.value.fields["tracking_number"]
    assert row_counts() == before


def test_a_number_is_corrected_once_before_the_first_scan():
    order = shipped()
    staff = f.staff(order.merchant)
    leg = fulfilment.correct_tracking(staff, order.pk, " sf1000000000002 ")
    assert (leg.tracking_number, leg.corrected_from) == ("SF1000000000002", "SF1000000000001")
    assert Event.objects.filter(kind="shipment.tracking_corrected", data__to="SF1000000000002").exists()
    before = row_counts()
    with pytest.raises(Conflict) as caught:
        fulfilment.correct_tracking(staff, order.pk, "SF1000000000003")
    assert caught.value.code == "already_corrected"
    assert row_counts() == before
    assert Leg.objects.get(pk=leg.pk).tracking_number == "SF1000000000002"


def test_a_scanned_parcel_keeps_its_number():
    order = shipped("SF1000000000011")
    fulfilment.record_scan(f.carrier("SF"), {"tracking_number": "SF1000000000011", "kind": "picked_up"})
    staff = f.staff(order.merchant)
    before = row_counts()
    with pytest.raises(Conflict) as caught:
        fulfilment.correct_tracking(staff, order.pk, "SF1000000000012")
    assert caught.value.code == "already_scanned"
    assert row_counts() == before


@pytest.mark.parametrize(
    ("typed", "code"),
    [("781234567890", "tracking_pattern"), ("SF1000000000021", "same_tracking"), ("x!", "invalid_shipment")],
)
def test_a_correction_to_a_bad_or_the_same_number_is_refused(typed, code):
    order = shipped("SF1000000000021")
    staff = f.staff(order.merchant)
    before = row_counts()
    with pytest.raises(AnxinError) as caught:
        fulfilment.correct_tracking(staff, order.pk, typed)
    assert caught.value.code == code
    assert row_counts() == before


def test_another_shops_order_and_an_unshipped_one_cannot_be_corrected():
    order = shipped("SF1000000000031")
    with pytest.raises(NotFound):
        fulfilment.correct_tracking(f.staff(), order.pk, "SF1000000000032")
    unshipped = paid()
    with pytest.raises(Conflict) as caught:
        fulfilment.correct_tracking(f.staff(unshipped.merchant), unshipped.pk, "SF1000000000033")
    assert caught.value.code == "not_shipped"
    assert Leg.objects.get(shipment__order=order).corrected_at is None


def test_the_api_corrects_and_refuses_strictly():
    order = shipped("SF1000000000041")
    client = f.api_client(f.staff(order.merchant))
    url = f"/api/seller/orders/{order.pk}/tracking"
    assert_refused(f.post_json(client, url, {"tracking_number": 1000000000042}), 422, "invalid")
    r = f.post_json(client, url, {"tracking_number": "SF1000000000042"})
    assert r.status_code == 200, r.content
    assert r.json()["corrected_from"] == "SF1000000000041"
    assert_refused(f.post_json(client, url, {"tracking_number": "SF1000000000043"}), 409, "already_corrected")


# --- bulk shipping --------------------------------------------------------------------------------------------


def test_bulk_shipping_reports_every_line_and_ships_only_the_good_ones():
    first, second = paid(), None
    shop = first.merchant
    second = f.paid_checkout(lines=[(f.product(shop).skus.first(), 1)]).orders.get()
    pattern_bad = f.paid_checkout(lines=[(f.product(shop).skus.first(), 1)]).orders.get()
    carrier_bad = f.paid_checkout(lines=[(f.product(shop).skus.first(), 1)]).orders.get()
    foreign = paid()
    text = (
        "\ufefforder_number,carrier,tracking_number\n"
        f"{first.number},SF,SF2000000000001\n"
        f"{second.number},中通快递,782000000000002\n"
        f"{pattern_bad.number},顺丰,782000000000003\n"
        f"{carrier_bad.number},天马快递,TM2000000004\n"
        "9999999999999999,SF,SF2000000000005\n"
        f"{foreign.number},SF,SF2000000000006\n"
        f"{first.number},SF,SF2000000000001\n"
        "only-one-column\n"
    )
    report = fulfilment.ship_from_csv(f.staff(shop), text)
    outcomes = [(line.line, line.outcome) for line in report]
    assert outcomes == [
        (2, "shipped"),
        (3, "shipped"),
        (4, "refused"),
        (5, "refused"),
        (6, "refused"),
        (7, "refused"),
        (8, "already_shipped"),
        (9, "refused"),
    ]
    assert "SF1234567890123" in report[2].message
    assert "不认识这家快递公司" in report[3].message
    assert report[4].message == report[5].message == "找不到这个订单。"
    for order, state in [(first, "shipped"), (second, "shipped"), (pattern_bad, "paid"), (foreign, "paid")]:
        order.refresh_from_db()
        assert order.state == state


def test_uploading_the_same_file_again_ships_nothing_twice():
    order = paid()
    staff = f.staff(order.merchant)
    text = f"{order.number},SF,SF2000000000011\n"
    assert [line.outcome for line in fulfilment.ship_from_csv(staff, text)] == ["shipped"]
    before = row_counts()
    assert [line.outcome for line in fulfilment.ship_from_csv(staff, text)] == ["already_shipped"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2612030000000001,SF,SF2000000000021\x00\n", "nul_bytes"),
        ("2612030000000001,S\u200bF,SF2000000000021\n", "control_characters"),
        ("\ufefforder_number,carrier,tracking_number\n\n", "empty_csv"),
        ("x,SF,SF1\n" * (fulfilment.BULK_SHIP_MAX_LINES + 1), "too_many_lines"),
    ],
)
def test_a_file_that_cannot_be_read_whole_is_refused_whole(text, code):
    staff = f.staff(paid().merchant)
    before = row_counts()
    with pytest.raises(AnxinError) as caught:
        fulfilment.ship_from_csv(staff, text)
    assert caught.value.code == code
    assert row_counts() == before


def test_the_bulk_api_answers_one_result_per_line():
    order = paid()
    client = f.api_client(f.staff(order.merchant))
    r = f.post_json(client, "/api/seller/bulk-ship", {"csv": f"{order.number},SF,SF2000000000031\n"})
    assert r.status_code == 200, r.content
    assert r.json() == [{"line": 1, "order_number": order.number, "outcome": "shipped", "message": ""}]
    assert_refused(f.post_json(client, "/api/seller/bulk-ship", {"csv": ""}), 400, "empty_csv")
