"""Which company a typed carrier name means, and which shipment states agree with an order's."""

from datetime import UTC, datetime, timedelta

import pytest

from anxin.fulfilment import rules

COMPANIES = rules.CARRIER_COMPANIES


@pytest.mark.parametrize(
    ("typed", "code"),
    [("顺丰", "SF"), ("顺丰速运", "SF"), ("sf", "SF"), (" 中通 快递 ", "ZTO"), ("邮政", "EMS"), ("中国邮政EMS", "EMS")],
)
def test_a_company_is_found_by_its_code_name_or_another_name(typed, code):
    assert rules.match_company(typed, COMPANIES) == code


def test_an_unknown_or_empty_name_names_no_company():
    assert rules.match_company("天马快递", COMPANIES) is None
    assert rules.match_company("", COMPANIES) is None


def test_a_name_two_companies_share_names_neither():
    assert rules.match_company("快递", [("A", "甲", "快递"), ("B", "乙", "快递")]) is None


@pytest.mark.parametrize(
    ("order_state", "shipment_state", "agree"),
    [
        ("shipped", "in_transit", True),
        ("shipped", "at_hub", True),
        ("shipped", "delivered", False),
        ("shipped", None, False),
        ("delivered", "delivered", True),
        ("delivered", "in_transit", False),
        ("completed", "in_transit", True),
        ("completed", None, False),
        ("paid", None, True),
        ("paid", "in_transit", False),
        ("cancelled", "delivered", False),
    ],
)
def test_order_and_shipment_states_agree_only_when_they_tell_one_story(order_state, shipment_state, agree):
    assert rules.states_agree(order_state, shipment_state) is agree


def test_a_scan_time_may_be_an_hour_ahead_and_ninety_days_back_and_no_more():
    now = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert rules.scan_time_problem(now + timedelta(hours=1), now) is None
    assert rules.scan_time_problem(now + timedelta(hours=1, seconds=1), now) == "in_the_future"
    assert rules.scan_time_problem(now - timedelta(days=90), now) is None
    assert rules.scan_time_problem(now - timedelta(days=90, seconds=1), now) == "too_old"
