"""Shared steps for the shipping pages' tests: a 包邮 template, remote orders and their journey through the hub."""

from datetime import timedelta

from anxin.core import clock
from anxin.fulfilment import rules
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Leg
from anxin.shipping import services as shipping
from tests import factories as f

BAOYOU = {
    "name": "全国包邮",
    "mode": "weight",
    "first_units": 1000,
    "first_fen": 800,
    "step_units": 1000,
    "step_fen": 300,
    "free": [{"provinces": [], "kind": "always", "threshold": 0}],
}
URUMQI = ("650000", "650100", "650102")


def carrier_user(company: str = "EMS"):
    """The carrier account of `company` (a code; EMS, the post, carries the hub's leg 2), one per test."""
    from anxin.accounts.models import User

    username = f"carrier-desk-{company.lower()}"
    return User.objects.filter(username=username).first() or f.carrier(company, username=username)


def scanner_for(tracking: str):
    """Who posts a scan for `tracking`: the carrier account of the company carrying it; ops for a number no
    leg has, since only ops may record a scan that names no parcel."""
    leg = Leg.objects.filter(tracking_number=rules.normalise_tracking(tracking)).select_related("company").last()
    if leg is None:
        from anxin.accounts.models import User

        return User.objects.filter(username="ops-desk").first() or f.ops(username="ops-desk")
    return carrier_user(leg.company.code)


def baoyou_product(shop=None, **fields):
    """A product of `shop` (in Zhejiang) on a 全国包邮 template, 1.8 kg a unit."""
    shop = shop or f.merchant(province_code="330000")
    template = shipping.save_template(f.staff(shop), BAOYOU)
    item = f.product(shop, price_fen=5900, shipping_template=template, **fields)
    item.skus.update(weight_g=1800)
    return item


def remote_order(buyer=None, *, item=None):
    """A paid order to Urumqi (it goes through the Xi'an hub)."""
    buyer = buyer or f.buyer()
    if not buyer.addresses.exists():
        f.address(buyer, *URUMQI)
    item = item or baoyou_product()
    return f.paid_checkout(buyer, lines=[(item.skus.first(), 1)]).orders.get()


def scan(tracking: str, kind: str, *, who=None, at=None, carrier: str = ""):
    data = {"tracking_number": tracking, "kind": kind, "at": at or clock.now(), "carrier": carrier}
    return fulfilment.record_scan(who or scanner_for(tracking), data)


def to_hub(order, tracking: str = ""):
    """Ship a remote order (leg 1) and bring it to the hub; returns leg 1's tracking number."""
    tracking = tracking or f"75{f.n():012d}"
    staff = order.merchant.staff.first() or f.staff(order.merchant)
    fulfilment.ship(staff, order.pk, carrier="中通", tracking_number=tracking)
    clock.advance(timedelta(hours=6))
    scan(tracking, "picked_up")
    clock.advance(timedelta(days=2))
    scan(tracking, "arrived_hub", carrier="中通")
    return tracking


def deliver_from_hub(order, tracking: str = ""):
    """Leg 2 from the hub to the buyer, delivered in time; returns leg 2's tracking number."""
    tracking = tracking or f"98{f.n():011d}"
    fulfilment.dispatch_from_hub(carrier_user(), order.pk, carrier="邮政", tracking_number=tracking)
    clock.advance(timedelta(days=1))
    scan(tracking, "left_hub")
    clock.advance(timedelta(days=1))
    scan(tracking, "out_for_delivery")
    clock.advance(timedelta(hours=3))
    scan(tracking, "delivered")
    order.refresh_from_db()
    return tracking


def remote_journey(buyer=None, *, item=None):
    """A remote order from payment to delivery through the hub, on time."""
    order = remote_order(buyer, item=item)
    to_hub(order)
    deliver_from_hub(order)
    return order
