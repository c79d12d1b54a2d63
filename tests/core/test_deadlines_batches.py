"""`run_due` claims due deadlines in batches: one claim, one savepoint per handler, one UPDATE, one commit."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anxin.core import clock, deadlines
from anxin.core.models import Deadline, Setting

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ran: list[tuple[str, int]] = []


@deadlines.handler("batch.work")
def _work(subject_id: int) -> None:
    """Leaves a trace in the database, so a rollback shows."""
    Setting.objects.create(key=f"work:{subject_id}", value="1")
    ran.append(("work", subject_id))


@deadlines.handler("batch.explode")
def _explode(subject_id: int) -> None:
    Setting.objects.create(key=f"explode:{subject_id}", value="1")
    ran.append(("explode", subject_id))
    raise RuntimeError("boom")


@deadlines.handler("batch.cancel_next")
def _cancel_next(subject_id: int) -> None:
    """Cancels the work deadline of the next subject, as an order cancelled by one job cancels another's."""
    deadlines.cancel("batch.work", subject_id + 1)
    ran.append(("cancel_next", subject_id))


@deadlines.handler("batch.rearm_next")
def _rearm_next(subject_id: int) -> None:
    """Re-arms the explode deadline of the next subject (a fresh start: attempts back to 0)."""
    deadlines.schedule("batch.explode", subject_id + 1, clock.now())
    ran.append(("rearm_next", subject_id))


@deadlines.handler("batch.move_self")
def _move_self(subject_id: int) -> None:
    deadlines.schedule("batch.move_self", subject_id, clock.now() + timedelta(minutes=5))
    ran.append(("move_self", subject_id))


@pytest.fixture(autouse=True)
def _reset_ran():
    ran.clear()


def _due(kind: str, *subject_ids: int, at: datetime = T0) -> None:
    for subject_id in subject_ids:
        deadlines.schedule(kind, subject_id, at)


def _state(kind: str, subject_id: int) -> tuple[str, int]:
    row = Deadline.objects.get(kind=kind, subject_id=subject_id)
    return row.state, row.attempts


def test_one_failing_handler_in_a_batch_is_postponed_and_only_its_own_work_rolled_back():
    clock.freeze(T0)
    _due("batch.work", 1)
    _due("batch.explode", 2, at=T0 + timedelta(seconds=1))
    _due("batch.work", 3, at=T0 + timedelta(seconds=2))
    clock.advance(timedelta(minutes=1))
    assert deadlines.run_due() == 3
    assert ran == [("work", 1), ("explode", 2), ("work", 3)]
    assert _state("batch.work", 1) == (Deadline.State.DONE, 0)
    assert _state("batch.work", 3) == (Deadline.State.DONE, 0)
    failed = Deadline.objects.get(kind="batch.explode")
    assert (failed.state, failed.attempts) == (Deadline.State.PENDING, 1)
    assert "boom" in failed.last_error
    assert failed.due_at == clock.now() + deadlines.RETRY_DELAY * 2
    assert sorted(Setting.objects.values_list("key", flat=True)) == ["work:1", "work:3"]


def test_a_batch_is_claimed_and_closed_in_a_fixed_number_of_deadline_queries():
    clock.freeze(T0)
    deadlines.schedule_many("batch.work", {pk: T0 for pk in range(1, 41)})
    with CaptureQueriesContext(connection) as queries:
        assert deadlines.run_due(limit=100, batch=25) == 40
    on_deadlines = [q["sql"].split()[0] for q in queries.captured_queries if '"core_deadline"' in q["sql"]]
    # two full-or-partial batches and the claim that finds nothing; one UPDATE per batch
    assert on_deadlines == ["SELECT", "UPDATE", "SELECT", "UPDATE", "SELECT"]
    assert Deadline.objects.filter(state=Deadline.State.DONE).count() == 40


def test_run_due_stops_at_its_limit_and_leaves_the_rest_pending_in_due_order():
    clock.freeze(T0)
    _due("batch.work", 3, at=T0)
    _due("batch.work", 1, at=T0 + timedelta(seconds=1))
    _due("batch.work", 2, at=T0 + timedelta(seconds=2))
    clock.advance(timedelta(minutes=1))
    assert deadlines.run_due(limit=2) == 2
    assert ran == [("work", 3), ("work", 1)]
    assert _state("batch.work", 2) == (Deadline.State.PENDING, 0)


