"""The click-to-door time promised to a buyer at the moment of ordering, from what is known then.

The estimate is the route of the courier who could reach the restaurant first: pick-up at the ready time or
at that courier's arrival, then the straight drive to the diner. What the estimate cannot see (the courier
being taken by another order, a bundle's detour) is covered by a margin learned from the orders delivered so
far in the same city: a high quantile of how much later than estimated they arrived, learned separately for
each band of pressure (open orders per courier free by the ready time), since a crowded hour surprises more
than a quiet one. Learning it from the day's own deliveries, never from a fitted constant, is what lets it
hold on a day nobody has seen.
"""

import math
from bisect import insort
from collections import deque
from collections.abc import Iterable

from anxin.instant.dispatch.model import Order, Parameters, Point
from anxin.instant.dispatch.snapshot import CourierState

KEPT_SHARE = 0.96  # aim a little above the 95% that must be kept, since the margin is learned as the day goes
PRIOR_MARGIN = 10  # minutes, until enough deliveries of the day are known
MIN_OBSERVATIONS = 30
WINDOW = 300  # the latest deliveries, so the margin follows the day's load


def estimate_click_to_door(
    parameters: Parameters,
    order: Order,
    restaurant_at: Point,
    couriers: Iterable[CourierState],
    now: int,
) -> int:
    arrivals = [max(now, c.free_at) + parameters.travel(c.at, restaurant_at) for c in couriers if c.free_at < c.off]
    courier_arrival = min(arrivals, default=now + parameters.max_click_to_door)
    pickup = max(order.ready, courier_arrival + parameters.half_pickup)
    dropoff = pickup + parameters.half_pickup + parameters.travel(restaurant_at, order.at) + parameters.half_dropoff
    return dropoff - order.placed


class PromiseMargin:
    """Minutes added to the estimate: the KEPT_SHARE quantile of (delivered - estimated) over recent deliveries."""

    def __init__(self) -> None:
        self._recent: deque[int] = deque()
        self._sorted: list[int] = []

    def observe(self, surprise: int) -> None:
        self._recent.append(surprise)
        insort(self._sorted, surprise)
        if len(self._recent) > WINDOW:
            self._sorted.remove(self._recent.popleft())

    def minutes(self) -> int:
        if len(self._sorted) < MIN_OBSERVATIONS:
            return PRIOR_MARGIN
        return self._sorted[min(len(self._sorted) - 1, math.ceil(KEPT_SHARE * len(self._sorted)) - 1)]


def pressure(open_orders: int, couriers_free_by_ready: int) -> int:
    """How crowded the city is when the order is placed: open orders per courier free by its ready time, banded."""
    ratio = open_orders / max(1, couriers_free_by_ready)
    return 0 if ratio < 0.5 else 1 if ratio < 1 else 2
