"""The programme's figures on a handful of claims and payouts with known outcomes and times."""

from datetime import date, timedelta

import pytest

from anxin.core import clock, ledger
from anxin.core.pages import Days
from anxin.guarantee.queries import figures as queries
from tests.guarantee.figures_support import NOON, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _beijing_noon():
    clock.freeze(NOON)
    yield
    clock.reset()


@pytest.fixture
def world() -> dict:
    return build_world()


def days(first: date, last: date) -> queries.Figures:
    window = Days(first, last)
    return queries.figures(window.since, window.until, window.dates(), clock.now())


def test_counts_outcomes_speed_and_automation_of_the_claims_in_the_days(world):
    found = days(date(2026, 11, 19), date(2026, 11, 20))
    assert (found.claims, found.decided, found.decided_auto) == (4, 3, 2)
    assert (found.approved, found.rejected, found.in_review, found.overdue) == (2, 1, 1, 0)
    assert found.auto_share == pytest.approx(2 / 3)
    assert found.median_decision_seconds == 60  # 1 min, 1 min, 3 h
    assert found.median_manual_seconds == 3 * 3600
    assert found.paid_fen == 800
    assert found.claims_per_day == [(date(2026, 11, 19), 0), (date(2026, 11, 20), 4)]
    assert found.rejected_by_reason == [("claim_not_lower", 1)]


def test_a_wider_window_takes_the_older_claim_and_a_review_past_48_hours_is_overdue(world):
    clock.advance(timedelta(hours=49))
    found = days(date(2026, 11, 18), date(2026, 11, 20))
    assert (found.claims, found.rejected, found.overdue) == (5, 2, 1)
    assert found.rejected_by_reason == [("claim_not_enrolled", 1), ("claim_not_lower", 1)]


def test_money_is_grouped_by_who_paid_it_claims_and_price_protection_together(world):
    found = days(date(2026, 11, 20), date(2026, 11, 20))
    merchant = ledger.merchant_payable(world["b"].merchant_id)
    by_account = {payer.account: (payer.claims_fen, payer.protection_fen) for payer in found.payers}
    assert by_account == {merchant: (300, 1000), ledger.PLATFORM_COMPENSATION: (500, 0)}
    assert [payer.label for payer in found.payers] == [world["b"].merchant.name, "平台赔付账户"]
    assert (found.protection_payouts, found.protection_fen, found.protection_auto) == (1, 1000, 1)
    assert found.protection_per_day == [(date(2026, 11, 20), 1000)]


def test_top_skus_count_claims_and_what_was_paid(world):
    top = days(date(2026, 11, 20), date(2026, 11, 20)).top_skus
    assert len(top) == 4
    paid = {row.sku_id: (row.claims, row.approved, row.paid_fen) for row in top}
    assert paid[world["a"].lines.get().sku_id] == (1, 1, 500)
    assert paid[world["b"].lines.get().sku_id] == (1, 1, 300)


def test_no_claims_in_the_days_gives_zeros_and_no_medians():
    found = days(date(2026, 11, 1), date(2026, 11, 2))
    assert (found.claims, found.paid_fen, found.protection_fen) == (0, 0, 0)
    assert found.auto_share is None and found.median_decision_seconds is None
    assert found.payers == [] and found.top_skus == []
