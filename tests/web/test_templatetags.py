"""The shared template helpers: the delivery promise as a date range."""

from datetime import date

import pytest
from django.utils import translation

from anxin.web.templatetags.anxin_web import promise_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Many users are made here; a cheap hasher keeps the tests quick (no password is ever checked)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def editor_data(**changes) -> dict:
    data = {
        "name": "江浙沪包邮",
        "mode": "weight",
        "first_units": "1000",
        "first_yuan": "8",
        "step_units": "1000",
        "step_yuan": "3.00",
        "region_rows": "1",
        "r0_provinces": ["11", "12"],
        "r0_first": "12",
        "r0_step": "5",
        "free_rows": "1",
        "f0_provinces": ["31", "32", "33"],
        "f0_kind": "always",
        "f0_threshold": "",
        "excluded_provinces": ["54"],
        "action": "save",
    }
    data.update(changes)
    return data


def editor_service_data() -> dict:
    return {"name": "T", "mode": "piece", "first_units": 1, "first_fen": 500, "step_units": 1, "step_fen": 200}


def program_post(**changes) -> dict:
    data = {"leg2_first_kg": "7.00", "leg2_next_kg": "2.50"}
    for code in ("150000", "540000", "620000", "630000", "640000", "650000"):
        data[f"remote_{code}"] = "1"
        data[f"hub_{code}"] = "610100"
    data.update(changes)
    return data


def test_a_promise_reads_as_a_date_range_within_and_across_months():
    assert promise_text(date(2026, 11, 27), date(2026, 11, 29)) == "预计 11月27日–29日送达"
    assert promise_text(date(2026, 11, 30), date(2026, 12, 2)) == "预计 11月30日–12月2日送达"
    assert promise_text(date(2026, 12, 31), date(2027, 1, 2)) == "预计 12月31日–1月2日送达"
    with translation.override("en"):
        assert promise_text(date(2026, 11, 27), date(2026, 11, 29)) == "Estimated delivery Nov 27–29"
        assert promise_text(date(2026, 11, 30), date(2026, 12, 2)) == "Estimated delivery Nov 30–Dec 2"
    assert promise_text(None, None) == ""
