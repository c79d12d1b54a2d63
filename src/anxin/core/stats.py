"""Figures computed in the database that the ops figures pages of several apps share."""

from django.db.models import DurationField, ExpressionWrapper, F, QuerySet


def median_seconds(rows: QuerySet, since: str, until: str) -> float | None:
    """The median of `until - since` over `rows` (None when there are none), in the database: order by the
    wait, count, then read the one or two middle rows, whatever the number of rows."""
    waits = (
        rows.annotate(wait=ExpressionWrapper(F(until) - F(since), output_field=DurationField()))
        .order_by("wait")
        .values_list("wait", flat=True)
    )
    n = waits.count()
    if not n:
        return None
    middle = list(waits[(n - 1) // 2 : n // 2 + 1])
    return sum(wait.total_seconds() for wait in middle) / len(middle)
