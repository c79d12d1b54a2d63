"""RULES §5 boundaries as pure functions: windows in Asia/Shanghai days, amounts, standing, the state machine."""

from datetime import UTC, datetime, timedelta

import pytest

from anxin.aftersales import rules

# 2026-03-01 10:00 in Shanghai
DELIVERED = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def facts(**changes) -> rules.LineFacts:
    base = dict(
        order_state="delivered",
        delivered_at=DELIVERED,
        personalised=False,
        made=False,
        fresh=False,
        no_reason_return="yes",
        refundable_fen=10000,
        cases_so_far=0,
        has_open_case=False,
    )
    return rules.LineFacts(**{**base, **changes})


def shanghai(day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=rules.LOCAL)


def test_the_seven_day_window_ends_at_midnight_closing_the_eighth_shanghai_day():
    assert rules.reason_problem(rules.NO_REASON, rules.RETURN_REFUND, facts(), shanghai(8, 23, 59, 59)) is None
    late = rules.reason_problem(rules.NO_REASON, rules.RETURN_REFUND, facts(), shanghai(9))
    assert late is not None and late.code == "window_passed"


def test_the_fifteen_day_window_ends_at_midnight_closing_the_sixteenth_shanghai_day():
    assert rules.type_problem(rules.REFUND_ONLY, facts(), shanghai(16, 23, 59, 59)) is None
    late = rules.type_problem(rules.REFUND_ONLY, facts(), shanghai(17))
    assert late is not None and late.code == "window_passed"


def test_a_delivery_just_before_shanghai_midnight_counts_that_day():
    # 23:30 on 1 March in Shanghai is 15:30 UTC; the window still closes at midnight ending 8 March.
    late_evening = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)
    assert rules.window_end(late_evening, 7) == shanghai(9)
    just_after = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # 00:30 on 2 March in Shanghai
    assert rules.window_end(just_after, 7) == shanghai(10)


def test_rotten_is_allowed_within_48_hours_of_delivery_only():
    fresh = facts(fresh=True)
    assert (
        rules.reason_problem(rules.ROTTEN, rules.REFUND_ONLY, fresh, DELIVERED + timedelta(hours=47, minutes=59))
        is None
    )
    late = rules.reason_problem(rules.ROTTEN, rules.REFUND_ONLY, fresh, DELIVERED + timedelta(hours=48))
    assert late is not None and late.code == "window_passed"
    not_fresh = rules.reason_problem(rules.ROTTEN, rules.REFUND_ONLY, facts(), DELIVERED)
    assert not_fresh is not None and not_fresh.code == "not_fresh"


@pytest.mark.parametrize(("amount", "photos", "at_once"), [(20000, 1, True), (20001, 1, False), (20000, 0, False)])
def test_rotten_is_approved_at_once_up_to_200_yuan_with_a_photo(amount, photos, at_once):
    assert (
        rules.approved_at_once(rules.REFUND_ONLY, rules.ROTTEN, amount_fen=amount, photos=photos, made=False) is at_once
    )


@pytest.mark.parametrize(("amount", "eligible"), [(150000, True), (150001, False)])
def test_instant_refund_up_to_1500_yuan(amount, eligible):
    good = rules.Standing(refunds_last_30_days=0, abuse_last_90_days=0)
    assert (
        rules.instant_refund_eligible(kind=rules.RETURN_REFUND, personalised=False, amount_fen=amount, standing=good)
        is eligible
    )


@pytest.mark.parametrize(("refunds", "good"), [(3, True), (4, False)])
def test_good_standing_allows_at_most_three_refunds_in_30_days(refunds, good):
    assert rules.Standing(refunds_last_30_days=refunds, abuse_last_90_days=0).good is good


def test_an_abuse_ruling_or_a_personalised_line_rules_out_the_instant_refund():
    abuser = rules.Standing(refunds_last_30_days=0, abuse_last_90_days=1)
    assert not abuser.good
    good = rules.Standing(0, 0)
    assert not rules.instant_refund_eligible(kind=rules.RETURN_REFUND, personalised=True, amount_fen=1, standing=good)


