"""Shops' SKUs and ops' campaigns for the enrollment tests."""

from datetime import timedelta

from anxin.core import clock
from anxin.guarantee.models import Campaign
from anxin.guarantee.services import enrollment
from tests import factories as f


def campaign(ops=None, *, multiplier: int = 2, days: int = 7, starts_in: timedelta = timedelta(0)) -> Campaign:
    starts = clock.now() + starts_in
    return enrollment.create_campaign(
        ops or f.ops(),
        name="双十二双倍赔",
        multiplier=multiplier,
        starts_at=starts,
        ends_at=starts + timedelta(days=days),
    )
