"""Deadlines: rows with a `due_at` that the worker claims when due and hands to a registered handler.

The worker claims due rows in batches: one query (`FOR UPDATE SKIP LOCKED LIMIT n` on PostgreSQL, so any
number of workers share the queue without running a job twice) per batch, one savepoint per handler, one
UPDATE marking the batch's finished rows done, one commit. A handler is idempotent and runs inside the
transaction that marks its deadline done, so a crash at any point leaves the whole batch pending and its work
undone, and a restart loses nothing. A failing handler rolls back to its own savepoint, so the rest of its
batch still commits.

The price of a batch is that it is one transaction: the rows its handlers lock stay locked until the last
of them has run, and a handler that waits on an outside provider (`payments.send_refund`) holds them that
long. So a batch is short in rows (`BATCH_SIZE`) and in time (`BATCH_SECONDS`: once it has run that long,
the rows it claimed but did not reach are released, still pending, for the next batch).
"""

import logging
import time
import traceback
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction

from anxin.core import clock
from anxin.core.models import Deadline

log = logging.getLogger(__name__)

Handler = Callable[[int], None]
BulkHandler = Callable[[list[int]], Iterable[int]]
_handlers: dict[str, Handler] = {}
_bulk_handlers: dict[str, BulkHandler] = {}
RETRY_DELAY = timedelta(minutes=1)
BATCH_SIZE = 100
BATCH_SECONDS = 1.0

# (kind, subject) of the deadlines that the handlers of the running batch scheduled or cancelled: a claimed row
# among them is read again before its own handler runs (an order cancelled earlier in the batch cancels its
# ship-by deadline, which must then not run). One set per batch, per thread.
_touched_in_batch: ContextVar[set[tuple[str, int]] | None] = ContextVar("touched_in_batch", default=None)


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register `fn(subject_id)` as the handler of deadlines of `kind`."""

    def register(fn: Handler) -> Handler:
        if kind in _handlers and _handlers[kind] is not fn:
            raise ValueError(f"a handler for {kind!r} is already registered")
        _handlers[kind] = fn
        return fn

    return register


def bulk_handler(kind: str) -> Callable[[BulkHandler], BulkHandler]:
    """Register `fn(subject_ids)` for deadlines of `kind` that also has a one-by-one handler: a batch hands it
    all its due rows of that kind at once, in one savepoint, and it applies with set-based queries what it can
    (a case closing on its own needs no refund) and returns the subject ids it left, which then go one by one
    to the kind's handler. If it fails, all of them do: it is a shortcut, never the only way."""

    def register(fn: BulkHandler) -> BulkHandler:
        if kind in _bulk_handlers and _bulk_handlers[kind] is not fn:
            raise ValueError(f"a bulk handler for {kind!r} is already registered")
        _bulk_handlers[kind] = fn
        return fn

    return register


def registered_kinds() -> list[str]:
    return sorted(_handlers)


def schedule(kind: str, subject_id: int, due_at: datetime) -> None:
    """Set (or move) the deadline of `kind` for this subject; a done one is re-armed."""
    _note_touched(kind, [subject_id])
    Deadline.objects.update_or_create(
        kind=kind,
        subject_id=subject_id,
        defaults={"due_at": due_at, "state": Deadline.State.PENDING, "attempts": 0, "last_error": ""},
    )


def schedule_many(kind: str, due: dict[int, datetime]) -> None:
    """Set many deadlines of one kind (subject id -> due time) in a fixed number of queries."""
    if not due:
        return
    _note_touched(kind, due)
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
    _note_touched(kind, [subject_id])
    Deadline.objects.filter(kind=kind, subject_id=subject_id, state=Deadline.State.PENDING).update(
        state=Deadline.State.CANCELLED, done_at=clock.now()
    )


def hold(kind: str, subject_id: int) -> None:
    """Lock the subject's deadline before the subject itself, in the worker's order (deadline, then subject):
    a person acting the moment it falls due then waits for the worker, or the worker skips it, and neither
    deadlocks the other. Call it inside the transaction, before locking the subject."""
    list(Deadline.objects.select_for_update().filter(kind=kind, subject_id=subject_id).values_list("pk", flat=True))


def _note_touched(kind: str, subject_ids: Iterable[int]) -> None:
    touched = _touched_in_batch.get()
    if touched is not None:
        touched.update((kind, subject_id) for subject_id in subject_ids)


