"""A replayed day as Grubhub's evaluator reads it: assignments, order deliveries, courier moves, and promises.

The writer follows the evaluator's stricter reading of the PDF's Listings 5-7 (one space between fields, one
header line, no blank line, each courier's moves one block in time order), so our files are accepted by theirs;
the reader exists so our own checker judges exactly what was written, not what the replay meant to write.
"""

from dataclasses import dataclass, field
from pathlib import Path

ON_LOCATION = "0"

ASSIGNMENTS_FILE = "solution_info_assignments.txt"
ORDERS_FILE = "solution_info_orders.txt"
COURIERS_FILE = "solution_info_couriers.txt"
PROMISES_FILE = "promises.txt"

ASSIGNMENTS_HEADER = "assignment_time pickup_time courier orders"
ORDERS_HEADER = "order placement_time ready_time pickup_time dropoff_time courier"
COURIERS_HEADER = "courier departure_time origin destination"
PROMISES_HEADER = "order promised_click_to_door issued_at"


@dataclass(frozen=True)
class AssignmentRecord:
    time: int
    pickup: int
    courier: str
    orders: tuple[str, ...]


@dataclass(frozen=True)
class OrderRecord:
    order: str
    placed: int
    ready: int
    pickup: int
    dropoff: int
    courier: str


@dataclass(frozen=True)
class Move:
    """A courier leaving `origin` (ON_LOCATION, a restaurant id or an order id) for `destination`."""

    courier: str
    departure: int
    origin: str
    destination: str


@dataclass(frozen=True)
class Promise:
    order: str
    minutes: int
    issued: int


@dataclass
class Solution:
    assignments: list[AssignmentRecord] = field(default_factory=list)
    orders: list[OrderRecord] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)


class SolutionFileError(ValueError):
    """A solution file is missing or not in the evaluator's format."""


def write_solution(solution: Solution, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    assignments = sorted(solution.assignments, key=lambda a: (a.time, a.courier))
    _write(
        directory / ASSIGNMENTS_FILE,
        ASSIGNMENTS_HEADER,
        [[a.time, a.pickup, a.courier, *a.orders] for a in assignments],
    )
    orders = sorted(solution.orders, key=lambda o: (o.pickup, o.dropoff, o.order))
    _write(
        directory / ORDERS_FILE,
        ORDERS_HEADER,
        [[o.order, o.placed, o.ready, o.pickup, o.dropoff, o.courier] for o in orders],
    )
    moves = _courier_blocks(solution.moves)
    _write(
        directory / COURIERS_FILE, COURIERS_HEADER, [[m.courier, m.departure, m.origin, m.destination] for m in moves]
    )
    _write(directory / PROMISES_FILE, PROMISES_HEADER, [[p.order, p.minutes, p.issued] for p in solution.promises])


def _courier_blocks(moves: list[Move]) -> list[Move]:
    """Each courier's moves together and in the order driven (a stable sort keeps equal departures in sequence)."""
    return sorted(moves, key=lambda m: (m.courier, m.departure))


def _write(path: Path, header: str, rows: list[list[object]]) -> None:
    path.write_text("\n".join([header, *(" ".join(str(v) for v in row) for row in rows)]) + "\n")


def read_solution(directory: Path) -> Solution:
    solution = Solution()
    for f in _fields(directory / ASSIGNMENTS_FILE, minimum=4):
        solution.assignments.append(AssignmentRecord(int(f[0]), int(f[1]), f[2], tuple(f[3:])))
    for f in _fields(directory / ORDERS_FILE, minimum=6, header=ORDERS_HEADER):
        solution.orders.append(OrderRecord(f[0], int(f[1]), int(f[2]), int(f[3]), int(f[4]), f[5]))
    for f in _fields(directory / COURIERS_FILE, minimum=4):
        solution.moves.append(Move(f[0], int(f[1]), f[2], f[3]))
    if (directory / PROMISES_FILE).is_file():
        for f in _fields(directory / PROMISES_FILE, minimum=3):
            solution.promises.append(Promise(f[0], int(f[1]), int(f[2])))
    return solution


def _fields(path: Path, *, minimum: int, header: str | None = None) -> list[list[str]]:
    if not path.is_file():
        raise SolutionFileError(f"{path}: file missing")
    lines = path.read_text().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if header is not None and (not lines or lines[0] != header):
        raise SolutionFileError(f"{path}: the header must be exactly {header!r}")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split(" ")
        if len(fields) < minimum or "" in fields:
            raise SolutionFileError(f"{path}:{number}: not {minimum} single-space separated fields")
        try:
            int(fields[1])
        except ValueError as exc:
            raise SolutionFileError(f"{path}:{number}: {exc}") from exc
        rows.append(fields)
    return rows
