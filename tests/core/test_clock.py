from datetime import UTC, datetime, timedelta

import pytest

from anxin.core import clock


def test_frozen_clock_stands_still_and_advances_on_request():
    at = datetime(2026, 11, 11, 0, 0, tzinfo=UTC)
    clock.freeze(at)
    assert clock.now() == at
    clock.advance(timedelta(minutes=31))
    assert clock.now() == at + timedelta(minutes=31)


def test_running_clock_can_be_moved_forward():
    before = clock.now()
    clock.advance(timedelta(days=7))
    assert clock.now() - before >= timedelta(days=7)


def test_reset_returns_to_real_time():
    clock.freeze(datetime(2020, 1, 1, tzinfo=UTC))
    clock.reset()
    assert clock.now().year >= 2026


def test_freeze_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        clock.freeze(datetime(2026, 1, 1))
