"""Reads one MDRP instance folder (Grubhub's four text files), refusing anything it cannot trust.

A malformed line, a missing file or an order of an unknown restaurant is named with its file and line, so an
operator can fix the data instead of getting a replay that quietly skips part of the day.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from anxin.instant.dispatch.model import Courier, Instance, Order, Parameters, Point, Restaurant

T = TypeVar("T")


class InstanceError(ValueError):
    """The instance folder cannot be read as an MDRP instance."""


def read_instance(directory: Path) -> Instance:
    directory = Path(directory)
    if not directory.is_dir():
        raise InstanceError(f"{directory} is not a directory")
    restaurants = {r.id: r for r in _rows(directory / "restaurants.txt", 3, _restaurant)}
    orders = {o.id: o for o in _rows(directory / "orders.txt", 6, _order)}
    couriers = {c.id: c for c in _rows(directory / "couriers.txt", 5, _courier)}
    parameters = list(_rows(directory / "instance_parameters.txt", 7, _parameters))
    if len(parameters) != 1:
        raise InstanceError(f"{directory / 'instance_parameters.txt'}: expected one line of parameters")
    for order in orders.values():
        if order.restaurant not in restaurants:
            raise InstanceError(
                f"{directory / 'orders.txt'}: order {order.id} names unknown restaurant {order.restaurant}"
            )
    return Instance(directory.name, parameters[0], restaurants, orders, couriers)


def _rows(path: Path, width: int, build: Callable[[list[str]], T]) -> Iterator[T]:
    if not path.is_file():
        raise InstanceError(f"{path}: file missing")
    lines = path.read_text().splitlines()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) != width:
            raise InstanceError(f"{path}:{number}: expected {width} fields, found {len(fields)}")
        try:
            yield build(fields)
        except ValueError as exc:
            raise InstanceError(f"{path}:{number}: {exc}") from exc


def _restaurant(f: list[str]) -> Restaurant:
    return Restaurant(f[0], Point(float(f[1]), float(f[2])))


def _order(f: list[str]) -> Order:
    return Order(f[0], Point(float(f[1]), float(f[2])), int(f[3]), f[4], int(f[5]))


def _courier(f: list[str]) -> Courier:
    courier = Courier(f[0], Point(float(f[1]), float(f[2])), int(f[3]), int(f[4]))
    if courier.off <= courier.on:
        raise ValueError(f"courier {courier.id} goes off duty before it comes on")
    return courier


def _parameters(f: list[str]) -> Parameters:
    speed = float(f[0])
    if speed <= 0:
        raise ValueError("the speed must be positive")
    return Parameters(speed, int(f[1]), int(f[2]), int(f[3]), int(f[4]), float(f[5]), float(f[6]))
