"""Return and replacement legs: opened with the carrier and number checked as when shipping, numbered after the
outbound legs, scanned like any leg (API, CSV, the desk), and their delivery told once to the handler registered
for their purpose, whether by a scan or by a person's "received", without moving the outbound order."""

from datetime import timedelta

import pytest
from django.utils import translation

from anxin.core import clock
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.models import Event
from anxin.fulfilment import queries, rules
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Leg, Scan, Shipment
from anxin.orders.models import Order
from tests import factories as f
from tests.fulfilment.helpers import remote_journey
from tests.pages_helpers import chinese_by_default  # noqa: F401 (autouse: the desk's labels in Chinese)

pytestmark = pytest.mark.django_db

OUTBOUND = "SF000700000001"
RETURN = "SF000700000002"


@pytest.fixture
def heard(monkeypatch) -> list[tuple[str, int, object, int | None]]:
    """What the handlers registered for return and replacement legs were told: (purpose, leg id, at, actor)."""
    monkeypatch.setattr(fulfilment, "_leg_delivered_handlers", {})
    calls: list[tuple[str, int, object, int | None]] = []
    for purpose in ("return", "replacement"):

        def handler(leg_id, at, actor, purpose=purpose):
            calls.append((purpose, leg_id, at, getattr(actor, "pk", None)))

        fulfilment.on_leg_delivered(purpose)(handler)
    return calls


def delivered_order() -> Order:
    """An order shipped with SF and delivered by SF's scan."""
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=OUTBOUND)
    fulfilment.record_scan(f.carrier("SF"), {"tracking_number": OUTBOUND, "kind": "delivered"})
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED
    return order


def open_return(order: Order, tracking: str = RETURN, carrier: str = "顺丰速运", purpose: str = "return") -> Leg:
    return fulfilment.open_after_sales_leg(
        order.pk, purpose=purpose, carrier=carrier, tracking_number=tracking, actor=order.buyer
    )


def outbound_state(order: Order) -> tuple:
    """The outbound side of an order, which no after-sales leg may move."""
    order = Order.objects.get(pk=order.pk)
    shipment = Shipment.objects.get(order=order)
    legs = list(shipment.legs.filter(purpose="outbound").values_list("number", "delivered_at"))
    return order.state, order.delivered_at, shipment.state, shipment.delivered_at, legs


def snapshot() -> tuple[int, int, int, int]:
    return Leg.objects.count(), Shipment.objects.count(), Scan.objects.count(), Event.objects.count()


def sf_scan(tracking: str, kind: str = "delivered", **more):
    return fulfilment.record_scan(f.carrier("SF"), {"tracking_number": tracking, "kind": kind, **more})


# --- opening a leg ----------------------------------------------------------------------------------------


def test_a_return_leg_takes_number_3_with_its_company_and_an_event_naming_its_purpose():
    order = delivered_order()
    leg = open_return(order, tracking=" sf000700000002 ")
    assert (leg.number, leg.purpose, leg.company.code, leg.carrier, leg.tracking_number) == (
        3,
        "return",
        "SF",
        "顺丰速运",
        RETURN,
    )
    assert leg.shipment.order_id == order.pk and leg.delivered_at is None
    event = Event.objects.get(kind="leg.opened")
    assert (event.subject_id, event.actor_id) == (order.pk, order.buyer_id)
    assert event.data == {
        "purpose": "return",
        "leg": 3,
        "carrier": "顺丰速运",
        "company": "SF",
        "tracking_number": RETURN,
        "as": "buyer",
    }


def test_after_sales_legs_come_after_both_outbound_legs_of_a_remote_order_and_after_each_other():
    order = remote_journey()
    first = open_return(order, tracking="SF000700000011")
    second = open_return(order, tracking="781234567801", carrier="中通", purpose="replacement")
    assert [(leg.number, leg.purpose) for leg in queries.legs_of_order(order.pk)] == [
        (1, "outbound"),
        (2, "outbound"),
        (3, "return"),
        (4, "replacement"),
    ]
    assert (first.number, second.number) == (3, 4)


