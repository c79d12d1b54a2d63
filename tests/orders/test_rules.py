"""The pure order rules the pages lean on: the unpaid order's countdown."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anxin.orders import rules

PAY_BY = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "left,seconds",
    [
        (timedelta(minutes=19, seconds=41), 1181),
        (timedelta(seconds=0.2), 1),
        (timedelta(0), 0),
        (-timedelta(hours=1), 0),
    ],
)
def test_seconds_to_pay_round_up_and_never_go_below_zero(left, seconds):
    assert rules.seconds_to_pay(PAY_BY, PAY_BY - left) == seconds


@pytest.mark.parametrize("seconds,text", [(1181, "19:41"), (59, "00:59"), (0, "00:00"), (3900, "1:05:00")])
def test_the_countdown_reads_minutes_and_seconds_and_hours_past_an_hour(seconds, text):
    assert rules.countdown_text(seconds) == text


def test_refunds_are_cash_in_proportion_and_a_full_refund_returns_exactly_the_cash():
    # a line of ¥30.00 of which ¥10.00 a coupon paid: ¥20.00 cash
    assert rules.cash_of_refund(0, 1000, 3000, 1000) == 666
    assert rules.cash_of_refund(1000, 3000, 3000, 1000) == 2000 - 666
    assert rules.cash_refunded(3000, 3000, 1000) == 2000
    assert rules.cash_refunded(3000, 3000, 0) == 3000


@given(st.integers(1, 10**6), st.data())
def test_partial_refunds_add_up_to_the_lines_cash(total, data):
    discount = data.draw(st.integers(0, total - 1))
    cuts = sorted(data.draw(st.lists(st.integers(0, total), max_size=5)))
    steps = [0, *cuts, total]
    parts = [rules.cash_of_refund(a, b, total, discount) for a, b in zip(steps, steps[1:], strict=False)]
    assert all(part >= 0 for part in parts)
    assert sum(parts) == total - discount


def test_the_coupon_part_goes_back_to_its_funders_in_proportion():
    funding = {"merchant:1:payable": 300, "platform:campaigns": 700}
    assert rules.split_by_funder(funding, 0, 100) == {"merchant:1:payable": 30, "platform:campaigns": 70}
    assert rules.split_by_funder(funding, 100, 1000) == {"merchant:1:payable": 270, "platform:campaigns": 630}
    assert rules.split_by_funder({}, 0, 0) == {}


@given(st.integers(1, 10**5), st.integers(1, 10**5), st.lists(st.integers(0, 2 * 10**5), max_size=5))
def test_split_by_funder_is_never_negative_and_returns_each_funder_its_part(a, b, cuts):
    funding = {"merchant:1:payable": a, "platform:campaigns": b}
    steps = [0, *sorted(min(c, a + b) for c in cuts), a + b]
    totals = dict.fromkeys(funding, 0)
    for before, after in zip(steps, steps[1:], strict=False):
        for account, fen in rules.split_by_funder(funding, before, after).items():
            assert fen >= 0
            totals[account] += fen
    assert totals == funding


def test_a_full_refund_deducts_the_compensation_already_paid_never_beyond_its_cash():
    assert rules.compensation_deducted(2000, 300, fully_refunded=True) == 300
    assert rules.compensation_deducted(2000, 300, fully_refunded=False) == 0
    assert rules.compensation_deducted(200, 300, fully_refunded=True) == 200
