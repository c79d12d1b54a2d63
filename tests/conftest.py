"""Shared test set-up: a clean clock for every test, and the factories in tests/factories.py."""

import pytest

from anxin.core import clock, config


@pytest.fixture(autouse=True)
def _clean_clock_and_config():
    clock.reset()
    config.invalidate()
    yield
    clock.reset()
    config.invalidate()
