"""PostgreSQL: workers with their own connections share one queue of due deadlines; each runs exactly once."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from anxin.core import clock, deadlines
from anxin.core.models import Deadline, Setting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

handled_by: list[tuple[str, int]] = []
record_lock = threading.Lock()
first_batch_claimed = threading.Event()
release_first_batch = threading.Event()


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED claims need PostgreSQL; CI runs this suite with DATABASE_URL set")
    handled_by.clear()
    first_batch_claimed.clear()
    release_first_batch.clear()


@deadlines.handler("pg.work")
def _work(subject_id: int) -> None:
    Setting.objects.create(key=f"pg.work:{subject_id}", value=threading.current_thread().name)  # unique: twice fails
    with record_lock:
        handled_by.append((threading.current_thread().name, subject_id))


@deadlines.handler("pg.hold")
def _hold(subject_id: int) -> None:
    """The first call waits, keeping its batch open (and locked) until the test lets it go."""
    if not first_batch_claimed.is_set():
        first_batch_claimed.set()
        assert release_first_batch.wait(timeout=30)
    with record_lock:
        handled_by.append((threading.current_thread().name, subject_id))


def _worker(batch: int) -> int:
    try:
        total = 0
        while handled := deadlines.run_due(limit=1000, batch=batch):
            total += handled
        return total
    finally:
        connections.close_all()


def _holding_worker() -> int:
    try:
        return deadlines.run_due(limit=5, batch=5)
    finally:
        connections.close_all()


def test_two_workers_over_the_same_due_rows_handle_each_exactly_once():
    deadlines.schedule_many("pg.work", {pk: clock.now() for pk in range(1, 601)})
    start = threading.Barrier(2)

    def work(_: int) -> int:
        start.wait()
        return _worker(batch=50)

    with ThreadPoolExecutor(max_workers=2) as pool:
        totals = list(pool.map(work, range(2)))
    assert sum(totals) == 600
    assert Counter(subject for _name, subject in handled_by) == Counter(range(1, 601))
    assert Setting.objects.filter(key__startswith="pg.work:").count() == 600
    assert set(Deadline.objects.filter(kind="pg.work").values_list("state", "attempts")) == {(Deadline.State.DONE, 0)}


def test_a_second_worker_skips_the_batch_another_holds_instead_of_waiting_for_it():
    deadlines.schedule_many("pg.hold", {pk: clock.now() for pk in range(1, 11)})
    with ThreadPoolExecutor(max_workers=1) as pool:
        holder = pool.submit(_holding_worker)
        assert first_batch_claimed.wait(timeout=30)
        try:
            assert _worker(batch=5) == 5  # the other five, while the first batch is still open
        finally:
            release_first_batch.set()
        assert holder.result(timeout=30) == 5
    assert sorted(subject for _name, subject in handled_by) == list(range(1, 11))
    assert Deadline.objects.filter(kind="pg.hold", state=Deadline.State.DONE).count() == 10