def test_a_batch_past_its_time_leaves_the_rows_it_did_not_reach_pending(monkeypatch):
    monkeypatch.setattr(deadlines, "BATCH_SECONDS", 0.0)
    clock.freeze(T0)
    deadlines.schedule_many("batch.work", {1: T0, 2: T0, 3: T0})
    with CaptureQueriesContext(connection) as queries:
        assert deadlines.run_due() == 3
    claims = [q for q in queries.captured_queries if q["sql"].startswith("SELECT") and '"core_deadline"' in q["sql"]]
    assert len(claims) == 4  # each batch ran one handler before its time was up, then nothing was due
    assert Deadline.objects.filter(state=Deadline.State.DONE).count() == 3


def test_a_deadline_cancelled_by_an_earlier_handler_of_its_batch_does_not_run():
    clock.freeze(T0)
    _due("batch.cancel_next", 1, at=T0)
    _due("batch.work", 2, at=T0 + timedelta(seconds=1))
    clock.advance(timedelta(minutes=1))
    assert deadlines.run_due() == 1
    assert ran == [("cancel_next", 1)]
    assert _state("batch.work", 2) == (Deadline.State.CANCELLED, 0)
    assert not Setting.objects.exists()


def test_a_handler_moving_its_own_deadline_in_a_batch_stays_pending_and_the_others_are_done():
    clock.freeze(T0)
    _due("batch.work", 1)
    _due("batch.move_self", 2)
    _due("batch.work", 3)
    assert deadlines.run_due() == 3
    moved = Deadline.objects.get(kind="batch.move_self")
    assert (moved.state, moved.due_at) == (Deadline.State.PENDING, T0 + timedelta(minutes=5))
    assert _state("batch.work", 1) == (Deadline.State.DONE, 0)
    assert _state("batch.work", 3) == (Deadline.State.DONE, 0)


def test_an_unknown_kind_in_a_batch_is_a_failure_and_the_others_still_run():
    clock.freeze(T0)
    _due("batch.nobody", 1)
    _due("batch.work", 2)
    assert deadlines.run_due() == 2
    assert _state("batch.nobody", 1) == (Deadline.State.PENDING, 1)
    assert "no handler" in Deadline.objects.get(kind="batch.nobody").last_error
    assert _state("batch.work", 2) == (Deadline.State.DONE, 0)


def test_a_crash_in_the_middle_of_a_batch_leaves_every_deadline_pending_and_the_work_undone(monkeypatch):
    clock.freeze(T0)
    deadlines.schedule_many("batch.work", {1: T0, 2: T0})

    def crash(done: list[Deadline]) -> None:
        raise KeyboardInterrupt  # the process stops between the handlers and the commit

    monkeypatch.setattr(deadlines, "_mark_done", crash)
    with pytest.raises(KeyboardInterrupt):
        deadlines.run_due()
    assert ran == [("work", 1), ("work", 2)]
    assert set(Deadline.objects.values_list("state", flat=True)) == {Deadline.State.PENDING}
    assert not Setting.objects.exists()


def test_a_deadline_re_armed_by_an_earlier_handler_of_its_batch_counts_its_attempts_afresh():
    clock.freeze(T0)
    _due("batch.rearm_next", 1, at=T0)
    _due("batch.explode", 2, at=T0 + timedelta(seconds=1))
    Deadline.objects.filter(kind="batch.explode").update(attempts=3)
    clock.advance(timedelta(minutes=1))
    assert deadlines.run_due() == 2
    assert ran == [("rearm_next", 1), ("explode", 2)]
    assert _state("batch.explode", 2) == (Deadline.State.PENDING, 1)


@deadlines.handler("batch.bulk")
def _bulk_one(subject_id: int) -> None:
    ran.append(("one", subject_id))


@deadlines.bulk_handler("batch.bulk")
def _bulk_many(subject_ids: list[int]) -> set[int]:
    """Applies the even subjects at once and leaves the odd ones to the one-by-one handler; 13 makes it fail."""
    if 13 in subject_ids:
        Setting.objects.create(key="bulk:13", value="1")
        raise RuntimeError("boom")
    ran.append(("many", len(subject_ids)))
    return {pk for pk in subject_ids if pk % 2}


def test_a_bulk_handler_takes_the_batchs_rows_of_its_kind_at_once_and_leaves_the_rest_one_by_one():
    clock.freeze(T0)
    _due("batch.bulk", 1, 2, 3, 4)
    assert deadlines.run_due() == 4
    assert ran == [("many", 4), ("one", 1), ("one", 3)]
    assert set(Deadline.objects.filter(kind="batch.bulk").values_list("state", flat=True)) == {Deadline.State.DONE}


def test_a_failing_bulk_handler_is_rolled_back_and_each_row_runs_on_its_own():
    clock.freeze(T0)
    _due("batch.bulk", 12, 13)
    assert deadlines.run_due() == 2
    assert ran == [("one", 12), ("one", 13)]
    assert not Setting.objects.filter(key="bulk:13").exists()
