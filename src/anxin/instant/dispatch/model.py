"""The facts of one delivery day: places, orders, couriers and the operating rules they move under.

Times are whole minutes from the start of the day and positions metres on a plane, as in Grubhub's MDRP
instances, so a replayed day and a live city share one vocabulary.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Parameters:
    """The operating rules of a city: how fast couriers move, how long a hand-over takes, what they are paid."""

    metres_per_minute: float
    pickup_service: int
    dropoff_service: int
    target_click_to_door: int
    max_click_to_door: int
    pay_per_order: float
    pay_per_hour: float

    def travel(self, a: Point, b: Point) -> int:
        """Whole minutes, rounded up, because MDRP's evaluator counts a started minute as spent."""
        return math.ceil(math.hypot(a.x - b.x, a.y - b.y) / self.metres_per_minute)

    @property
    def half_pickup(self) -> int:
        """Half the hand-over at the restaurant (rounded up, so an odd service time never shortens a stop)."""
        return -(-self.pickup_service // 2)

    @property
    def half_dropoff(self) -> int:
        return -(-self.dropoff_service // 2)


@dataclass(frozen=True)
class Restaurant:
    id: str
    at: Point


@dataclass(frozen=True)
class Order:
    id: str
    at: Point
    placed: int
    restaurant: str
    ready: int


@dataclass(frozen=True)
class Courier:
    id: str
    at: Point
    on: int
    off: int


@dataclass(frozen=True)
class Instance:
    name: str
    parameters: Parameters
    restaurants: dict[str, Restaurant]
    orders: dict[str, Order]
    couriers: dict[str, Courier]
