"""价保 rules: the window, the lowest list price in it from the price history, and what a line is owed."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from anxin.guarantee import rules_protection as rules

PAID = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def facts(**changes) -> rules.LineFacts:
    base = rules.LineFacts(
        paid_at=PAID,
        days=7,
        open=True,
        list_unit_fen=10000,
        unit_price_fen=10000,
        quantity=2,
        refunded_fen=0,
        compensated_fen=0,
        protected_fen=0,
    )
    return replace(base, **changes)


def change(days: float, before: int, after: int) -> rules.Change:
    return rules.Change(PAID + timedelta(days=days), before, after)


def test_window_is_a_duration_from_payment():
    window = rules.window(PAID, 15)
    assert (window.start, window.end) == (PAID, PAID + 15 * DAY)
    assert window.contains(PAID + 15 * DAY) and not window.contains(PAID + 15 * DAY + timedelta(seconds=1))


def test_lowest_is_the_lowest_price_in_effect_inside_the_window():
    history = [change(1, 10000, 9000), change(2, 9000, 9500), change(3, 9500, 8000)]
    assert rules.lowest_list_price(history, rules.window(PAID, 7), 8000) == 8000


def test_a_drop_after_the_window_does_not_count():
    history = [change(1, 10000, 9000), change(8, 9000, 5000)]
    assert rules.lowest_list_price(history, rules.window(PAID, 7), 5000) == 9000


def test_the_price_at_payment_is_the_one_before_the_first_later_change():
    """Dropped between placing and paying: the buyer paid more than the price at payment."""
    assert rules.lowest_list_price([change(2, 9000, 9900)], rules.window(PAID, 7), 9900) == 9000
    assert rules.lowest_list_price([], rules.window(PAID, 7), 9500) == 9500


def test_the_value_in_effect_at_a_moment_comes_from_the_first_later_change():
    history = [change(-3, 0, 30), change(2, 30, 0)]
    assert rules.in_effect_at(history, PAID, 0) == 30
    assert rules.in_effect_at(history, PAID + 3 * DAY, 0) == 0


def test_owed_is_the_difference_on_units_kept_less_what_was_paid():
    assert rules.owed_fen(facts(), 9000) == 2000
    assert rules.owed_fen(facts(protected_fen=2000), 8000) == 2000
    assert rules.owed_fen(facts(refunded_fen=10000), 9000) == 1000  # one unit refunded whole
    assert rules.owed_fen(facts(refunded_fen=3000), 9000) == 2000  # a partial refund keeps the unit


def test_owed_is_never_negative_nor_beyond_what_is_left_of_what_was_paid():
    assert rules.owed_fen(facts(protected_fen=2000), 9500) == 0
    assert rules.owed_fen(facts(compensated_fen=19500), 1) == 500
    assert rules.owed_fen(facts(open=False), 9000) == 0


def test_the_list_price_paid_leaves_personalization_out():
    assert rules.owed_fen(facts(unit_price_fen=12000, list_unit_fen=10000), 9000) == 2000


def test_assess_explains_why_nothing_is_owed():
    now = PAID + DAY
    assert rules.assess(facts(days=0), [], 10000, now).refusal.code == "protection_not_offered"
    assert rules.assess(facts(paid_at=None), [], 10000, now).refusal.code == "protection_not_eligible"
    assert rules.assess(facts(open=False), [], 9000, now).refusal.code == "protection_not_eligible"
    assert rules.assess(facts(), [], 10000, now).refusal.code == "protection_not_lower"
    assert rules.assess(facts(), [], 10000, PAID + 8 * DAY).refusal.code == "protection_expired"
    paid_down = rules.assess(facts(protected_fen=2000), [change(1, 10000, 9000)], 9000, now)
    assert paid_down.refusal.code == "protection_already_paid"


def test_assess_pays_a_drop_inside_the_window_even_when_asked_after_it():
    owed = rules.assess(facts(), [change(1, 10000, 9000)], 9000, PAID + 30 * DAY)
    assert (owed.owed_fen, owed.lowest_fen, owed.refusal) == (2000, 9000, None)
