"""Every state change records an event in the same transaction; reports and scores read these, never guess."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from anxin.core import clock
from anxin.core.models import Event


def subject_type_of(subject: models.Model) -> str:
    return subject._meta.label_lower


def record(kind: str, subject: models.Model, data: dict[str, Any] | None = None, *, actor: Any = None) -> Event:
    """Record one event about `subject`; call it inside the transaction that made the change."""
    return Event.objects.create(
        kind=kind,
        subject_type=subject_type_of(subject),
        subject_id=subject.pk,
        actor_id=getattr(actor, "pk", None),
        data=data or {},
        at=clock.now(),
    )


def record_many(
    kind: str, subjects: Iterable[models.Model], data: dict[str, Any] | None = None, *, actor: Any = None
) -> list[Event]:
    """One insert for the same event about many subjects (a checkout creating several orders)."""
    at = clock.now()
    rows = [
        Event(
            kind=kind,
            subject_type=subject_type_of(subject),
            subject_id=subject.pk,
            actor_id=getattr(actor, "pk", None),
            data=data or {},
            at=at,
        )
        for subject in subjects
    ]
    return Event.objects.bulk_create(rows)


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What an edit changed, old and new side by side (an update event's payload): reports read history
    from events only, so the old value has to be kept here."""
    return {
        key: {"before": before.get(key), "after": value} for key, value in after.items() if before.get(key) != value
    }


def for_subject(subject: models.Model) -> models.QuerySet[Event]:
    return Event.objects.filter(subject_type=subject_type_of(subject), subject_id=subject.pk).order_by("at", "id")
