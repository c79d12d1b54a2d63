"""The accounts' pure rules: the throttle's window arithmetic, the client address, the canonical name."""

from datetime import UTC, datetime, timedelta

import pytest

from anxin.accounts import rules

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LIMIT = rules.Limit(3, timedelta(minutes=15))


def test_fewer_attempts_than_the_limit_wait_for_nothing():
    assert rules.retry_after([T0, T0], LIMIT, T0) is None


def test_a_full_window_waits_until_its_oldest_counted_attempt_leaves():
    earlier = [T0 - timedelta(minutes=1), T0 - timedelta(minutes=5), T0 - timedelta(minutes=10)]
    assert rules.retry_after(earlier, LIMIT, T0) == 5 * 60


def test_attempts_outside_the_window_do_not_count():
    earlier = [T0, T0, T0 - timedelta(minutes=15)]
    assert rules.retry_after(earlier, LIMIT, T0) is None


def test_the_wait_is_rounded_up_to_a_whole_second():
    earlier = [T0 - timedelta(minutes=15) + timedelta(milliseconds=1)] * 3
    assert rules.retry_after(earlier, LIMIT, T0) == 1


def test_a_lockout_starts_only_with_the_attempt_that_fills_the_limit():
    assert rules.lockout_until([T0, T0], LIMIT, T0) is None
    assert rules.lockout_until([T0, T0, T0 - timedelta(minutes=2)], LIMIT, T0) == T0 + timedelta(minutes=13)
    assert rules.lockout_until([T0] * 4, LIMIT, T0) is None


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        ("10.0.0.1", "", 0, "10.0.0.1"),
        ("10.0.0.1", "203.0.113.9", 0, "10.0.0.1"),
        ("10.0.0.1", "203.0.113.9", 1, "203.0.113.9"),
        ("10.0.0.1", "198.51.100.1, 203.0.113.9", 1, "203.0.113.9"),
        ("10.0.0.1", "198.51.100.1, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"),
        ("10.0.0.1", "203.0.113.9", 2, "10.0.0.1"),
        ("10.0.0.1", "not-an-address", 1, "10.0.0.1"),
        ("::ffff:0:1", "2001:DB8::1", 1, "2001:db8::1"),
        ("", "", 0, ""),
    ],
)
def test_the_client_address_believes_forwarded_for_only_behind_trusted_proxies(remote, forwarded, proxies, expected):
    assert rules.client_address(remote, forwarded, proxies) == expected


def test_a_username_is_compared_in_its_nfkc_form_and_counted_case_insensitively():
    assert rules.canonical_username("ｂｕｙｅｒ") == "buyer"
    assert rules.throttle_key("ＢＵＹＥＲ ") == "buyer"
    assert rules.canonical_username("buy\u200ber") == "buy\u200ber"
