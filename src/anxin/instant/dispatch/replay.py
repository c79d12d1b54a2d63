"""Replays one MDRP day minute by minute through the policy, as the live service would live it.

Each minute the orders placed in it are released and promised; every `every` minutes the policy is shown a
snapshot of what is known then and its decisions are carried out by the operating rules. A decision that
breaks a rule (a courier who is busy, an order not placed, a bundle of two restaurants) stops the replay: a
policy bug must never turn into a quietly different benchmark.
"""

import heapq
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from anxin.instant.dispatch.model import Instance, Order
from anxin.instant.dispatch.policy import PolicySettings, decide
from anxin.instant.dispatch.promise import PromiseMargin, estimate_click_to_door, pressure
from anxin.instant.dispatch.routing import plan
from anxin.instant.dispatch.snapshot import MAX_BUNDLE, Assignment, CourierState, Decision, Preposition, Snapshot
from anxin.instant.dispatch.solution import ON_LOCATION, AssignmentRecord, Move, OrderRecord, Promise, Solution

Policy = Callable[[Snapshot], list[Decision]]


class PolicyError(RuntimeError):
    """The policy asked for something the operating rules do not allow."""


@dataclass
class Replay:
    solution: Solution
    round_seconds: list[float] = field(default_factory=list)  # CPU seconds of the policy per decision round
    estimates: dict[str, int] = field(default_factory=dict)


def replay(instance: Instance, every: int = 1, policy: Policy | None = None) -> Replay:
    """`policy` defaults to `decide`, told the round interval so that it commits just late enough."""
    if every < 1:
        raise ValueError("decision rounds must be at least a minute apart")
    policy = policy or partial(decide, settings=PolicySettings(every=every))
    run = _Run(instance)
    orders = sorted(instance.orders.values(), key=lambda o: (o.placed, o.id))
    starts = [o.placed for o in orders] + [c.on for c in instance.couriers.values()]
    first = min(starts, default=0)
    last = max((c.off for c in instance.couriers.values()), default=first)
    released = 0
    for now in range(first, last + 1):
        run.learn(now)
        while released < len(orders) and orders[released].placed <= now:
            run.release(orders[released], now)
            released += 1
        if (now - first) % every == 0 and run.open:
            run.round(now, policy)
        if released == len(orders) and not run.open:
            break
    return run.result


class _Run:
    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.p = instance.parameters
        self.open: dict[str, Order] = {}
        self.couriers = {
            c.id: CourierState(c.id, c.at, ON_LOCATION, c.on, c.off)
            for c in sorted(instance.couriers.values(), key=lambda c: c.id)
        }
        self.on = {c.id: c.on for c in instance.couriers.values()}
        self.result = Replay(Solution())
        self.promised: dict[str, int] = {}
        self.margins: dict[int, PromiseMargin] = {}
        self.situation: dict[str, int] = {}
        self.deliveries: list[tuple[int, str]] = []

    def on_duty(self, now: int) -> list[CourierState]:
        return [c for c in self.couriers.values() if self.on[c.id] <= now < c.off]

    def learn(self, now: int) -> None:
        """Deliveries done by `now` teach the promise margin; later ones are not known yet."""
        while self.deliveries and self.deliveries[0][0] <= now:
            dropoff, order_id = heapq.heappop(self.deliveries)
            order = self.instance.orders[order_id]
            situation = self.situation[order_id]
            self.margins.setdefault(situation, PromiseMargin()).observe(
                dropoff - order.placed - self.result.estimates[order_id]
            )

    def release(self, order: Order, now: int) -> None:
        restaurant_at = self.instance.restaurants[order.restaurant].at
        on_duty = self.on_duty(now)
        estimate = estimate_click_to_door(self.p, order, restaurant_at, on_duty, now)
        situation = pressure(len(self.open) + 1, sum(1 for c in on_duty if c.free_at <= order.ready))
        self.situation[order.id] = situation
        minutes = estimate + self.margins.setdefault(situation, PromiseMargin()).minutes()
        self.result.estimates[order.id] = estimate
        self.promised[order.id] = minutes
        self.result.solution.promises.append(Promise(order.id, minutes, now))
        self.open[order.id] = order

    def round(self, now: int, policy: Policy) -> None:
        couriers = tuple(c if c.free_at > now else replace(c, route=()) for c in self.on_duty(now))
        snapshot = Snapshot(
            now, self.p, self.instance.restaurants, tuple(self.open.values()), couriers, dict(self.promised)
        )
        started = time.process_time()
        decisions = policy(snapshot)
        self.result.round_seconds.append(time.process_time() - started)
        for decision in decisions:
            if isinstance(decision, Assignment):
                self.assign(decision, now)
            else:
                self.preposition(decision, now)

    def _idle_courier(self, courier_id: str, now: int) -> CourierState:
        courier = self.couriers.get(courier_id)
        if courier is None or not self.on[courier_id] <= now < courier.off or courier.free_at > now:
            raise PolicyError(f"minute {now}: courier {courier_id} is not on duty and waiting for an instruction")
        return courier

    def assign(self, decision: Assignment, now: int) -> None:
        courier = self._idle_courier(decision.courier, now)
        if (
            not decision.orders
            or len(decision.orders) > MAX_BUNDLE
            or len(set(decision.orders)) != len(decision.orders)
        ):
            raise PolicyError(f"minute {now}: a bundle holds 1 to {MAX_BUNDLE} distinct orders, not {decision.orders}")
        missing = [o for o in decision.orders if o not in self.open]
        if missing:
            raise PolicyError(f"minute {now}: orders {missing} are not open (not placed yet, or already assigned)")
        bundle = tuple(self.open[o] for o in decision.orders)
        restaurants = {o.restaurant for o in bundle}
        if len(restaurants) != 1:
            raise PolicyError(f"minute {now}: bundle {decision.orders} spans restaurants {sorted(restaurants)}")
        restaurant = self.instance.restaurants[bundle[0].restaurant]
        route = plan(self.p, courier.id, courier.place, courier.at, now, restaurant.id, restaurant.at, bundle)
        if route.pickup > courier.off:
            raise PolicyError(f"minute {now}: courier {courier.id} would pick up at {route.pickup}, after its off-time")
        solution = self.result.solution
        solution.assignments.append(AssignmentRecord(now, route.pickup, courier.id, decision.orders))
        for order, dropoff in zip(bundle, route.dropoffs, strict=True):
            solution.orders.append(OrderRecord(order.id, order.placed, order.ready, route.pickup, dropoff, courier.id))
            heapq.heappush(self.deliveries, (dropoff, order.id))
            del self.open[order.id]
        solution.moves.extend(route.moves)
        self.couriers[courier.id] = replace(
            courier, at=bundle[-1].at, place=bundle[-1].id, free_at=route.free_at, route=decision.orders
        )

    def preposition(self, decision: Preposition, now: int) -> None:
        courier = self._idle_courier(decision.courier, now)
        restaurant = self.instance.restaurants.get(decision.restaurant)
        if restaurant is None:
            raise PolicyError(f"minute {now}: unknown restaurant {decision.restaurant}")
        if courier.place == restaurant.id:
            return
        self.result.solution.moves.append(Move(courier.id, now, courier.place, restaurant.id))
        arrival = now + self.p.travel(courier.at, restaurant.at)
        self.couriers[courier.id] = replace(courier, at=restaurant.at, place=restaurant.id, free_at=arrival, route=())
