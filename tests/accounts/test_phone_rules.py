"""The mainland mobile number and the code's life, as pure rules (property tests where it pays)."""

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from anxin.accounts import rules

NOW = datetime(2026, 12, 1, 12, 0)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@given(mobiles, st.sampled_from(["", "+86", "+86 ", "0086", "86"]), st.sampled_from(["", " ", "-"]))
def test_a_mobile_written_with_a_prefix_or_separators_reads_as_its_11_digits(number, prefix, sep):
    written = prefix + sep.join([number[:3], number[3:7], number[7:]])
    assert rules.mainland_mobile(written) == number


@given(mobiles)
def test_full_width_digits_are_folded(number):
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in number)
    assert rules.mainland_mobile(full_width) == number


@given(st.text(max_size=20))
def test_whatever_is_accepted_is_eleven_digits_starting_1_3_to_9(text):
    found = rules.mainland_mobile(text)
    assert found is None or (len(found) == 11 and found.isdigit() and found[0] == "1" and found[1] in "3456789")


def test_landlines_short_and_long_numbers_are_refused():
    for text in ("0571-88888888", "12345678901", "1390013900", "139001390001", "139 0013 900a", ""):
        assert rules.mainland_mobile(text) is None


def test_codes_are_six_digits():
    codes = {rules.new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 150


def test_a_code_is_usable_until_it_expires_is_used_or_is_guessed_wrong_five_times():
    expires = NOW + rules.CODE_LIFETIME
    assert rules.code_usable(expires_at=expires, wrong_guesses=0, used=False, now=NOW)
    assert not rules.code_usable(expires_at=expires, wrong_guesses=0, used=False, now=expires)
    assert not rules.code_usable(expires_at=expires, wrong_guesses=0, used=True, now=NOW)
    assert rules.code_usable(expires_at=expires, wrong_guesses=4, used=False, now=NOW)
    assert not rules.code_usable(expires_at=expires, wrong_guesses=5, used=False, now=NOW + timedelta(seconds=1))
