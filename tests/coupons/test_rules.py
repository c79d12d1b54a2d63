from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from anxin.coupons import rules

AT = datetime(2026, 5, 1, 12, tzinfo=UTC)


def test_spread_is_proportional_with_the_largest_remainder_first():
    assert rules.spread(100, [1, 1, 1], [100, 100, 100]) == [34, 33, 33]
    assert rules.spread(10, [3000, 1000], [3000, 1000]) == [8, 2]


def test_spread_gives_what_a_capped_part_cannot_take_to_the_others():
    assert rules.spread(100, [1, 1], [10, 500]) == [10, 90]


def test_spread_never_exceeds_the_caps():
    assert rules.spread(1000, [5, 5], [3, 4]) == [3, 4]


@given(
    st.integers(0, 10**6),
    st.lists(st.tuples(st.integers(0, 10**5), st.integers(0, 10**5)), min_size=1, max_size=6),
)
def test_spread_sums_to_the_total_or_the_room(total, parts):
    weights, caps = [w for w, _c in parts], [c for _w, c in parts]
    shares = rules.spread(total, weights, caps)
    assert sum(shares) == min(total, sum(caps))
    assert all(0 <= share <= cap for share, cap in zip(shares, caps, strict=True))


def test_a_merchant_coupon_is_spread_over_its_orders_lines_by_value():
    allocation = rules.allocate([rules.OrderGoods(7, (3000, 1000))], {7: 400}, 0)
    assert allocation.lines == [[300, 100]]
    assert allocation.merchant_used == {7: 400}


def test_a_platform_coupon_is_spread_over_the_checkouts_orders_by_goods_value():
    orders = [rules.OrderGoods(1, (6000,)), rules.OrderGoods(2, (2000, 2000))]
    allocation = rules.allocate(orders, {}, 1000)
    assert allocation.platform_by_order == [600, 400]
    assert allocation.lines == [[600], [200, 200]]


def test_a_coupon_larger_than_the_goods_leaves_every_line_one_fen():
    allocation = rules.allocate([rules.OrderGoods(1, (500, 300))], {1: 900}, 5000)
    assert allocation.lines == [[499, 299]]
    assert allocation.merchant_used == {1: 798}
    assert allocation.platform_used == 0


def test_the_platform_coupon_takes_only_what_the_merchant_coupon_left():
    allocation = rules.allocate([rules.OrderGoods(1, (1000,))], {1: 900}, 500)
    assert allocation.lines == [[999]]
    assert allocation.platform_used == 99


def test_threshold_zero_means_none_and_otherwise_the_goods_must_reach_it():
    assert rules.meets_threshold(0, 1)
    assert rules.meets_threshold(10000, 10000)
    assert not rules.meets_threshold(10000, 9999)


def test_best_choice_picks_the_largest_applicable_discount_per_order_and_for_the_checkout():
    orders = [rules.OrderGoods(1, (5000,)), rules.OrderGoods(2, (3000,))]
    candidates = [
        rules.Candidate(10, rules.MERCHANT, 1, 300, 0),
        rules.Candidate(11, rules.MERCHANT, 1, 800, 6000),  # threshold not met
        rules.Candidate(12, rules.MERCHANT, 1, 500, 5000),
        rules.Candidate(13, rules.MERCHANT, 9, 900, 0),  # another shop
        rules.Candidate(20, rules.PLATFORM, None, 1000, 0),
        rules.Candidate(21, rules.PLATFORM, None, 2000, 8001),  # threshold not met
        rules.Candidate(22, rules.PLATFORM, None, 1500, 8000),
    ]
    assert rules.best_choice(candidates, orders) == [12, 22]


def test_funding_account_by_issuer_and_reason():
    assert rules.funding_account(rules.MERCHANT, rules.CAMPAIGN, 5) == "merchant:5:payable"
    assert rules.funding_account(rules.PLATFORM, rules.PRICE_GUARANTEE, None) == "platform:compensation"
    assert rules.funding_account(rules.PLATFORM, rules.LATE_DELIVERY, None) == "platform:compensation"
    assert rules.funding_account(rules.PLATFORM, rules.GOODWILL, None) == "platform:campaigns"


def test_validity_and_return_after_cancel():
    until = rules.valid_to(AT, 30)
    assert until == AT + timedelta(days=30)
    assert rules.is_valid_at(AT, until, AT) and not rules.is_valid_at(AT, until, until)
    assert rules.state_after_return(until, until - timedelta(seconds=1)) == rules.AVAILABLE
    assert rules.state_after_return(until, until) == rules.EXPIRED
