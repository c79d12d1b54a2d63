"""Bad templates are refused with the field named; odd scans are kept and flagged, never lost or crashing."""

import pytest

from anxin.core.errors import AnxinError
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Scan
from anxin.orders.models import Order
from anxin.shipping import services as shipping
from anxin.shipping.models import ShippingTemplate
from tests import factories as f

pytestmark = pytest.mark.django_db

VALID = {"name": "按重", "mode": "weight", "first_units": 1000, "first_fen": 800, "step_units": 1000, "step_fen": 300}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"excluded_provinces": ["990000"]}, "provinces"),
        ({"regions": [{"provinces": ["77"], "first_fen": 1, "step_fen": 1}]}, "provinces"),
        ({"regions": [{"provinces": ["33"], "first_fen": 1, "step_fen": 1},
                      {"provinces": ["33", "44"], "first_fen": 2, "step_fen": 2}]}, "regions.1"),
        ({"free": [{"provinces": [], "kind": "subtotal", "threshold": 0}]}, "free.0"),
    ],
)  # fmt: skip
def test_a_bad_template_is_refused_and_nothing_is_saved(change, field):
    client = f.api_client(f.staff())
    response = f.post_json(client, "/api/seller/shipping-templates", {**VALID, **change})
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert ShippingTemplate.objects.count() == 0


def test_negative_fees_are_refused_before_they_reach_the_rules():
    client = f.api_client(f.staff())
    response = f.post_json(client, "/api/seller/shipping-templates", {**VALID, "first_fen": -1})
    assert response.status_code == 422
    assert "first_fen" in response.json()["fields"]
    with pytest.raises(AnxinError):
        shipping.save_template(f.staff(), {**VALID, "step_fen": -5})
    assert ShippingTemplate.objects.count() == 0


def test_another_shops_template_is_not_found():
    mine = shipping.save_template(f.staff(), VALID)
    other = f.api_client(f.staff())
    assert other.get(f"/api/seller/shipping-templates/{mine.pk}/preview").status_code == 404
    assert (
        other.put(f"/api/seller/shipping-templates/{mine.pk}", VALID, content_type="application/json").status_code
        == 404
    )


def test_the_preview_lists_every_province_with_not_delivered_ones_empty():
    staff = f.staff()
    template = shipping.save_template(staff, {**VALID, "excluded_provinces": ["54"]})
    rows = f.api_client(staff).get(f"/api/seller/shipping-templates/{template.pk}/preview").json()
    assert len(rows) == 31
    fees = {row["province_code"]: row["fee_fen"] for row in rows}
    assert fees["540000"] is None
    assert fees["330000"] == 800
    assert fees["650000"] == 800  # priced as the hub's province


def test_checkout_to_a_province_not_delivered_to_is_refused_with_the_reason():
    shop = f.merchant()
    template = shipping.save_template(f.staff(shop), {**VALID, "excluded_provinces": ["54"]})
    item = f.product(shop, title="空调", shipping_template=template)
    buyer = f.buyer()
    f.address(buyer, "540000", "540100", "540102")
    with pytest.raises(AnxinError) as caught:
        f.placed_checkout(buyer, lines=[(item.skus.first(), 1)])
    assert caught.value.code == "not_deliverable"
    assert "空调" in next(iter(caught.value.fields.values()))
    assert Order.objects.count() == 0


def test_checkout_of_a_product_not_for_remote_regions_is_refused_there():
    item = f.product(title="冷冻海鲜", remote_deliverable=False)
    buyer = f.buyer()
    f.address(buyer, "650000", "650100", "650102")
    with pytest.raises(AnxinError) as caught:
        f.placed_checkout(buyer, lines=[(item.skus.first(), 1)])
    assert "偏远" in next(iter(caught.value.fields.values()))


def test_a_scan_posted_by_ops_for_an_unknown_tracking_number_is_kept_and_flagged():
    client = f.api_client(f.ops())
    response = f.post_json(client, "/api/logistics/scans", {"tracking_number": "NOSUCH123", "kind": "delivered"})
    assert response.status_code == 201
    assert response.json()["flag"] == "unknown_tracking"
    assert Scan.objects.get().leg is None


def test_a_carriers_scan_for_an_unknown_tracking_number_is_not_found_and_not_kept():
    client = f.api_client(f.carrier("SF"))
    response = f.post_json(client, "/api/logistics/scans", {"tracking_number": "NOSUCH123", "kind": "delivered"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Scan.objects.exists()


def test_an_out_of_order_scan_is_kept_flagged_and_changes_nothing():
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000500000001")
    carrier = f.carrier("SF")
    fulfilment.record_scan(carrier, {"tracking_number": "SF000500000001", "kind": "out_for_delivery"})
    late = fulfilment.record_scan(carrier, {"tracking_number": "SF000500000001", "kind": "picked_up"})
    assert late.scan.flag == "out_of_order"
    assert Scan.objects.count() == 2


def test_scans_after_delivery_do_not_deliver_twice():
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000600000001")
    carrier = f.carrier("SF")
    assert (
        fulfilment.record_scan(carrier, {"tracking_number": "SF000600000001", "kind": "delivered"}).effect
        == "delivered"
    )
    again = fulfilment.record_scan(carrier, {"tracking_number": "SF000600000001", "kind": "delivered"})
    assert (again.effect, again.scan.flag) == ("", "after_delivery")


@pytest.mark.parametrize(
    "body",
    [{"tracking_number": "SF1", "kind": "delivered"}, {"tracking_number": "SF000600000001", "kind": "teleported"},
     {"tracking_number": "SF000600000001", "kind": "delivered", "at": "yesterday"}],
)  # fmt: skip
def test_malformed_scans_are_refused_with_the_field(body):
    response = f.post_json(f.api_client(f.carrier("SF")), "/api/logistics/scans", body)
    assert response.status_code in (400, 422)
    assert response.json()["fields"]
    assert Scan.objects.count() == 0


def test_buyers_cannot_post_scans():
    response = f.post_json(
        f.api_client(f.buyer()), "/api/logistics/scans", {"tracking_number": "SF000600000001", "kind": "delivered"}
    )
    assert response.status_code == 403


def test_a_csv_of_scans_reports_bad_rows_by_line_and_keeps_the_rest():
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000700000001")
    csv_text = (
        "carrier,tracking_number,kind,at,location\n"
        "顺丰,SF000700000001,picked_up,2030-01-01T08:00:00+08:00,杭州\n"
        "顺丰,SF000700000001,exploded,2030-01-01T09:00:00+08:00,杭州\n"
        "顺丰,UNKNOWN0001,delivered,,北京\n"
    )
    summary = fulfilment.import_scans_csv(f.ops(), csv_text)
    assert (summary.recorded, summary.flagged) == (1, 1)  # the unknown number, kept flagged
    assert [error.split(":")[0] for error in summary.errors] == ["2", "3"]  # years ahead; an unknown kind
    assert "一小时" in summary.errors[0]


def test_a_csv_without_the_needed_columns_is_refused():
    with pytest.raises(AnxinError):
        fulfilment.import_scans_csv(f.carrier("SF"), "number,what\n1,2\n")
