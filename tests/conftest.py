"""Shared test set-up: a clean clock, settings and geography cache for every test (factories: tests/factories.py)."""

import pytest

from anxin.core import clock, config, ledger
from anxin.shipping.queries import forget_geography


@pytest.fixture(autouse=True)
def _clean_clock_and_config():
    clock.reset()
    config.invalidate()
    forget_geography()
    ledger.forget_cached_accounts()
    yield
    clock.reset()
    config.invalidate()
    forget_geography()
    ledger.forget_cached_accounts()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Tests make many users; a cheap hasher keeps them quick (hashing and checking still run for real)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded and demo pictures go to the test's own folder, never into the working tree's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
