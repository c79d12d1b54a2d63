"""The policy on hand-made snapshots: what it may and may not send."""

from dataclasses import replace

from anxin.instant.dispatch.model import Order, Point
from anxin.instant.dispatch.policy import PolicySettings, decide, form_bundles, target_size
from anxin.instant.dispatch.snapshot import Assignment, CourierState, Snapshot
from tests.instant.days import PARAMETERS, small_day

DAY = small_day()


def courier(id: str, x: float, y: float, *, free_at: int = 0, off: int = 120, place: str = "0") -> CourierState:
    return CourierState(id, Point(x, y), place, free_at, off)


def snapshot(now: int, orders: list[Order], couriers: list[CourierState]) -> Snapshot:
    return Snapshot(now, PARAMETERS, DAY.restaurants, tuple(orders), tuple(couriers))


def order(id: str, restaurant: str, ready: int, *, placed: int = 0, y: float = 500) -> Order:
    x = DAY.restaurants[restaurant].at.x
    return Order(id, Point(x, y), placed, restaurant, ready)


def assigned(decisions) -> dict[str, tuple[str, ...]]:
    return {d.courier: d.orders for d in decisions if isinstance(d, Assignment)}


def test_a_ready_order_goes_to_the_nearest_free_courier():
    decisions = decide(snapshot(10, [order("o1", "r1", 10)], [courier("far", 1500, 0), courier("near", 100, 0)]))
    assert assigned(decisions) == {"near": ("o1",)}


def test_bundles_hold_only_orders_of_one_restaurant():
    orders = [order(f"a{i}", "r1", 10, y=100 * i) for i in range(3)] + [order(f"b{i}", "r2", 10) for i in range(3)]
    for bundle in form_bundles(snapshot(10, orders, [courier("c1", 0, 0)]), 3, 10):
        assert len({o.restaurant for o in bundle.orders}) == 1
    restaurant_of = {o.id: o.restaurant for o in orders}
    decisions = decide(snapshot(10, orders, [courier("c1", 0, 0), courier("c2", 2000, 0)]))
    assert len(assigned(decisions)) == 2
    for orders_of_courier in assigned(decisions).values():
        assert len({restaurant_of[o] for o in orders_of_courier}) == 1


def test_more_orders_than_couriers_are_bundled_up_to_three():
    assert target_size(10, 2) == 3
    assert target_size(3, 3) == 1
    orders = [order(f"a{i}", "r1", 10, y=100 + 100 * i) for i in range(5)]
    decisions = decide(snapshot(10, orders, [courier("c1", 0, 0)]))
    assert [len(bundle) for bundle in assigned(decisions).values()] == [3]


def test_only_orders_in_the_snapshot_are_assigned():
    shown = [order("o1", "r1", 10)]
    decisions = decide(snapshot(10, shown, [courier("c1", 0, 0), courier("c2", 100, 0)]))
    assert {o for orders in assigned(decisions).values() for o in orders} == {"o1"}


def test_a_courier_whose_pickup_would_fall_after_its_off_time_gets_nothing():
    decisions = decide(
        snapshot(10, [order("o1", "r1", 10)], [courier("leaving", 0, 0, off=11), courier("late", 1500, 0)])
    )
    assert assigned(decisions) == {"late": ("o1",)}


def test_a_courier_en_route_is_not_diverted():
    busy = replace(courier("busy", 0, 0, free_at=15), route=("o9",))
    decisions = decide(snapshot(10, [order("o1", "r1", 10)], [busy, courier("free", 1500, 0)]))
    assert "busy" not in assigned(decisions)


def test_an_order_ready_later_is_held_until_the_courier_must_leave():
    couriers = [courier("c1", 500, 0)]  # 5 minutes away, plus 2 to hand over
    assert decide(snapshot(10, [order("o1", "r1", 30)], couriers)) == []
    assert assigned(decide(snapshot(23, [order("o1", "r1", 30)], couriers))) == {"c1": ("o1",)}


def test_the_same_snapshot_always_gets_the_same_decisions():
    orders = [order(f"a{i}", "r1", 10, y=100 * (i + 1)) for i in range(4)] + [order("b1", "r2", 10)]
    couriers = [courier(f"c{i}", 1000, 0) for i in range(4)]  # equally far: ties everywhere
    first = decide(snapshot(10, orders, couriers))
    assert first == decide(snapshot(10, list(reversed(orders)), list(reversed(couriers))))
    assert first


def test_with_rounds_five_minutes_apart_the_courier_is_sent_five_minutes_earlier():
    couriers = [courier("c1", 500, 0)]  # 5 minutes away, plus 2 to hand over: leave at 23 for a ready time of 30
    orders = [order("o1", "r1", 30)]
    assert decide(snapshot(19, orders, couriers)) == []
    assert assigned(decide(snapshot(19, orders, couriers), PolicySettings(every=5))) == {"c1": ("o1",)}
