"""The dispatch policy: which courier takes which bundle of ready (or soon ready) orders, and when.

Each round it groups the open orders of each restaurant that are ready together into bundles (only when orders
outnumber free couriers: on the Grubhub days a detour for a bundle cost diners more than it saved), costs every
courier-bundle pair by the minutes until each diner's door, and solves the assignment with the Hungarian
method (scipy's linear_sum_assignment). Couriers
still finishing a route take part with the minute they will be free, so a bundle can wait for a better courier
a few minutes away. Only pairs whose courier is free now and must leave now to make the ready time are sent:
everything else is decided again next round, with more orders known (commit late).
"""

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from anxin.instant.dispatch.model import Order, Parameters, Point
from anxin.instant.dispatch.routing import dropoff_offsets
from anxin.instant.dispatch.snapshot import MAX_BUNDLE, Assignment, Decision, Snapshot

INFEASIBLE = 1e9


@dataclass(frozen=True)
class PolicySettings:
    every: int = 1  # minutes between rounds: a pair is sent when waiting one more round would delay its pick-up
    horizon: int = 40  # a courier busy for up to this many minutes more is still a candidate
    bundle_window: int = 0  # orders of one restaurant ready this many minutes apart may share a courier
    reward_per_order: float = 200.0  # prefer serving more orders over shaving minutes off fewer


@dataclass(frozen=True)
class Bundle:
    restaurant: str
    at: Point
    orders: tuple[Order, ...]
    ready: int
    offsets: tuple[int, ...]


def decide(snapshot: Snapshot, settings: PolicySettings | None = None) -> list[Decision]:
    settings = settings or PolicySettings()
    now = snapshot.now
    couriers = sorted(
        (c for c in snapshot.couriers if c.free_at <= now + settings.horizon and c.free_at < c.off),
        key=lambda c: c.id,
    )
    idle = sum(1 for c in couriers if c.free_at <= now)
    if not couriers or not snapshot.orders or not idle:
        return []
    bundles = form_bundles(snapshot, target_size(len(snapshot.orders), idle), settings.bundle_window)
    starts = np.array([max(now, c.free_at) for c in couriers], dtype=float)
    xs = np.array([c.at.x for c in couriers])
    ys = np.array([c.at.y for c in couriers])
    offs = np.array([c.off for c in couriers], dtype=float)
    cost = np.empty((len(couriers), len(bundles)))
    arrivals = np.empty_like(cost)
    for j, bundle in enumerate(bundles):
        arrival = starts + np.ceil(np.hypot(xs - bundle.at.x, ys - bundle.at.y) / snapshot.parameters.metres_per_minute)
        pickup = np.maximum(bundle.ready, arrival + snapshot.parameters.half_pickup)
        cost[:, j] = sum(pickup + offset - now - settings.reward_per_order for offset in bundle.offsets)
        cost[pickup > offs, j] = INFEASIBLE
        arrivals[:, j] = arrival
    rows, cols = linear_sum_assignment(cost)
    decisions: list[Decision] = []
    for i, j in zip(rows, cols, strict=True):
        courier, bundle = couriers[i], bundles[j]
        if cost[i, j] >= INFEASIBLE or courier.free_at > now:
            continue
        if arrivals[i, j] + snapshot.parameters.half_pickup + settings.every > bundle.ready:
            decisions.append(Assignment(courier.id, tuple(o.id for o in bundle.orders)))
    return decisions


def target_size(open_orders: int, idle_couriers: int) -> int:
    """Bundle only as much as couriers are short: one order each while couriers are plentiful."""
    return max(1, min(MAX_BUNDLE, math.ceil(open_orders / max(1, idle_couriers))))


def form_bundles(snapshot: Snapshot, size: int, window: int) -> list[Bundle]:
    """Consecutive orders of one restaurant, by ready time, in groups of at most `size` ready within `window`."""
    by_restaurant: dict[str, list[Order]] = {}
    for order in sorted(snapshot.orders, key=lambda o: (o.restaurant, o.ready, o.id)):
        by_restaurant.setdefault(order.restaurant, []).append(order)
    bundles = []
    for restaurant_id, orders in by_restaurant.items():
        at = snapshot.restaurants[restaurant_id].at
        group: list[Order] = []
        for order in orders:
            if group and (len(group) == size or order.ready - group[0].ready > window):
                bundles.append(_bundle(snapshot.parameters, restaurant_id, at, group))
                group = []
            group.append(order)
        bundles.append(_bundle(snapshot.parameters, restaurant_id, at, group))
    return bundles


def _bundle(parameters: Parameters, restaurant: str, at: Point, orders: list[Order]) -> Bundle:
    """The drop-off sequence with the least total click-to-door (at most 3! orders to try)."""
    best = min(
        itertools.permutations(orders),
        key=lambda seq: (sum(dropoff_offsets(parameters, at, seq)), tuple(o.id for o in seq)),
    )
    return Bundle(restaurant, at, best, max(o.ready for o in best), dropoff_offsets(parameters, at, best))
