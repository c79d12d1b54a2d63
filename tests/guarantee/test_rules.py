"""买贵必赔 rules: the window's edges, each exclusion, the caps, the multiplier, fen arithmetic and the
three-way decision."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from anxin.guarantee import rules

PAID = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LIMITS = rules.Limits()
NO_HISTORY = rules.BuyerHistory(paid_claims=0, paid_fen=0, url_buyers=1, screenshot_buyers=0)
LINE = rules.LineFacts(
    paid_at=PAID,
    open=True,
    unit_price_fen=10000,
    quantity=2,
    total_fen=20000,
    discount_fen=0,
    refunded_fen=0,
    compensated_fen=0,
    enrolled_multiplier=1,
    paid_claim=False,
)


def capture(price_fen=9000, *, shipping_fen=0, price_type="regular", age=timedelta(hours=1), day=(3, 2)):
    return rules.OfferFacts(price_fen, shipping_fen, price_type, PAID + timedelta(hours=2) - age, day)


def decide(line=LINE, *, at=PAID + timedelta(hours=2), seen=9000, offer=None, match=rules.Match.SAME, history=None):
    return rules.decide(line, at, seen, offer if offer is not None else capture(), match, history or NO_HISTORY, LIMITS)


@pytest.mark.parametrize(
    ("at", "inside"),
    [
        (PAID, True),
        (PAID + timedelta(days=7), True),
        (PAID + timedelta(days=7, microseconds=1), False),
        (PAID - timedelta(microseconds=1), False),
    ],
)
def test_the_window_is_seven_days_from_payment_both_ends_included(at, inside):
    assert rules.in_window(PAID, at, 7) is inside


def test_a_claim_after_the_window_is_refused_with_the_days():
    verdict = decide(at=PAID + timedelta(days=7, seconds=1))
    assert (verdict.state, verdict.reason.code) == (rules.State.REJECTED, "claim_out_of_window")
    assert verdict.reason.params == {"days": 7}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"enrolled_multiplier": 0}, "claim_not_enrolled"),
        ({"paid_claim": True}, "claim_already_compensated"),
        ({"refunded_fen": 20000}, "claim_refunded"),
        ({"open": False}, "claim_refunded"),
        ({"paid_at": None}, "claim_refunded"),
        ({"compensated_fen": 20000}, "claim_nothing_left"),
    ],
)
def test_each_exclusion_refuses_with_its_code(change, code):
    verdict = decide(replace(LINE, **change))
    assert (verdict.state, verdict.reason.code, verdict.compensation_fen) == (rules.State.REJECTED, code, 0)


def test_a_price_seen_not_lower_than_paid_is_refused():
    assert decide(seen=10000).reason.code == "claim_not_lower"


@pytest.mark.parametrize(
    ("offer", "code"),
    [
        (capture(price_type="member"), "claim_not_comparable"),
        (capture(price_type="group_buy"), "claim_not_comparable"),
        (capture(price_type="flash"), "claim_not_comparable"),
        (capture(day=(11, 11)), "claim_mega_promotion"),
        (capture(day=(6, 18)), "claim_mega_promotion"),
        (capture(price_fen=9800, shipping_fen=200), "claim_feed_not_lower"),
    ],
)
def test_the_feed_refuses_prices_not_comparable_or_not_lower(offer, code):
    verdict = decide(offer=offer)
    assert (verdict.state, verdict.reason.code) == (rules.State.REJECTED, code)


def test_comparable_price_includes_shipping():
    assert rules.comparable_fen(9000, 500) == 9500
    assert decide(offer=capture(9000, shipping_fen=500), seen=9000).compensation_fen == (10000 - 9500) * 2


def test_a_confidently_different_product_is_refused_before_the_feed_is_looked_at():
    verdict = decide(match=rules.Match.DIFFERENT, offer=capture(5000))
    assert (verdict.state, verdict.reason.code, verdict.compensation_fen) == (
        rules.State.REJECTED,
        "claim_different_product",
        0,
    )


def test_a_fresh_lower_capture_and_a_sure_match_approve_the_difference_times_quantity():
    verdict = decide()
    assert (verdict.state, verdict.compensation_fen, verdict.comparable_fen) == (rules.State.APPROVED, 2000, 9000)


def test_double_compensation_campaigns_pay_twice_the_difference():
    assert decide(replace(LINE, enrolled_multiplier=2)).compensation_fen == 4000


def test_the_buyers_higher_price_seen_limits_what_is_paid():
    assert decide(seen=9500).compensation_fen == 1000


@pytest.mark.parametrize(
    ("offer", "match"),
    [(None, rules.Match.SAME), (capture(age=timedelta(hours=24)), rules.Match.SAME), (capture(), rules.Match.UNSURE)],
)
def test_no_fresh_capture_or_an_unsure_matcher_goes_to_a_person(offer, match):
    verdict = rules.decide(LINE, PAID + timedelta(hours=2), 9000, offer, match, NO_HISTORY, LIMITS)
    assert (verdict.state, verdict.reason.code, verdict.reason.params) == (
        rules.State.REVIEW,
        "claim_review",
        {"hours": 48},
    )


def test_a_capture_23_hours_old_is_fresh():
    assert decide(offer=capture(age=timedelta(hours=23, minutes=59))).state == rules.State.APPROVED


@pytest.mark.parametrize(
    ("urls", "shots", "signals"),
    [(4, 0, ("same_url_many_buyers",)), (1, 4, ("same_screenshot_many_buyers",)), (3, 3, ())],
)
def test_more_than_three_buyers_on_one_url_or_screenshot_send_it_to_a_person(urls, shots, signals):
    verdict = decide(history=rules.BuyerHistory(0, 0, url_buyers=urls, screenshot_buyers=shots))
    assert verdict.signals == signals
    assert verdict.state == (rules.State.REVIEW if signals else rules.State.APPROVED)


def test_the_fifth_paid_claim_in_30_days_is_the_last():
    assert decide(history=rules.BuyerHistory(4, 0, 1)).state == rules.State.APPROVED
    verdict = decide(history=rules.BuyerHistory(5, 0, 1))
    assert (verdict.state, verdict.reason.code) == (rules.State.REJECTED, "claim_cap_claims")


def test_the_money_cap_pays_the_remainder_then_refuses():
    assert decide(history=rules.BuyerHistory(1, 2000_00 - 500, 1)).compensation_fen == 500
    assert decide(history=rules.BuyerHistory(1, 2000_00, 1)).reason.code == "claim_cap_money"


def test_compensation_is_capped_at_what_is_left_of_the_line():
    line = replace(LINE, quantity=1, total_fen=10000, compensated_fen=9900)
    assert rules.compensation_fen(line, 1000, 2) == 100


def test_compensation_uses_the_unit_paid_after_coupons_in_whole_fen():
    line = replace(LINE, quantity=3, total_fen=30000, discount_fen=1000)  # 29000 / 3 = 9666.67 -> 9666
    assert line.paid_unit_fen == 9666
    assert rules.compensation_fen(line, 9000, 1) == 666 * 3


def test_units_refunded_whole_are_not_compensated():
    line = replace(LINE, refunded_fen=10000)
    assert rules.compensation_fen(line, 9000, 1) == 1000


@pytest.mark.parametrize(("fen", "ok"), [(0, False), (-1, False), (1, True), (100_000_00, True), (100_000_01, False)])
def test_a_price_seen_is_between_one_fen_and_100000_yuan(fen, ok):
    assert (rules.price_problem(fen) is None) is ok


@pytest.mark.parametrize(
    ("platform", "url", "field", "code"),
    [
        ("jd", "http://item.jd.com/1.html", "url", "listing_url_not_https"),
        ("jd", "https://item.taobao.com/1.html", "url", "listing_not_on_platform"),
        ("jd", "not a url", "url", "listing_url_not_https"),
        ("ebay", "https://ebay.com/1", "platform", "unknown_platform"),
    ],
)
def test_the_listing_must_be_on_the_platforms_own_https_site(platform, url, field, code):
    assert rules.evidence_problems(platform, url, "标题", "")[field].code == code


def test_the_review_is_due_48_hours_after_filing():
    assert rules.review_due(PAID, LIMITS) == PAID + timedelta(hours=48)