@pytest.mark.parametrize(
    ("carrier", "tracking", "code", "fields"),
    [
        ("顺丰", "SF123", "invalid_shipment", {"tracking_number"}),  # too short for any number
        ("顺丰", "781234567890", "tracking_pattern", {"tracking_number"}),  # a number SF does not print
        ("天马快递", RETURN, "unknown_carrier", {"carrier"}),
        ("", "", "invalid_shipment", {"carrier", "tracking_number"}),
    ],
)
def test_a_bad_carrier_or_number_is_refused_as_shipping_refuses_it_and_nothing_is_written(
    carrier, tracking, code, fields
):
    order = delivered_order()
    unshipped = f.paid_checkout().orders.get()
    before, outbound = snapshot(), outbound_state(order)
    with pytest.raises(AnxinError) as caught:
        open_return(order, tracking=tracking, carrier=carrier)
    assert snapshot() == before and outbound_state(order) == outbound
    with pytest.raises(AnxinError) as shipping:
        fulfilment.ship(f.staff(unshipped.merchant), unshipped.pk, carrier=carrier, tracking_number=tracking)
    assert caught.value.code == shipping.value.code == code
    assert set(caught.value.fields) == set(shipping.value.fields) == fields


def test_a_number_on_a_parcel_still_on_the_way_is_a_duplicate_and_nothing_is_written():
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=OUTBOUND)
    before = snapshot()
    with pytest.raises(AnxinError) as caught:
        open_return(order, tracking=OUTBOUND.lower())
    assert caught.value.code == "duplicate_tracking" and "tracking_number" in caught.value.fields
    assert snapshot() == before


def test_a_delivered_parcels_number_may_be_reused_by_its_company_for_the_return():
    order = delivered_order()
    assert open_return(order, tracking=OUTBOUND).number == 3


def test_an_unknown_purpose_or_outbound_is_refused_before_anything_is_read():
    order = delivered_order()
    before = snapshot()
    for purpose in ("outbound", "exchange", ""):
        with pytest.raises(AnxinError) as caught:
            open_return(order, purpose=purpose)
        assert caught.value.code == "invalid_leg_purpose" and "purpose" in caught.value.fields
    assert snapshot() == before


def test_an_order_not_yet_shipped_has_nothing_to_return_and_an_unknown_order_is_not_found():
    order = f.paid_checkout().orders.get()
    before = snapshot()
    with pytest.raises(Conflict) as caught:
        open_return(order)
    assert caught.value.code == "not_shipped"
    with pytest.raises(NotFound):
        fulfilment.open_after_sales_leg(
            10**9, purpose="return", carrier="顺丰", tracking_number=RETURN, actor=order.buyer
        )
    assert snapshot() == before


def test_an_order_delivered_without_a_shipment_gets_a_delivered_one_that_agrees_with_the_order():
    order = f.paid_checkout().orders.get()
    delivered_at = clock.now() - timedelta(days=2)
    Order.objects.filter(pk=order.pk).update(state=Order.State.DELIVERED, delivered_at=delivered_at)
    leg = open_return(order)
    shipment = Shipment.objects.get(order=order)
    assert (shipment.state, shipment.delivered_at) == ("delivered", delivered_at)
    assert (leg.shipment_id, leg.number) == (shipment.pk, 3)
    assert Order.objects.get(pk=order.pk).state == Order.State.DELIVERED


# --- the delivery of a return or replacement leg ---------------------------------------------------------


def test_a_delivered_scan_through_the_api_tells_the_return_handler_once_and_leaves_the_order_alone(heard):
    order = delivered_order()
    leg = open_return(order)
    outbound = outbound_state(order)
    sf = f.api_client(f.carrier("SF"))
    clock.advance(timedelta(hours=5))
    picked = f.post_json(sf, "/api/logistics/scans", {"tracking_number": RETURN, "kind": "picked_up"})
    assert picked.status_code == 201 and picked.json()["effect"] == "" and heard == []
    clock.advance(timedelta(days=1))
    r = f.post_json(sf, "/api/logistics/scans", {"tracking_number": RETURN, "kind": "delivered"})
    assert r.status_code == 201, r.content
    assert r.json()["effect"] == "return_delivered" and r.json()["flag"] == ""
    leg.refresh_from_db()
    scan = Scan.objects.get(pk=r.json()["id"])
    assert leg.delivered_at == scan.at
    assert heard == [("return", leg.pk, scan.at, scan.posted_by_id)]
    assert outbound_state(order) == outbound
    event = Event.objects.get(kind="leg.delivered")
    assert event.data["purpose"] == "return" and event.data["by"] == "scan" and event.subject_id == order.pk
    assert Event.objects.filter(kind="order.delivered").count() == 1  # the outbound delivery, before


