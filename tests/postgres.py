"""What the PostgreSQL race tests share: skipping where there are no row locks, and callers released at once."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from anxin.geo.services import ensure_builtin_regions


def require_postgres() -> None:
    """Skip on SQLite (no row locks to race on); on PostgreSQL restore the regions, since a transactional test
    starts from a flushed database."""
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency needs PostgreSQL; CI runs this suite with DATABASE_URL set")
    ensure_builtin_regions()


def at_once(count: int, call: Callable[[int], Any]) -> list[Any]:
    """`call(i)` in `count` threads released together, each on its own database connection."""
    start = threading.Barrier(count)

    def run(i: int) -> Any:
        try:
            start.wait()
            return call(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
