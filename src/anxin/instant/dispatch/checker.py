"""Our own evaluator of a solution: the eight feasibility conditions of MDRPInstances.pdf, section 2.1.

A replay whose solution breaks any condition has failed; the checker names the condition, the courier and the
orders involved, so a failure is investigated rather than averaged away.
"""

from collections import defaultdict
from dataclasses import dataclass

from anxin.instant.dispatch.model import Instance, Point
from anxin.instant.dispatch.solution import ON_LOCATION, AssignmentRecord, Move, OrderRecord, Solution

CONDITIONS = {
    1: "each order is assigned at most once",
    2: "no assignment before its orders are placed",
    3: "every pick-up within the courier's duty period",
    4: "a bundle is picked up at or after its latest ready time",
    5: "orders are delivered in the sequence the assignment prescribes",
    6: "courier moves are continuous and their times consistent",
    7: "at a pick-up the courier is at the orders' restaurant",
    8: "at a drop-off the courier is at the order's diner",
}


@dataclass(frozen=True)
class Violation:
    condition: int
    courier: str
    orders: tuple[str, ...]
    detail: str

    def __str__(self) -> str:
        orders = ",".join(self.orders) or "-"
        what = CONDITIONS[self.condition]
        return f"condition {self.condition} ({what}): courier {self.courier}, orders {orders}: {self.detail}"


@dataclass(frozen=True)
class Stay:
    """A courier at a place from `arrival` until it leaves at `departure` (None: it stays to the end)."""

    place: str
    arrival: int
    departure: int | None


def check_solution(instance: Instance, solution: Solution) -> list[Violation]:
    violations: list[Violation] = []
    stays = _stays(instance, solution.moves, violations)
    rows = {row.order: row for row in solution.orders}
    seen: set[str] = set()
    for assignment in solution.assignments:
        _check_assignment(instance, assignment, rows, stays, seen, violations)
    for row in solution.orders:
        _check_dropoff(instance, row, stays, violations)
    _check_rows_have_assignments(solution, violations)
    return violations


def _check_assignment(
    instance: Instance,
    a: AssignmentRecord,
    rows: dict[str, OrderRecord],
    stays: dict[str, list[Stay]],
    seen: set[str],
    violations: list[Violation],
) -> None:
    def fail(condition: int, detail: str, orders: tuple[str, ...] = a.orders) -> None:
        violations.append(Violation(condition, a.courier, orders, detail))

    unknown = [o for o in a.orders if o not in instance.orders]
    if unknown or a.courier not in instance.couriers:
        fail(1, "unknown courier or order in an assignment", tuple(unknown))
        return
    for order_id in a.orders:
        if order_id in seen:
            fail(1, "assigned more than once", (order_id,))
        seen.add(order_id)
        if a.time < instance.orders[order_id].placed:
            fail(2, f"assigned at {a.time}, placed at {instance.orders[order_id].placed}", (order_id,))
    if a.pickup > instance.couriers[a.courier].off:
        fail(3, f"picked up at {a.pickup}, off duty at {instance.couriers[a.courier].off}")
    latest_ready = max(instance.orders[o].ready for o in a.orders)
    if a.pickup < latest_ready:
        fail(4, f"picked up at {a.pickup}, ready at {latest_ready}")
    violations.extend(_sequence_violations(instance, a, rows))
    restaurants = {instance.orders[o].restaurant for o in a.orders}
    half = instance.parameters.half_pickup
    if len(restaurants) != 1 or not _present(stays.get(a.courier, []), restaurants.pop(), a.pickup, half):
        fail(7, f"not at the restaurant for {half} minutes either side of the pick-up at {a.pickup}")


def _sequence_violations(instance: Instance, a: AssignmentRecord, rows: dict[str, OrderRecord]) -> list[Violation]:
    found: list[Violation] = []
    previous = None
    for order_id in a.orders:
        row = rows.get(order_id)
        if row is None or row.courier != a.courier or row.pickup != a.pickup:
            return [*found, Violation(5, a.courier, (order_id,), "no delivery row with this courier and pick-up time")]
        earliest = a.pickup if previous is None else previous + instance.parameters.dropoff_service
        if row.dropoff < earliest:
            detail = f"dropped off at {row.dropoff}, before the previous hand-over is done ({earliest})"
            found.append(Violation(5, a.courier, (order_id,), detail))
        previous = row.dropoff
    return found


def _check_dropoff(
    instance: Instance, row: OrderRecord, stays: dict[str, list[Stay]], violations: list[Violation]
) -> None:
    half = instance.parameters.half_dropoff
    if not _present(stays.get(row.courier, []), row.order, row.dropoff, half):
        violations.append(
            Violation(8, row.courier, (row.order,), f"not at the diner for {half} minutes either side of {row.dropoff}")
        )


def _check_rows_have_assignments(solution: Solution, violations: list[Violation]) -> None:
    assigned = {o for a in solution.assignments for o in a.orders}
    for row in solution.orders:
        if row.order not in assigned:
            violations.append(Violation(5, row.courier, (row.order,), "delivered without an assignment"))


def _present(stays: list[Stay], place: str, minute: int, half: int) -> bool:
    """Whether a stay at `place` began `half` minutes before `minute` and lasts `half` minutes after it."""
    return any(
        s.place == place and s.arrival + half <= minute and (s.departure is None or minute + half <= s.departure)
        for s in stays
    )


def _stays(instance: Instance, moves: list[Move], violations: list[Violation]) -> dict[str, list[Stay]]:
    """Each courier's stays, replaying its moves and recording every discontinuity as condition 6."""
    by_courier: dict[str, list[Move]] = defaultdict(list)
    finished: set[str] = set()
    last_courier = None
    for move in moves:
        if move.courier != last_courier:
            if move.courier in finished:
                violations.append(Violation(6, move.courier, (), "its moves are not one contiguous block"))
            if last_courier is not None:
                finished.add(last_courier)
            last_courier = move.courier
        by_courier[move.courier].append(move)
    return {courier: _courier_stays(instance, courier, ms, violations) for courier, ms in by_courier.items()}


def _courier_stays(instance: Instance, courier_id: str, moves: list[Move], violations: list[Violation]) -> list[Stay]:
    def fail(detail: str, move: Move) -> None:
        violations.append(Violation(6, courier_id, _order_ids(instance, move), detail))

    courier = instance.couriers.get(courier_id)
    if courier is None:
        fail("unknown courier", moves[0])
        return []
    stays: list[Stay] = []
    place, arrival = ON_LOCATION, courier.on
    for move in moves:
        if move.origin != place:
            fail(f"leaves {move.origin} but is at {place}", move)
        if move.departure < arrival:
            fail(f"leaves {place} at {move.departure}, before arriving there at {arrival}", move)
        origin_at = courier.at if place == ON_LOCATION else _where(instance, place)
        destination_at = _where(instance, move.destination) if move.destination != ON_LOCATION else None
        if destination_at is None or origin_at is None:
            fail(f"moves to an unknown place {move.destination}", move)
            return stays
        stays.append(Stay(place, arrival, move.departure))
        place, arrival = move.destination, move.departure + instance.parameters.travel(origin_at, destination_at)
    stays.append(Stay(place, arrival, None))
    return stays


def _where(instance: Instance, place: str) -> Point | None:
    if place in instance.restaurants:
        return instance.restaurants[place].at
    if place in instance.orders:
        return instance.orders[place].at
    return None


def _order_ids(instance: Instance, move: Move) -> tuple[str, ...]:
    return tuple(p for p in (move.origin, move.destination) if p in instance.orders)
