"""The remote-region program that ops set, and the product page's delivery offer."""

from datetime import UTC, datetime, timedelta

import pytest

from anxin.core import clock, config, deadlines
from anxin.core.errors import AnxinError
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Scan
from anxin.geo.models import Region
from anxin.shipping import queries, services
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_ops_set_the_remote_provinces_their_hubs_and_the_leg_two_rate():
    services.update_remote_program(
        f.ops(), remote={"650000": "610100", "540000": "510100"}, leg2_first_kg_fen=700, leg2_next_kg_fen=250
    )
    assert set(Region.objects.filter(is_remote=True).values_list("code", flat=True)) == {"650000", "540000"}
    assert Region.objects.get(code="540000").hub_code == "510100"
    assert config.get("shipping.leg2_first_kg_fen") == 700
    program = queries.remote_program()
    assert program.hub_of("54") == "51" and program.hub_of("63") is None


def test_a_hub_that_is_not_a_city_is_refused_and_nothing_changes():
    with pytest.raises(AnxinError) as caught:
        services.update_remote_program(
            f.ops(), remote={"650000": "999999"}, leg2_first_kg_fen=600, leg2_next_kg_fen=200
        )
    assert "remote.650000" in caught.value.fields
    assert Region.objects.filter(is_remote=True).count() == 6


def test_only_ops_may_change_the_program():
    with pytest.raises(AnxinError):
        services.update_remote_program(f.staff(), remote={}, leg2_first_kg_fen=600, leg2_next_kg_fen=200)


def test_the_offer_tells_the_fee_the_hub_and_the_promise():
    shop = f.merchant(province_code="330000")
    item = f.product(shop, price_fen=2000, handling_hours=24)
    sku = item.skus.first()
    at = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    near = queries.offer(item, sku, "310000", at)
    assert (near.fee_fen, near.via_hub, near.refusal) == (600, False, "")
    assert near.promise.latest.isoformat() == "2026-11-26"  # 1 day handling + 1 day Hangzhou -> Shanghai
    far = queries.offer(item, sku, "650000", at)
    assert far.via_hub and far.promise.latest > near.promise.latest


def test_the_offer_says_why_a_product_cannot_go_to_a_remote_region():
    item = f.product(title="冰鲜三文鱼", remote_deliverable=False)
    assert "偏远" in queries.offer(item, item.skus.first(), "650000", datetime(2026, 11, 24, tzinfo=UTC)).refusal


def _remote_paid_order():
    buyer = f.buyer()
    f.address(buyer, "650000", "650100", "650102")
    return f.paid_checkout(buyer).orders.get()


def test_the_hub_sends_leg_two_only_after_the_parcel_arrived():
    order = _remote_paid_order()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="中通", tracking_number="750800000001")
    post = f.carrier("EMS")
    with pytest.raises(AnxinError) as caught:
        fulfilment.dispatch_from_hub(post, order.pk, carrier="邮政", tracking_number="9000800000001")
    assert caught.value.code == "not_at_hub"
    fulfilment.record_scan(f.carrier("ZTO"), {"tracking_number": "750800000001", "kind": "arrived_hub"})
    shipment = fulfilment.dispatch_from_hub(post, order.pk, carrier="邮政", tracking_number="9000800000001")
    assert shipment.state == "from_hub"


def test_a_delivery_scan_after_the_order_completed_on_its_own_is_kept():
    clock.freeze(clock.now())
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number="SF000800000002")
    clock.advance(timedelta(days=16))
    deadlines.run_due()
    outcome = fulfilment.record_scan(f.carrier("SF"), {"tracking_number": "SF000800000002", "kind": "delivered"})
    assert outcome.effect == "delivered_late_scan"
    order.refresh_from_db()
    assert order.state == "completed"
    assert Scan.objects.filter(tracking_number="SF000800000002").count() == 1


def test_a_remote_shops_parcel_to_its_own_province_skips_the_hub():
    shop = f.merchant(province_code="650000")
    buyer = f.buyer()
    f.address(buyer, "650000", "650100", "650102")
    order = f.paid_checkout(buyer, lines=[(f.product(shop).skus.first(), 1)]).orders.get()
    assert order.hub_code == ""


def test_a_scan_finds_its_leg_whatever_the_carrier_calls_itself():
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="中通", tracking_number="750900000001")
    outcome = fulfilment.record_scan(
        f.carrier("ZTO"), {"tracking_number": "750900000001", "carrier": "中通快递", "kind": "delivered"}
    )
    assert (outcome.scan.flag, outcome.effect) == ("", "delivered")