def test_a_delivered_scan_in_a_csv_import_tells_the_replacement_handler_once(heard):
    order = delivered_order()
    leg = open_return(order, tracking="781234567802", carrier="中通", purpose="replacement")
    zto = f.carrier("ZTO")
    csv = (
        "carrier,tracking_number,kind,at,location\n"
        "中通,781234567802,in_transit,,杭州\n"
        "中通,781234567802,delivered,,乌鲁木齐\n"
    )
    summary = fulfilment.import_scans_csv(zto, csv)
    assert (summary.recorded, summary.applied, summary.flagged, summary.errors) == (2, 1, 0, [])
    assert heard == [("replacement", leg.pk, Leg.objects.get(pk=leg.pk).delivered_at, zto.pk)]


def test_a_second_delivered_scan_is_flagged_after_delivery_and_tells_nobody_again(heard):
    order = delivered_order()
    leg = open_return(order)
    first = sf_scan(RETURN)
    clock.advance(timedelta(hours=1))
    second = sf_scan(RETURN)
    assert (first.effect, first.scan.flag) == ("return_delivered", "")
    assert (second.effect, second.scan.flag, second.scan.leg_id) == ("", "after_delivery", leg.pk)
    assert len(heard) == 1 and Event.objects.filter(kind="leg.delivered").count() == 1


def test_an_out_of_order_scan_on_a_return_leg_is_flagged_and_changes_nothing(heard):
    order = delivered_order()
    leg = open_return(order)
    sf_scan(RETURN, "out_for_delivery")
    late = sf_scan(RETURN, "picked_up")
    assert (late.scan.flag, late.effect) == ("out_of_order", "")
    assert Leg.objects.get(pk=leg.pk).delivered_at is None and heard == []


def test_an_arrived_hub_scan_on_a_return_leg_of_a_remote_order_does_not_touch_the_hub_or_the_order(heard):
    order = remote_journey()
    outbound = outbound_state(order)
    leg = open_return(order, tracking="SF000700000021")
    outcome = sf_scan("SF000700000021", "arrived_hub")
    assert outcome.effect == "" and outcome.scan.leg_id == leg.pk
    delivered = sf_scan("SF000700000021")
    assert delivered.effect == "return_delivered"
    assert outbound_state(order) == outbound
    assert Shipment.objects.get(order=order).state == "delivered"


def test_another_companys_carrier_gets_404_on_a_return_leg_and_nothing_is_written(heard):
    order = delivered_order()
    leg = open_return(order)
    before = snapshot()
    zto = f.api_client(f.carrier("ZTO"))
    r = f.post_json(zto, "/api/logistics/scans", {"tracking_number": RETURN, "kind": "delivered"})
    assert r.status_code == 404
    with pytest.raises(NotFound):
        fulfilment.record_scan(f.carrier("ZTO"), {"tracking_number": RETURN, "kind": "delivered"})
    assert snapshot()[:3] == before[:3] and Leg.objects.get(pk=leg.pk).delivered_at is None and heard == []


def test_with_no_handler_registered_the_scan_just_closes_the_leg(monkeypatch):
    monkeypatch.setattr(fulfilment, "_leg_delivered_handlers", {})
    order = delivered_order()
    leg = open_return(order)
    assert sf_scan(RETURN).effect == "return_delivered"
    assert Leg.objects.get(pk=leg.pk).delivered_at is not None


def test_a_handler_that_fails_undoes_the_scan_with_it(monkeypatch):
    """The handler runs inside the scan's transaction: after-sales and fulfilment never disagree."""
    monkeypatch.setattr(fulfilment, "_leg_delivered_handlers", {})

    @fulfilment.on_leg_delivered("return")
    def refuse(leg_id, at, actor):
        raise RuntimeError("the case could not be moved")

    order = delivered_order()
    leg = open_return(order)
    before = snapshot()
    with pytest.raises(RuntimeError):
        sf_scan(RETURN)
    assert snapshot() == before and Leg.objects.get(pk=leg.pk).delivered_at is None


def test_marking_a_return_received_by_hand_is_idempotent_and_a_later_scan_is_after_delivery(heard):
    order = delivered_order()
    leg = open_return(order)
    merchant = f.staff(order.merchant)
    at = clock.now()
    marked = fulfilment.mark_leg_delivered(leg.pk, at=at, actor=merchant)
    again = fulfilment.mark_leg_delivered(leg.pk, at=at + timedelta(hours=2), actor=merchant)
    assert marked.delivered_at == again.delivered_at == at
    assert heard == [("return", leg.pk, at, merchant.pk)]
    event = Event.objects.get(kind="leg.delivered")
    assert (event.data["by"], event.data["as"], event.actor_id) == ("hand", "merchant_staff", merchant.pk)
    late = sf_scan(RETURN)
    assert (late.scan.flag, late.effect) == ("after_delivery", "")
    assert len(heard) == 1


