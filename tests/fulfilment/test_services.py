"""Trust scoped to the delivery: carriers act on their own company's legs, couriers on the deliveries assigned
to them, ops on any (and the events say so); refused actions change nothing."""

from datetime import timedelta

import pytest

from anxin.core import clock
from anxin.core.errors import AnxinError, Conflict, Forbidden, NotFound
from anxin.core.models import Event, LedgerEntry
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Leg, Scan, Shipment
from anxin.orders.models import Order
from tests import factories as f
from tests.fulfilment.helpers import remote_order, to_hub

pytestmark = pytest.mark.django_db


def shipped(tracking="SF000100000001", carrier="顺丰"):
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier=carrier, tracking_number=tracking)
    return order


def snapshot(order):
    """Everything a refused action must leave as it was."""
    shipment = Shipment.objects.filter(order=order).first()
    legs = list(Leg.objects.filter(shipment=shipment).values_list("number", "delivered_at"))
    return (
        Order.objects.get(pk=order.pk).state,
        shipment and (shipment.state, shipment.courier_id),
        legs,
        Scan.objects.count(),
        Event.objects.count(),
        LedgerEntry.objects.count(),
    )


# --- shipping --------------------------------------------------------------------------------------------


def test_shipping_resolves_the_typed_carrier_to_its_company_and_keeps_the_name_as_written():
    order = shipped(carrier="中通", tracking="750100000001")
    leg = Leg.objects.get(shipment__order=order)
    assert (leg.company.code, leg.carrier) == ("ZTO", "中通")


def test_an_unknown_carrier_is_refused_with_the_choices_and_nothing_is_written():
    order = f.paid_checkout().orders.get()
    before = snapshot(order)
    with pytest.raises(AnxinError) as caught:
        fulfilment.ship(f.staff(order.merchant), order.pk, carrier="天马快递", tracking_number="TM100000001")
    assert caught.value.code == "unknown_carrier"
    assert "顺丰速运" in caught.value.fields["carrier"] and "中国邮政" in caught.value.fields["carrier"]
    assert snapshot(order) == before


def test_a_carrier_name_with_control_characters_is_refused_with_both_bad_fields():
    order = f.paid_checkout().orders.get()
    with pytest.raises(AnxinError) as caught:
        fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰\u202e", tracking_number="x")
    assert set(caught.value.fields) == {"carrier", "tracking_number"}
    assert "控制字符" in caught.value.fields["carrier"]
    assert not Shipment.objects.exists()


def test_one_companys_tracking_number_cannot_be_on_two_parcels_on_the_way():
    shipped("SF000100000001")
    other = f.paid_checkout().orders.get()
    before = snapshot(other)
    with pytest.raises(AnxinError) as caught:
        fulfilment.ship(f.staff(other.merchant), other.pk, carrier="顺丰速运", tracking_number="sf000100000001")
    assert caught.value.code == "duplicate_tracking"
    assert snapshot(other) == before


def test_another_company_may_use_the_same_number_and_the_company_itself_after_delivery():
    first = shipped("781234567890", carrier="中通")
    shipped("781234567890", carrier="申通")
    fulfilment.record_scan(f.carrier("ZTO"), {"tracking_number": "781234567890", "kind": "delivered"})
    first.refresh_from_db()
    assert first.state == "delivered"
    reused = shipped("781234567890", carrier="中通")
    assert Leg.objects.filter(tracking_number="781234567890", company__code="ZTO").count() == 2
    assert reused.shipment.legs.get().delivered_at is None


# --- scans -----------------------------------------------------------------------------------------------


def test_another_companys_carrier_cannot_scan_the_parcel_and_nothing_changes():
    order = shipped("SF000100000001")
    before = snapshot(order)
    with pytest.raises(NotFound):
        fulfilment.record_scan(f.carrier("ZTO"), {"tracking_number": "SF000100000001", "kind": "delivered"})
    assert snapshot(order) == before


def test_a_carrier_account_without_a_company_scans_nothing():
    order = shipped("SF000100000001")
    before = snapshot(order)
    with pytest.raises(NotFound):
        fulfilment.record_scan(f.user("carrier"), {"tracking_number": "SF000100000001", "kind": "delivered"})
    assert snapshot(order) == before


def test_couriers_do_not_post_carriers_scans():
    shipped("SF000100000001")
    with pytest.raises(Forbidden):
        fulfilment.record_scan(f.courier(), {"tracking_number": "SF000100000001", "kind": "delivered"})
    assert not Scan.objects.exists()


def test_the_carriers_own_scan_delivers_and_records_who_posted_it():
    order = shipped("SF000100000001")
    carrier = f.carrier("SF")
    outcome = fulfilment.record_scan(carrier, {"tracking_number": "SF000100000001", "kind": "delivered"})
    assert outcome.effect == "delivered"
    assert (outcome.scan.posted_by, outcome.scan.company.code) == (carrier, "SF")
    event = Event.objects.get(kind="scan.recorded")
    assert (event.actor_id, event.data["as"]) == (carrier.pk, "carrier")
    order.refresh_from_db()
    assert (order.state, order.shipment.state) == ("delivered", "delivered")


