"""What the policy is shown at a decision round, and what it may answer.

A snapshot holds only what is known at `now`: the orders placed by then and not yet handed to a courier, and
the couriers on duty with where and when each will next be free to take an instruction. The live service and
the replay build the same snapshot, so the policy cannot tell a benchmark from a city.
"""

from dataclasses import dataclass, field

from anxin.instant.dispatch.model import Order, Parameters, Point, Restaurant

MAX_BUNDLE = 3


@dataclass(frozen=True)
class CourierState:
    """A courier on duty: free from `free_at` at `at`, the place `place` (ON_LOCATION, a restaurant or an order id).

    `route` is the bundle it is still carrying out (empty when it waits); it cannot be diverted from it, so a
    busy courier is only a candidate for work that starts once it is free.
    """

    id: str
    at: Point
    place: str
    free_at: int
    off: int
    route: tuple[str, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    now: int
    parameters: Parameters
    restaurants: dict[str, Restaurant]
    orders: tuple[Order, ...]
    couriers: tuple[CourierState, ...]
    promises: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    """Pick up `orders` (all of one restaurant) and drop them off in this sequence."""

    courier: str
    orders: tuple[str, ...]


@dataclass(frozen=True)
class Preposition:
    """Drive to `restaurant` and wait there for the next instruction."""

    courier: str
    restaurant: str


Decision = Assignment | Preposition
