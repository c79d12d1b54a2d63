"""The shared template helpers: the delivery promise as a date range."""

from datetime import date

import pytest
from django.utils import translation

from anxin.web.templatetags.anxin_web import promise_text

pytestmark = pytest.mark.django_db


def test_a_promise_reads_as_a_date_range_within_and_across_months():
    assert promise_text(date(2026, 11, 27), date(2026, 11, 29)) == "预计 11月27日–29日送达"
    assert promise_text(date(2026, 11, 30), date(2026, 12, 2)) == "预计 11月30日–12月2日送达"
    assert promise_text(date(2026, 12, 31), date(2027, 1, 2)) == "预计 12月31日–1月2日送达"
    with translation.override("en"):
        assert promise_text(date(2026, 11, 27), date(2026, 11, 29)) == "Estimated delivery Nov 27–29"
        assert promise_text(date(2026, 11, 30), date(2026, 12, 2)) == "Estimated delivery Nov 30–Dec 2"
    assert promise_text(None, None) == ""
