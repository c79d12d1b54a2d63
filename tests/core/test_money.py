import pytest

from anxin.core.money import format_fen, parse_yuan


@pytest.mark.parametrize(
    ("fen", "text"), [(0, "¥0.00"), (1230, "¥12.30"), (5, "¥0.05"), (123456789, "¥1,234,567.89"), (-5, "-¥0.05")]
)
def test_format_fen_shows_yuan_with_two_decimals(fen, text):
    assert format_fen(fen) == text


@pytest.mark.parametrize(
    ("text", "fen"), [("12.3", 1230), ("¥12.30", 1230), ("1,299", 129900), ("0.05", 5), ("7", 700)]
)
def test_parse_yuan_reads_what_people_type(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["", "abc", "1.234", "1e3", "¥", "--1", "1.2.3"])
def test_parse_yuan_refuses_what_is_not_money(text):
    with pytest.raises(ValueError):
        parse_yuan(text)


def test_parse_and_format_round_trip():
    for fen in (0, 1, 99, 100, 123456):
        assert parse_yuan(format_fen(fen)) == fen
