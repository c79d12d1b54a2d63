"""The promise: an estimate from what is known at placement, plus a margin learned from the day's deliveries."""

from anxin.instant.dispatch.model import Order, Point
from anxin.instant.dispatch.promise import (
    MIN_OBSERVATIONS,
    PRIOR_MARGIN,
    PromiseMargin,
    estimate_click_to_door,
    pressure,
)
from anxin.instant.dispatch.snapshot import CourierState
from tests.instant.days import PARAMETERS

ORDER = Order("o1", Point(0, 1000), 0, "r1", 10)  # 10 minutes' drive from the restaurant at (0, 0)


def test_a_courier_waiting_nearby_means_pickup_at_the_ready_time():
    near = CourierState("c1", Point(300, 0), "0", 0, 120)
    # ready at 10, leave at 12, drive 10, hand over 2: at the door at 24, 24 minutes after the click
    assert estimate_click_to_door(PARAMETERS, ORDER, Point(0, 0), [near], now=0) == 24


def test_a_courier_far_away_pushes_the_promise_back():
    far = CourierState("c1", Point(2000, 0), "0", 0, 120)  # arrives at 20, hands over at 22
    assert estimate_click_to_door(PARAMETERS, ORDER, Point(0, 0), [far], now=0) == 36


def test_a_busy_courier_counts_from_the_minute_it_is_free():
    busy = CourierState("c1", Point(0, 0), "r1", 30, 120)
    assert estimate_click_to_door(PARAMETERS, ORDER, Point(0, 0), [busy], now=0) == 30 + 2 + 2 + 10 + 2


def test_the_margin_starts_from_the_prior_then_follows_the_deliveries():
    margin = PromiseMargin()
    assert margin.minutes() == PRIOR_MARGIN
    for surprise in range(MIN_OBSERVATIONS * 10):
        margin.observe(surprise % 100)  # 0..99 evenly
    assert 94 <= margin.minutes() <= 97


def test_the_margin_forgets_old_deliveries():
    margin = PromiseMargin()
    for _ in range(1000):
        margin.observe(50)
    for _ in range(1000):
        margin.observe(2)
    assert margin.minutes() == 2


def test_pressure_bands_open_orders_per_courier_free_by_the_ready_time():
    assert pressure(1, 10) == 0
    assert pressure(6, 10) == 1
    assert pressure(12, 10) == 2
    assert pressure(3, 0) == 2  # no courier free in time: the most crowded band
