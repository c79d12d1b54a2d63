"""Secrets are never the ones in the source: each installation makes its own unless one is set."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from anxin.settings import installation_secret


def test_a_fresh_installation_makes_a_random_key_once_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.delenv("ANXIN_PAYMENT_SIGNING_KEY", raising=False)
    first = installation_secret("ANXIN_PAYMENT_SIGNING_KEY", tmp_path, debug=False)
    again = installation_secret("ANXIN_PAYMENT_SIGNING_KEY", tmp_path, debug=False)
    other = installation_secret("ANXIN_PAYMENT_SIGNING_KEY", tmp_path / "elsewhere", debug=False)
    assert first == again and len(first) >= 40
    assert other != first
    assert (tmp_path / "anxin_payment_signing_key.key").stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_key_set_in_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("ANXIN_SECRET_KEY", "s3cret-from-the-operator")
    assert installation_secret("ANXIN_SECRET_KEY", tmp_path, debug=False) == "s3cret-from-the-operator"
    assert list(tmp_path.iterdir()) == []


def test_a_published_key_refuses_to_start_unless_debugging(tmp_path, monkeypatch):
    monkeypatch.setenv("ANXIN_SECRET_KEY", "anxin-embedded-default-not-for-production")
    with pytest.raises(ImproperlyConfigured, match="published development key"):
        installation_secret("ANXIN_SECRET_KEY", tmp_path, debug=False)
    assert installation_secret("ANXIN_SECRET_KEY", tmp_path, debug=True) == "anxin-embedded-default-not-for-production"


def test_every_environment_variable_the_code_reads_has_a_row_in_the_readme():
    root = Path(__file__).resolve().parents[2]
    read = re.compile(r'(?:environ\.get|getenv|env_bool|installation_secret)\(\s*"([A-Z][A-Z0-9_]+)"')
    names = {name for path in (root / "src" / "anxin").rglob("*.py") for name in read.findall(path.read_text())}
    readme = (root / "README.md").read_text()
    assert {"ANXIN_BIND", "DATABASE_URL", "ANXIN_HTTPS"} <= names
    assert sorted(name for name in names if f"| `{name}` |" not in readme) == []
