"""The worker runs the audit every 10 minutes and keeps the result for the ops console; `anxin audit` still
runs it live."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from anxin.core import audit, clock, deadlines
from anxin.core.models import AuditRun, Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()


def pending_audits():
    return list(Deadline.objects.filter(kind=audit.AUDIT_JOB, state=Deadline.State.PENDING))


def test_arming_schedules_one_run_a_minute_away_and_arming_again_adds_none():
    audit.arm()
    audit.arm()
    [due] = pending_audits()
    assert due.due_at == clock.now() + timedelta(minutes=1)
    assert AuditRun.objects.count() == 0


def test_the_run_stores_every_checks_result_and_arms_the_next_one_ten_minutes_later():
    audit.arm()
    clock.advance(timedelta(minutes=1))
    assert deadlines.run_due() == 1
    run = audit.last_run()
    assert run is not None and run.ran_at == clock.now() and run.breaches == 0
    assert set(run.problems) == set(audit.run_all())
    [due] = pending_audits()
    assert due.due_at == clock.now() + audit.AUDIT_EVERY
    clock.advance(audit.AUDIT_EVERY)
    assert deadlines.run_due() == 1
    assert AuditRun.objects.count() == 2
    # the done deadline of the first run is dropped; the second's is done, the third pending
    assert Deadline.objects.filter(kind=audit.AUDIT_JOB).count() == 2 and len(pending_audits()) == 1


def test_a_run_keeps_the_breaches_it_found(monkeypatch):
    monkeypatch.setitem(audit._checks, "test: always breached", lambda: ["order X is wrong"])
    run = audit.run_and_store()
    assert run.problems["test: always breached"] == ["order X is wrong"] and run.breaches == 1


def test_only_the_last_day_of_runs_is_kept():
    for _ in range(audit.KEPT_RUNS + 3):
        audit.run_and_store()
        clock.advance(timedelta(minutes=10))
    assert AuditRun.objects.count() == audit.KEPT_RUNS


def test_the_worker_arms_the_audit_when_it_starts(capsys):
    call_command("worker", "--once")
    assert len(pending_audits()) == 1
    assert AuditRun.objects.count() == 0  # not due yet: the business deadlines of this pass come first


def test_the_audit_command_still_runs_live_and_stores_nothing(capsys):
    call_command("audit")
    assert "audit: clean" in capsys.readouterr().out
    assert AuditRun.objects.count() == 0
