"""The performance measures of MDRPInstances.pdf section 1.1, plus how well the promises held.

Computed from the solution as written, so the figures describe what the evaluator would see.
"""

from dataclasses import asdict, dataclass

import numpy as np

from anxin.instant.dispatch.model import Instance
from anxin.instant.dispatch.solution import ON_LOCATION, Solution


@dataclass(frozen=True)
class Metrics:
    orders: int
    delivered: int
    undelivered_pct: float
    click_to_door_mean: float
    click_to_door_p90: float
    over_target_pct: float
    ready_to_pickup_mean: float
    ready_to_door_mean: float
    utilisation: float
    pay_per_order: float
    orders_per_bundle: float
    promises_kept: float
    promise_mae: float

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


def measure(instance: Instance, solution: Solution) -> Metrics:
    p = instance.parameters
    rows = solution.orders
    delivered = len(rows)
    click_to_door = np.array([r.dropoff - r.placed for r in rows], dtype=float)
    promised = {promise.order: promise.minutes for promise in solution.promises}
    kept = sum(1 for r in rows if r.order in promised and r.dropoff - r.placed <= promised[r.order])
    errors = [abs(r.dropoff - r.placed - promised[r.order]) for r in rows if r.order in promised]
    return Metrics(
        orders=len(instance.orders),
        delivered=delivered,
        undelivered_pct=100.0 * (len(instance.orders) - delivered) / max(1, len(instance.orders)),
        click_to_door_mean=_mean(click_to_door),
        click_to_door_p90=float(np.percentile(click_to_door, 90)) if delivered else 0.0,
        over_target_pct=100.0 * float(np.mean(click_to_door > p.target_click_to_door)) if delivered else 0.0,
        ready_to_pickup_mean=_mean(np.array([r.pickup - r.ready for r in rows], dtype=float)),
        ready_to_door_mean=_mean(np.array([r.dropoff - r.ready for r in rows], dtype=float)),
        utilisation=_utilisation(instance, solution),
        pay_per_order=_pay(instance, solution) / max(1, delivered),
        orders_per_bundle=delivered / max(1, len(solution.assignments)),
        promises_kept=kept / max(1, len(instance.orders)),
        promise_mae=_mean(np.array(errors, dtype=float)),
    )


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else 0.0


def _utilisation(instance: Instance, solution: Solution) -> float:
    """Driving and service minutes over duty minutes, all couriers (waiting is the rest)."""
    p = instance.parameters
    places = {r.id: r.at for r in instance.restaurants.values()} | {o.id: o.at for o in instance.orders.values()}
    driving = sum(
        p.travel(
            instance.couriers[m.courier].at if m.origin == ON_LOCATION else places[m.origin], places[m.destination]
        )
        for m in solution.moves
    )
    service = p.pickup_service * len(solution.assignments) + p.dropoff_service * len(solution.orders)
    duty = sum(c.off - c.on for c in instance.couriers.values())
    return (driving + service) / max(1, duty)


def _pay(instance: Instance, solution: Solution) -> float:
    """Each courier earns the larger of pay per order delivered and the hourly guarantee over its duty."""
    p = instance.parameters
    delivered: dict[str, int] = {}
    for row in solution.orders:
        delivered[row.courier] = delivered.get(row.courier, 0) + 1
    return sum(
        max(p.pay_per_order * delivered.get(c.id, 0), p.pay_per_hour * (c.off - c.on) / 60)
        for c in instance.couriers.values()
    )