def test_ops_may_scan_any_parcel_and_the_event_says_it_was_ops():
    shipped("SF000100000001")
    ops = f.ops()
    outcome = fulfilment.record_scan(ops, {"tracking_number": "SF000100000001", "kind": "in_transit"})
    assert outcome.scan.leg is not None
    event = Event.objects.get(kind="scan.recorded")
    assert (event.actor_id, event.data["as"]) == (ops.pk, "ops")


def test_a_location_with_control_characters_is_refused_and_nothing_is_stored():
    order = shipped("SF000100000001")
    before = snapshot(order)
    body = {"tracking_number": "SF000100000001", "kind": "in_transit", "location": "杭州\x07转运中心"}
    with pytest.raises(AnxinError) as caught:
        fulfilment.record_scan(f.carrier("SF"), body)
    assert caught.value.code == "invalid_scan"
    assert "控制字符" in caught.value.fields["location"]
    assert snapshot(order) == before


def test_a_csv_import_reports_another_companys_rows_by_line_and_keeps_none_of_them():
    shipped("SF000100000001")
    shipped("750100000001", carrier="中通")
    text = (
        "carrier,tracking_number,kind,at,location\n"
        "顺丰,SF000100000001,picked_up,,杭州\n"
        "中通,750100000001,delivered,,上海\n"
    )
    summary = fulfilment.import_scans_csv(f.carrier("SF"), text)
    assert (summary.recorded, summary.applied) == (1, 0)
    assert len(summary.errors) == 1 and summary.errors[0].startswith("3:")
    assert list(Scan.objects.values_list("tracking_number", flat=True)) == ["SF000100000001"]
    assert Shipment.objects.get(legs__tracking_number="750100000001").state == "in_transit"


# --- leg 2 -----------------------------------------------------------------------------------------------


def test_a_carrier_sends_leg_2_under_its_own_company_only_and_nothing_changes_otherwise():
    order = remote_order()
    to_hub(order)
    before = snapshot(order)
    with pytest.raises(Forbidden) as caught:
        fulfilment.dispatch_from_hub(f.carrier("SF"), order.pk, carrier="邮政", tracking_number="9000100000001")
    assert caught.value.code == "other_company"
    assert snapshot(order) == before
    assert Shipment.objects.get(order=order).state == "at_hub"


def test_ops_sending_leg_2_is_recorded_as_ops():
    order = remote_order()
    to_hub(order)
    ops = f.ops()
    fulfilment.dispatch_from_hub(ops, order.pk, carrier="邮政", tracking_number="9000100000001")
    event = Event.objects.get(kind="shipment.left_hub")
    assert (event.actor_id, event.data["as"], event.data["company"]) == (ops.pk, "ops", "EMS")


# --- hand delivery -----------------------------------------------------------------------------------------


def test_a_courier_not_assigned_to_the_delivery_cannot_deliver_it_and_nothing_changes():
    order = shipped()
    f.assigned_courier(order)
    before = snapshot(order)
    with pytest.raises(NotFound):
        fulfilment.deliver_by_hand(f.courier(), order.pk)
    assert snapshot(order) == before


def test_the_assigned_courier_closes_the_shipment_and_the_order_together():
    clock.freeze(clock.now())
    order = shipped()
    courier = f.assigned_courier(order)
    clock.advance(timedelta(hours=3))
    fulfilment.deliver_by_hand(courier, order.pk)
    order.refresh_from_db()
    shipment = order.shipment
    assert (order.state, shipment.state) == ("delivered", "delivered")
    assert order.delivered_at == shipment.delivered_at == shipment.legs.get().delivered_at == clock.now()
    assert Event.objects.get(kind="shipment.delivered_by_hand").data == {"as": "courier"}


def test_ops_may_deliver_any_parcel_and_the_event_says_it_was_ops():
    order = shipped()
    ops = f.ops()
    fulfilment.deliver_by_hand(ops, order.pk)
    event = Event.objects.get(kind="shipment.delivered_by_hand")
    assert (event.actor_id, event.data["as"]) == (ops.pk, "ops")


def test_the_merchant_assigns_a_courier_to_its_own_order_only():
    order = shipped()
    courier = f.courier()
    before = snapshot(order)
    with pytest.raises(NotFound):
        fulfilment.assign_courier(f.staff(), order.pk, courier.pk)
    assert snapshot(order) == before
    fulfilment.assign_courier(f.staff(order.merchant), order.pk, courier.pk)
    event = Event.objects.get(kind="shipment.courier_assigned")
    assert event.data == {"courier_id": courier.pk, "previous_courier_id": None, "as": "merchant_staff"}


def test_assigning_someone_who_is_not_a_courier_is_refused():
    order = shipped()
    before = snapshot(order)
    for who in (f.buyer().pk, 999_999, "1"):
        with pytest.raises(AnxinError) as caught:
            fulfilment.assign_courier(f.ops(), order.pk, who)
        assert caught.value.code == "unknown_courier"
    assert snapshot(order) == before


def test_a_delivered_parcel_gets_no_courier_and_a_courier_cannot_assign_one():
    order = shipped()
    with pytest.raises(Forbidden):
        fulfilment.assign_courier(f.courier(), order.pk, f.courier().pk)
    fulfilment.deliver_by_hand(f.ops(), order.pk)
    with pytest.raises(Conflict):
        fulfilment.assign_courier(f.ops(), order.pk, f.courier().pk)
    assert Shipment.objects.get(order=order).courier is None
