"""Small hand-made MDRP days for the dispatcher's tests, as files (for the command) or in memory."""

from pathlib import Path

from anxin.instant.dispatch.model import Courier, Instance, Order, Parameters, Point, Restaurant

# 100 metres a minute: distances in hundreds of metres read as minutes.
PARAMETERS = Parameters(100, 4, 4, 40, 90, 10, 15)
PARAMETER_LINE = "100 4 4 40 90 10 15"

RESTAURANTS = [("r1", 0, 0), ("r2", 2000, 0)]
ORDERS = [
    # order, x, y, placed, restaurant, ready
    ("o1", 0, 500, 0, "r1", 10),
    ("o2", 0, 800, 2, "r1", 12),
    ("o3", 2000, 600, 5, "r2", 15),
    ("o4", 1000, 1000, 30, "r1", 40),
    ("o5", 2500, 0, 31, "r2", 45),
]
COURIERS = [("c1", 0, 300, 0, 120), ("c2", 1800, 0, 0, 120), ("c3", 500, 0, 20, 60)]


def small_day(name: str = "small") -> Instance:
    return Instance(
        name,
        PARAMETERS,
        {r: Restaurant(r, Point(x, y)) for r, x, y in RESTAURANTS},
        {o: Order(o, Point(x, y), placed, r, ready) for o, x, y, placed, r, ready in ORDERS},
        {c: Courier(c, Point(x, y), on, off) for c, x, y, on, off in COURIERS},
    )


def write_day(directory: Path, *, orders: list[tuple] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "restaurants.txt": ("restaurant x y", RESTAURANTS),
        "orders.txt": ("order x y placement_time restaurant ready_time", ORDERS if orders is None else orders),
        "couriers.txt": ("courier x y on_time off_time", COURIERS),
    }
    for file, (header, rows) in files.items():
        lines = [header, *("\t".join(str(v) for v in row) for row in rows)]
        (directory / file).write_text("\n".join(lines) + "\n")
    (directory / "instance_parameters.txt").write_text(f"speed and services\n{PARAMETER_LINE}\n")
    return directory
