"""`anxin audit` catches an order and its shipment telling different stories."""

import pytest
from django.core.management import call_command

from anxin.core import audit
from anxin.fulfilment import services as fulfilment
from anxin.fulfilment.models import Shipment
from anxin.orders.models import Order
from tests import factories as f

pytestmark = pytest.mark.django_db

CHECK = "fulfilment: every order's state agrees with its shipment's"


def shipped():
    order = f.paid_checkout().orders.get()
    fulfilment.ship(f.staff(order.merchant), order.pk, carrier="顺丰", tracking_number=f"SF{f.n():012d}")
    return order


def test_orders_and_shipments_that_agree_pass():
    shipped()
    fulfilment.deliver_by_hand(f.ops(), shipped().pk)
    f.paid_checkout()
    assert audit.run_all()[CHECK] == []


def test_a_delivered_order_whose_parcel_is_still_on_the_way_is_a_breach():
    order = shipped()
    Order.objects.filter(pk=order.pk).update(state=Order.State.DELIVERED)
    assert audit.run_all()[CHECK] == [f"order {order.number}: delivered but its shipment is in_transit"]
    with pytest.raises(SystemExit):
        call_command("audit")


def test_a_shipped_order_without_a_shipment_is_a_breach():
    order = f.paid_checkout().orders.get()
    Order.objects.filter(pk=order.pk).update(state=Order.State.SHIPPED)
    assert audit.run_all()[CHECK] == [f"order {order.number}: shipped but its shipment is missing"]


def test_a_delivered_parcel_of_an_order_still_shipped_is_a_breach():
    order = shipped()
    Shipment.objects.filter(order=order).update(state=Shipment.State.DELIVERED)
    assert audit.run_all()[CHECK] == [f"order {order.number}: shipped but its shipment is delivered"]