def test_marking_after_the_scan_delivered_it_does_nothing(heard):
    order = delivered_order()
    leg = open_return(order)
    sf_scan(RETURN)
    delivered_at = Leg.objects.get(pk=leg.pk).delivered_at
    fulfilment.mark_leg_delivered(leg.pk, at=clock.now() + timedelta(days=1), actor=f.staff(order.merchant))
    assert Leg.objects.get(pk=leg.pk).delivered_at == delivered_at and len(heard) == 1


def test_an_outbound_leg_cannot_be_marked_by_hand_and_an_unknown_leg_is_not_found(heard):
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=OUTBOUND)
    leg = Leg.objects.get(shipment__order=order)
    with pytest.raises(Conflict) as caught:
        fulfilment.mark_leg_delivered(leg.pk, at=clock.now(), actor=f.ops())
    assert caught.value.code == "outbound_leg"
    with pytest.raises(NotFound):
        fulfilment.mark_leg_delivered(10**9, at=clock.now(), actor=f.ops())
    assert Leg.objects.get(pk=leg.pk).delivered_at is None and heard == []
    assert Order.objects.get(pk=order.pk).state == Order.State.SHIPPED


def test_a_courier_handing_the_parcel_over_leaves_an_open_replacement_leg_open(heard):
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=OUTBOUND)
    replacement = open_return(order, purpose="replacement")
    courier = f.assigned_courier(order)
    fulfilment.deliver_by_hand(courier, order.pk)
    assert Leg.objects.get(pk=replacement.pk).delivered_at is None
    assert Leg.objects.get(shipment__order=order, number=1).delivered_at is not None
    assert heard == []


def test_one_handler_per_purpose_and_only_after_sales_purposes(monkeypatch):
    monkeypatch.setattr(fulfilment, "_leg_delivered_handlers", {})

    def first(leg_id, at, actor):
        return None

    def second(leg_id, at, actor):
        return None

    assert fulfilment.on_leg_delivered("return")(first) is first
    assert fulfilment.on_leg_delivered("return")(first) is first  # the same one again is harmless
    with pytest.raises(ValueError):
        fulfilment.on_leg_delivered("return")(second)
    with pytest.raises(ValueError):
        fulfilment.on_leg_delivered("outbound")
    assert fulfilment._leg_delivered_handlers == {"return": first}


# --- what the pages and the tracking views show -----------------------------------------------------------


def test_the_buyers_tracking_lists_only_the_outbound_leg_and_legs_of_order_lists_all():
    order = delivered_order()
    open_return(order)
    tracking = f.api_client(order.buyer).get(f"/api/orders/{order.pk}/tracking").json()
    assert [leg["tracking_number"] for leg in tracking["legs"]] == [OUTBOUND]
    assert [(leg.number, leg.purpose, leg.tracking_number) for leg in queries.legs_of_order(order.pk)] == [
        (1, "outbound", OUTBOUND),
        (3, "return", RETURN),
    ]


def test_the_order_page_tracking_shows_the_outbound_leg_only(client):
    order = delivered_order()
    open_return(order)
    client.force_login(order.buyer)
    page = client.get(f"/orders/{order.pk}/").text
    assert OUTBOUND in page and RETURN not in page and 'id="leg-3"' not in page


def test_the_scan_desk_names_return_and_replacement_legs_in_its_list_and_its_message(client):
    order = delivered_order()
    open_return(order)
    open_return(order, tracking="SF000700000003", purpose="replacement")
    client.force_login(f.carrier("SF"))
    sf_scan("SF000700000003", "in_transit")
    r = client.post("/logistics/scans/one/", {"tracking_number": RETURN, "kind": "delivered"}, follow=True)
    assert r.redirect_chain == [("/logistics/scans/", 302)]
    page = r.text
    assert f"{RETURN}（退货寄回）已签收" in page
    assert 'class="badge leg-purpose leg-return">退货寄回<' in page
    assert 'class="badge leg-purpose leg-replacement">换货补寄<' in page


def test_the_purposes_have_english_names():
    with translation.override("en"):
        labels = [str(label) for label in Leg.Purpose.labels]
    assert labels == ["Outbound", "Return", "Replacement"]


def test_the_rules_know_the_same_after_sales_purposes_as_the_model():
    assert set(rules.AFTER_SALES_PURPOSES) == set(Leg.Purpose.values) - {Leg.Purpose.OUTBOUND}
    assert rules.next_after_sales_leg_number([1]) == rules.next_after_sales_leg_number([1, 2]) == 3
    assert rules.next_after_sales_leg_number([1, 2, 3, 4]) == 5
