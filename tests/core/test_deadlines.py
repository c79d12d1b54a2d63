from datetime import UTC, datetime, timedelta

import pytest

from anxin.core import clock, deadlines
from anxin.core.models import Deadline

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
seen: list[int] = []


@deadlines.handler("test.record")
def _record(subject_id: int) -> None:
    seen.append(subject_id)


@deadlines.handler("test.explode")
def _explode(subject_id: int) -> None:
    Deadline.objects.filter(kind="test.record").delete()  # must be rolled back with the failure
    raise RuntimeError("boom")


@deadlines.handler("test.nothing")
def _nothing(subject_id: int) -> None:
    """A handler that finds its work already done."""


@pytest.fixture(autouse=True)
def _reset_seen():
    seen.clear()


def test_a_deadline_runs_only_once_it_is_due():
    clock.freeze(T0)
    deadlines.schedule("test.record", 7, T0 + timedelta(minutes=30))
    assert deadlines.run_due() == 0
    clock.advance(timedelta(minutes=30))
    assert deadlines.run_due() == 1
    assert seen == [7]
    assert deadlines.run_due() == 0
    assert Deadline.objects.get(kind="test.record").state == Deadline.State.DONE


def test_a_cancelled_deadline_never_runs():
    clock.freeze(T0)
    deadlines.schedule("test.record", 8, T0)
    deadlines.cancel("test.record", 8)
    assert deadlines.run_due() == 0
    assert seen == []


def test_rescheduling_moves_the_one_deadline_of_a_subject():
    clock.freeze(T0)
    deadlines.schedule("test.record", 9, T0 + timedelta(days=15))
    deadlines.schedule("test.record", 9, T0 + timedelta(days=7))
    assert Deadline.objects.filter(kind="test.record", subject_id=9).count() == 1
    clock.advance(timedelta(days=7))
    assert deadlines.run_due() == 1


def test_a_failing_handler_rolls_back_its_work_and_is_retried_later():
    clock.freeze(T0)
    deadlines.schedule("test.record", 1, T0 + timedelta(days=1))
    deadlines.schedule("test.explode", 2, T0)
    assert deadlines.run_due() == 1
    failed = Deadline.objects.get(kind="test.explode")
    assert failed.state == Deadline.State.PENDING
    assert failed.attempts == 1
    assert "boom" in failed.last_error
    assert failed.due_at > T0
    assert Deadline.objects.filter(kind="test.record").exists()


def test_a_deadline_without_a_handler_is_kept_and_reported():
    clock.freeze(T0)
    deadlines.schedule("test.nobody", 3, T0)
    deadlines.run_due()
    row = Deadline.objects.get(kind="test.nobody")
    assert row.state == Deadline.State.PENDING
    assert "no handler" in row.last_error


def test_schedule_many_creates_and_moves_in_one_call():
    clock.freeze(T0)
    deadlines.schedule("test.record", 1, T0 + timedelta(days=3))
    deadlines.schedule_many("test.record", {1: T0, 2: T0})
    assert deadlines.run_due() == 2
    assert sorted(seen) == [1, 2]


def test_cancelling_a_deadline_that_already_ran_leaves_it_done():
    clock.freeze(T0)
    deadlines.schedule("test.record", 4, T0)
    deadlines.run_due()
    deadlines.cancel("test.record", 4)
    assert Deadline.objects.get(kind="test.record", subject_id=4).state == Deadline.State.DONE


def test_a_handler_with_nothing_to_do_still_closes_its_deadline():
    clock.freeze(T0)
    deadlines.schedule("test.nothing", 5, T0)
    assert deadlines.run_due() == 1
    row = Deadline.objects.get(kind="test.nothing")
    assert (row.state, row.attempts, row.done_at) == (Deadline.State.DONE, 0, T0)


def test_a_handler_failing_ten_times_waits_for_a_person():
    clock.freeze(T0)
    deadlines.schedule("test.explode", 6, T0)
    for _attempt in range(10):
        clock.advance(timedelta(days=2))
        deadlines.run_due()
    row = Deadline.objects.get(kind="test.explode")
    assert (row.state, row.attempts) == (Deadline.State.FAILED, 10)
    clock.advance(timedelta(days=30))
    assert deadlines.run_due() == 0


@deadlines.handler("test.rearm")
def _rearm(subject_id: int) -> None:
    deadlines.schedule("test.rearm", subject_id, clock.now() + timedelta(minutes=5))


def test_a_handler_that_moves_its_own_deadline_leaves_it_pending_at_the_new_time():
    clock.freeze(T0)
    deadlines.schedule("test.rearm", 9, T0)
    assert deadlines.run_due() == 1
    row = Deadline.objects.get(kind="test.rearm")
    assert (row.state, row.due_at) == (Deadline.State.PENDING, T0 + timedelta(minutes=5))
