"""When a courier given a bundle now picks it up and drops off each order, by the MDRP operating rules.

Pick-up is at the bundle's latest ready time, or at the courier's arrival plus half the pick-up service if
later, and it leaves half a service after; each drop-off is the arrival plus half the drop-off service. The
replay writes these times and the policy costs with them, so what is planned is what is driven.
"""

from dataclasses import dataclass

from anxin.instant.dispatch.model import Order, Parameters, Point
from anxin.instant.dispatch.solution import Move


@dataclass(frozen=True)
class Plan:
    pickup: int
    dropoffs: tuple[int, ...]
    moves: tuple[Move, ...]
    free_at: int  # the last drop-off's hand-over done: the courier may take a new instruction


def dropoff_offsets(parameters: Parameters, restaurant: Point, bundle: tuple[Order, ...]) -> tuple[int, ...]:
    """Minutes from the pick-up to each drop-off, which do not depend on the courier who carries the bundle."""
    offsets = []
    elapsed, here = parameters.half_pickup, restaurant
    for order in bundle:
        elapsed += parameters.travel(here, order.at) + parameters.half_dropoff
        offsets.append(elapsed)
        elapsed += parameters.half_dropoff
        here = order.at
    return tuple(offsets)


def plan(
    parameters: Parameters,
    courier: str,
    place: str,
    at: Point,
    start: int,
    restaurant: str,
    restaurant_at: Point,
    bundle: tuple[Order, ...],
) -> Plan:
    """The timed route of a courier leaving `place` at `start` to carry `bundle` (already in drop-off order)."""
    moves = []
    if place == restaurant:
        arrival = start
    else:
        moves.append(Move(courier, start, place, restaurant))
        arrival = start + parameters.travel(at, restaurant_at)
    pickup = max(max(order.ready for order in bundle), arrival + parameters.half_pickup)
    offsets = dropoff_offsets(parameters, restaurant_at, bundle)
    dropoffs = tuple(pickup + offset for offset in offsets)
    origin, leave = restaurant, pickup + parameters.half_pickup
    for order, dropoff in zip(bundle, dropoffs, strict=True):
        moves.append(Move(courier, leave, origin, order.id))
        origin, leave = order.id, dropoff + parameters.half_dropoff
    return Plan(pickup, dropoffs, tuple(moves), dropoffs[-1] + parameters.half_dropoff)
