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


@pytest.mark.parametrize(
    ("code", "tracking"),
    [
        ("SF", "SF1234567890123"),
        ("ZTO", "781234567890"),
        ("YTO", "YT1234567890123"),
        ("JD", "JDVA12345678901"),
        ("EMS", "1123456789012"),
        ("EMS", "EA123456789CN"),
    ],
)
def test_a_number_in_the_company_format_passes(code, tracking):
    assert rules.tracking_pattern_example(code, tracking) is None


@pytest.mark.parametrize(
    ("code", "tracking"),
    [("SF", "SF12345"), ("SF", "1234567890123"), ("ZTO", "ZT123456789012"), ("YTO", "YT12"), ("JD", "JD12")],
)
def test_a_number_in_another_format_is_answered_with_an_example_of_the_right_one(code, tracking):
    example = rules.tracking_pattern_example(code, tracking)
    assert example is not None and rules.TRACKING_PATTERNS[code].matches(example)


def test_every_builtin_company_has_a_pattern_whose_example_fits_it():
    assert {code for code, _, _ in COMPANIES} == set(rules.TRACKING_PATTERNS)
    for pattern in rules.TRACKING_PATTERNS.values():
        assert pattern.matches(pattern.example)


def test_a_company_without_a_pattern_accepts_any_number():
    assert rules.tracking_pattern_example("NEW", "ANYTHING-1") is None


@pytest.mark.parametrize(
    ("corrected", "scanned", "refusal"),
    [(False, False, None), (True, False, "already_corrected"), (False, True, "already_scanned")],
)
def test_a_number_is_corrected_once_and_only_before_a_scan(corrected, scanned, refusal):
    assert rules.correction_refusal(already_corrected=corrected, scanned=scanned) == refusal


def test_control_characters_are_found_by_line_and_column_beyond_what_splitlines_sees():
    text = "a,b\r\nok\tfine\nx\x00y\nform\x0cfeed\x1bend"
    assert rules.control_characters(text) == [(3, 2, "NUL"), (4, 5, "U+000C"), (4, 10, "U+001B")]
    assert rules.control_characters(text, limit=1) == [(3, 2, "NUL")]
    assert rules.control_characters("carrier,kind\r\nSF,\tdelivered\n") == []
