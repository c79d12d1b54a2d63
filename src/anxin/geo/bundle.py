"""The official division list (2022 edition) bundled inside the package, so a fresh database offers every
province, city and county without an import step.

Plain data access with no Django imports: the data migration loads it through the historical model, and
`services.load_bundled_divisions` through the current one (after a test flush, say). The file is
rewritten from the official CSVs by `anxin geo bundle-divisions DIR`; its licence notice ships beside it.
"""

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

BUNDLE_PATH = Path(__file__).with_name("divisions.csv.gz")
COLUMNS = ("code", "parent", "level", "name", "latitude", "longitude")
LEVEL_ORDER = {"province": 0, "city": 1, "county": 2}
# Four decimals of a degree is about 11 m: far finer than the province-to-province distances need.
COORDINATE_DECIMALS = 4


def read_rows(path: Path = BUNDLE_PATH) -> Iterator[dict[str, Any]]:
    """Region field values, parents before children; coordinates are None where the list has no centre."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {
                "code": row["code"],
                "parent_id": row["parent"] or None,
                "level": row["level"],
                "name": row["name"],
                "latitude": float(row["latitude"]) if row["latitude"] else None,
                "longitude": float(row["longitude"]) if row["longitude"] else None,
            }


def write_rows(rows: Iterable[dict[str, Any]], path: Path = BUNDLE_PATH) -> int:
    """Write rows (the keys of `read_rows`) sorted parents first; gzip's timestamp is zero so the same list
    always makes the same bytes and an unchanged list leaves no diff."""
    ordered = sorted(rows, key=lambda row: (LEVEL_ORDER[row["level"]], row["code"]))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in ordered:
        writer.writerow(
            [
                row["code"],
                row["parent_id"] or "",
                row["level"],
                row["name"],
                *(_coordinate(row[key]) for key in ("latitude", "longitude")),
            ]
        )
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(text.getvalue().encode("utf-8"))
    return len(ordered)


def _coordinate(value: float | None) -> str:
    return "" if value is None else f"{value:.{COORDINATE_DECIMALS}f}"


def load_into(model: Any, batch_size: int = 1000) -> int:
    """Insert the bundled rows missing from `model`'s table (a Region class, historical or current); rows
    already there (built in, imported or edited by ops) are left as they are. Returns how many were added."""
    existing = set(model.objects.values_list("code", flat=True))
    missing = [model(**row) for row in read_rows() if row["code"] not in existing]
    model.objects.bulk_create(missing, batch_size=batch_size)
    return len(missing)