def run_due(limit: int = 100, *, batch: int = BATCH_SIZE) -> int:
    """Apply up to `limit` due deadlines, `batch` per transaction; returns how many were handled.

    A handled deadline is done, or postponed because its handler failed."""
    handled = 0
    while handled < limit:
        ran = _run_batch(min(batch, limit - handled))
        if not ran:
            break
        handled += ran
    return handled


def _run_batch(size: int) -> int:
    with transaction.atomic():
        claimed = _claim(size)
        if not claimed:
            return 0
        touched: set[tuple[str, int]] = set()
        token = _touched_in_batch.set(touched)
        try:
            done, ran = _run_handlers(claimed, touched)
        finally:
            _touched_in_batch.reset(token)
        _mark_done(done)
    return ran


def _claim(size: int) -> list[Deadline]:
    query = Deadline.objects.filter(state=Deadline.State.PENDING, due_at__lte=clock.now()).order_by("due_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        query = query.select_for_update(skip_locked=True)
    return list(query.defer("last_error")[:size])


def _run_handlers(claimed: list[Deadline], touched: set[tuple[str, int]]) -> tuple[list[Deadline], int]:
    """Run the claimed rows' handlers until the batch's time is up; (the ones that succeeded, how many ran)."""
    started = time.monotonic()
    done, claimed = _run_bulk_handlers(claimed)
    ran = len(done)
    for deadline in claimed:
        if ran and time.monotonic() - started >= BATCH_SECONDS:
            break  # the rest stay pending and are unlocked by the commit
        if (deadline.kind, deadline.subject_id) in touched and not _still_due(deadline):
            continue
        error = _run_handler(deadline)
        if error is None:
            done.append(deadline)
        else:
            _postpone(deadline, error)
        ran += 1
    return done, ran


def _run_bulk_handlers(claimed: list[Deadline]) -> tuple[list[Deadline], list[Deadline]]:
    """(the rows bulk handlers applied, the rows left for one-by-one handlers), in claim order."""
    applied: set[int] = set()
    for kind, fn in _bulk_handlers.items():
        rows = {row.subject_id: row for row in claimed if row.kind == kind}
        if not rows:
            continue
        try:
            with transaction.atomic():
                left = set(fn(list(rows)))
        except Exception:
            log.exception("bulk deadlines of %s failed; each runs on its own", kind)
            continue
        applied.update(row.pk for subject_id, row in rows.items() if subject_id not in left)
    return [row for row in claimed if row.pk in applied], [row for row in claimed if row.pk not in applied]


def _still_due(deadline: Deadline) -> bool:
    """Read again a claimed row that an earlier handler of the batch moved, re-armed or cancelled."""
    fresh = (
        Deadline.objects.filter(pk=deadline.pk, state=Deadline.State.PENDING, due_at__lte=clock.now())
        .values_list("due_at", "attempts")
        .first()
    )
    if fresh is None:
        return False
    deadline.due_at, deadline.attempts = fresh
    return True


def _run_handler(deadline: Deadline) -> str | None:
    """Run one handler in its own savepoint; the traceback of its failure, or None."""
    fn = _handlers.get(deadline.kind)
    try:
        with transaction.atomic():
            if fn is None:
                raise LookupError(f"no handler registered for deadline kind {deadline.kind!r}")
            fn(deadline.subject_id)
    except Exception:
        log.exception("deadline %s#%s failed", deadline.kind, deadline.subject_id)
        return traceback.format_exc()
    return None


def _mark_done(done: list[Deadline]) -> None:
    """One UPDATE for the batch, matching each row on its id and the due time it was claimed with: a handler
    that moved its own deadline (a retry it manages itself) changed that time, so its row stays pending at the
    new one. Row values in raw SQL because the same filter as 100 `Q` objects costs more than the handlers."""
    if not done:
        return
    table, adapt = connection.ops.quote_name(Deadline._meta.db_table), connection.ops.adapt_datetimefield_value
    rows = ", ".join(["(%s, %s)"] * len(done))
    params: list[Any] = [Deadline.State.DONE.value, adapt(clock.now())]
    for row in done:
        params += [row.pk, adapt(row.due_at)]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET state = %s, done_at = %s WHERE (id, due_at) IN (VALUES {rows})", params)


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