def test_no_reason_is_refused_for_personalised_lines_and_products_without_it():
    personalised = rules.reason_problem(rules.NO_REASON, rules.RETURN_REFUND, facts(personalised=True), DELIVERED)
    assert personalised is not None and personalised.code == "personalised_no_reason"
    product = rules.reason_problem(rules.NO_REASON, rules.RETURN_REFUND, facts(no_reason_return="no"), DELIVERED)
    assert product is not None and product.code == "product_no_reason"
    assert (
        rules.reason_problem(rules.NO_REASON, rules.RETURN_REFUND, facts(no_reason_return="unopened"), DELIVERED)
        is None
    )


def test_a_sixth_case_and_a_second_open_case_are_refused():
    assert rules.line_problem(facts(cases_so_far=4)) is None
    sixth = rules.line_problem(facts(cases_so_far=5))
    assert sixth is not None and sixth.code == "too_many_cases"
    second = rules.line_problem(facts(has_open_case=True))
    assert second is not None and second.code == "case_already_open"


def test_offers_say_why_each_type_is_not_allowed_before_shipping():
    kinds, reasons = rules.offers(facts(order_state="paid", delivered_at=None), DELIVERED)
    allowed = {offer.code for offer in kinds if offer.allowed}
    assert allowed == {rules.REFUND_UNSHIPPED}
    refused = {offer.code: offer.why_not.code for offer in kinds if offer.why_not is not None}
    assert refused[rules.RETURN_REFUND] == "not_shipped"


def test_offers_after_delivery_of_a_personalised_line_keep_quality_but_not_no_reason():
    kinds, reasons = rules.offers(facts(personalised=True), DELIVERED + timedelta(days=1))
    by_code = {offer.code: offer for offer in reasons}
    assert by_code[rules.QUALITY].allowed
    assert not by_code[rules.NO_REASON].allowed
    assert by_code[rules.NO_REASON].why_not.code == "personalised_no_reason"


def test_every_waiting_state_but_arbitration_has_a_default_that_starts_from_it():
    for state in rules.WAITING:
        if state == rules.ARBITRATION:
            assert state not in rules.DEFAULTS
            continue
        assert state in rules.ACTIONS[rules.DEFAULTS[state]][1]


def test_an_action_from_the_wrong_state_or_by_the_wrong_side_is_refused_with_its_code():
    with pytest.raises(rules.Refused) as wrong_state:
        rules.check_action("escalate", kind=rules.REFUND_ONLY, state=rules.PENDING_MERCHANT, role=rules.BUYER)
    assert wrong_state.value.problem.code == "illegal_transition"
    with pytest.raises(rules.Refused) as wrong_side:
        rules.check_action("approve", kind=rules.REFUND_ONLY, state=rules.PENDING_MERCHANT, role=rules.BUYER)
    assert wrong_side.value.problem.code == "not_your_turn"


@pytest.mark.parametrize(
    ("from_province", "to_province", "fen"),
    [("330000", "330000", 800), ("330000", "310000", 1000), ("650000", "330000", 1500)],
)
def test_return_postage_by_where_the_return_is_sent_from(from_province, to_province, fen):
    remote = {"650000", "540000"}
    assert (
        rules.return_postage_fen(from_province=from_province, to_province=to_province, remote_provinces=remote) == fen
    )


def test_amounts_never_exceed_what_is_left_and_a_smaller_total_is_taken_in_order():
    asked = [rules.AskedLine(1, 2, 2, 3000, 6000), rules.AskedLine(2, 1, 1, 5000, 2000)]
    assert rules.line_amounts(asked, None).lines == {1: 6000, 2: 2000}
    assert rules.line_amounts(asked, 7000).lines == {1: 6000, 2: 1000}
    with pytest.raises(rules.Refused) as above:
        rules.line_amounts(asked, 8001)
    assert above.value.problem.code == "amount_above_limit"
