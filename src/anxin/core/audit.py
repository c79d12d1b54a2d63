"""`anxin audit`: every invariant the platform promises, checked against the data as it is.

Each domain registers its checks in its own `audit.py`; a check returns a list of breaches, one line each,
naming the object, so an operator can go straight to it.
"""

from collections.abc import Callable
from datetime import timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anxin.core import clock, deadlines, ledger
from anxin.core.models import AuditRun, Deadline

Check = Callable[[], list[str]]
_checks: dict[str, Check] = {}
_labels: dict[str, Promise] = {}


def check(name: str, label: Promise) -> Callable[[Check], Check]:
    """Register a check under `name` (the stable key stored with each run) and `label`, what it checks in
    words for the ops console, translated in the request's language."""

    def register(fn: Check) -> Check:
        _checks[name] = fn
        _labels[name] = label
        return fn

    return register


def label(name: str) -> str:
    """A check's name in words; a check stored by an older run and since renamed keeps its stored name."""
    return str(_labels.get(name, name))


def run_all() -> dict[str, list[str]]:
    """Check name -> breaches found (an empty list when the check passes)."""
    return {name: fn() for name, fn in sorted(_checks.items())}


@check("ledger: every transaction balances", _("账本：每笔交易借贷平衡"))
def ledger_balances() -> list[str]:
    return [f"transaction {key} sums to {total} fen, not 0" for key, total in ledger.unbalanced_transactions()]


# --- the worker's recurring run -------------------------------------------------------------------------------

AUDIT_JOB = "core.audit"
AUDIT_EVERY = timedelta(minutes=10)
KEPT_RUNS = 144  # a day of runs


def run_and_store() -> AuditRun:
    """Run every check and keep the result (the last day of runs) for the ops console."""
    run = AuditRun.objects.create(ran_at=clock.now(), problems=run_all())
    stale = AuditRun.objects.order_by("-ran_at", "-id").values_list("pk", flat=True)[KEPT_RUNS:]
    AuditRun.objects.filter(pk__in=list(stale)).delete()
    return run


def last_run() -> AuditRun | None:
    return AuditRun.objects.order_by("-ran_at", "-id").first()


def arm(delay: timedelta = timedelta(minutes=1)) -> None:
    """Make sure a run is pending (called when the worker starts): the first one `delay` from now."""
    if not Deadline.objects.filter(kind=AUDIT_JOB, state=Deadline.State.PENDING).exists():
        deadlines.schedule(AUDIT_JOB, 0, clock.now() + delay)


@deadlines.handler(AUDIT_JOB)
def run_and_rearm(subject_id: int) -> None:
    """The deadline's handler: run, store, and arm the next run under the new run's id (the worker marks this
    deadline done after the handler returns, so the next one is a row of its own; done ones are dropped)."""
    run = run_and_store()
    Deadline.objects.filter(kind=AUDIT_JOB, state=Deadline.State.DONE).delete()
    deadlines.schedule_new(AUDIT_JOB, run.pk, run.ran_at + AUDIT_EVERY)
