"""Deadlines: rows with a `due_at` that the worker claims when due and hands to a registered handler.

A handler is idempotent and runs inside the same transaction that marks its deadline done, so a crash at
any point leaves the deadline pending and the work undone, and a restart loses nothing. On PostgreSQL
claims use `FOR UPDATE SKIP LOCKED`, so any number of workers share the queue without running a job twice.
"""

import logging
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import connection, transaction

from anxin.core import clock
from anxin.core.models import Deadline

log = logging.getLogger(__name__)

Handler = Callable[[int], None]
_handlers: dict[str, Handler] = {}
RETRY_DELAY = timedelta(minutes=1)


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register `fn(subject_id)` as the handler of deadlines of `kind`."""

    def register(fn: Handler) -> Handler:
        if kind in _handlers and _handlers[kind] is not fn:
            raise ValueError(f"a handler for {kind!r} is already registered")
        _handlers[kind] = fn
        return fn

    return register


def registered_kinds() -> list[str]:
    return sorted(_handlers)


def schedule(kind: str, subject_id: int, due_at: datetime) -> None:
    """Set (or move) the deadline of `kind` for this subject; a done one is re-armed."""
    Deadline.objects.update_or_create(
        kind=kind,
        subject_id=subject_id,
        defaults={"due_at": due_at, "state": Deadline.State.PENDING, "attempts": 0, "last_error": ""},
    )


def schedule_many(kind: str, due: dict[int, datetime]) -> None:
    """Set many deadlines of one kind (subject id -> due time) in a fixed number of queries."""
    if not due:
        return
    existing = {
        row.subject_id: row for row in Deadline.objects.filter(kind=kind, subject_id__in=list(due)).order_by("pk")
    }
    for subject_id, row in existing.items():
        row.due_at, row.state, row.attempts, row.last_error = due[subject_id], Deadline.State.PENDING, 0, ""
    if existing:
        Deadline.objects.bulk_update(list(existing.values()), ["due_at", "state", "attempts", "last_error"])
    Deadline.objects.bulk_create(
        [Deadline(kind=kind, subject_id=pk, due_at=at) for pk, at in due.items() if pk not in existing]
    )


def schedule_new(kind: str, subject_id: int, due_at: datetime) -> None:
    """The first deadline of a subject just created (one insert, no look-up)."""
    Deadline.objects.create(kind=kind, subject_id=subject_id, due_at=due_at)


def cancel(kind: str, subject_id: int) -> None:
    Deadline.objects.filter(kind=kind, subject_id=subject_id, state=Deadline.State.PENDING).update(
        state=Deadline.State.CANCELLED, done_at=clock.now()
    )


def _claim_one() -> Deadline | None:
    query = Deadline.objects.filter(state=Deadline.State.PENDING, due_at__lte=clock.now()).order_by("due_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        query = query.select_for_update(skip_locked=True)
    return query.first()


def run_due(limit: int = 100) -> int:
    """Apply up to `limit` due deadlines, each in its own transaction; returns how many were handled."""
    handled = 0
    while handled < limit:
        outcome = _run_next()
        if outcome is None:
            break
        handled += 1
    return handled


def _run_next() -> bool | None:
    failed: tuple[int, str] | None = None
    with transaction.atomic():
        deadline = _claim_one()
        if deadline is None:
            return None
        fn = _handlers.get(deadline.kind)
        try:
            with transaction.atomic():
                if fn is None:
                    raise LookupError(f"no handler registered for deadline kind {deadline.kind!r}")
                fn(deadline.subject_id)
        except Exception:
            failed = (deadline.pk, traceback.format_exc())
            log.exception("deadline %s failed", deadline)
        if failed is None:
            # A handler that moved its own deadline (a retry it manages itself) leaves it pending at the new time.
            Deadline.objects.filter(pk=deadline.pk, due_at=deadline.due_at).update(
                state=Deadline.State.DONE, done_at=clock.now()
            )
        else:
            _postpone(deadline, failed[1])
    return failed is None


def _postpone(deadline: Deadline, error: str) -> None:
    """A failing handler is retried with growing delays; after 10 attempts it waits for a person."""
    attempts = deadline.attempts + 1
    state = Deadline.State.FAILED if attempts >= 10 else Deadline.State.PENDING
    Deadline.objects.filter(pk=deadline.pk).update(
        attempts=attempts,
        last_error=error[-4000:],
        state=state,
        due_at=clock.now() + RETRY_DELAY * (2 ** min(attempts, 10)),
    )
