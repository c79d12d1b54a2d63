"""Ops changes to the rules' numbers: the new value is read at once, and history keeps old and new."""

import pytest

from anxin.core import config
from anxin.core.errors import AnxinError, Forbidden
from anxin.core.models import Event, Setting
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_change_records_the_old_and_the_new_value_and_who_made_it():
    ops = f.ops()
    config.set_value("orders.unpaid_expiry_minutes", 45, actor=ops)
    config.set_value("orders.unpaid_expiry_minutes", 20, actor=ops)
    assert config.get("orders.unpaid_expiry_minutes") == 20
    history = [(e.data["before"], e.data["after"], e.actor_id) for e in Event.objects.filter(kind="setting.changed")]
    assert history == [(30, 45, ops.pk), (45, 20, ops.pk)]
    assert Event.objects.filter(kind="setting.changed").first().data["key"] == "orders.unpaid_expiry_minutes"


def test_setting_the_value_it_already_has_records_nothing():
    config.set_value("orders.flat_shipping_fen", 600)  # the default
    config.set_value("orders.free_shipping_over_fen", 5000)
    config.set_value("orders.free_shipping_over_fen", 5000)
    assert Event.objects.filter(kind="setting.changed").count() == 1


def test_an_unknown_key_is_refused_and_nothing_is_written():
    with pytest.raises(KeyError):
        config.set_value("orders.no_such_number", 1)
    assert not Setting.objects.exists() and not Event.objects.exists()


def test_every_number_has_bounds_that_hold_its_default():
    assert set(config.BOUNDS) == set(config.DEFAULTS)
    assert all(low <= config.DEFAULTS[key] <= high for key, (low, high) in config.BOUNDS.items())


@pytest.mark.parametrize("value", [0, 1441, -5, "30", True, 2.5, None])
def test_a_value_that_is_not_a_whole_number_in_bounds_is_refused_and_nothing_is_written(value):
    with pytest.raises(AnxinError) as refused:
        config.set_value("orders.unpaid_expiry_minutes", value, actor=f.ops())
    assert (refused.value.status, refused.value.code) == (400, "invalid_setting")
    assert "orders.unpaid_expiry_minutes" in refused.value.fields
    assert not Setting.objects.exists() and not Event.objects.filter(kind="setting.changed").exists()


def test_ops_change_several_numbers_at_once_and_only_the_changed_ones_are_recorded():
    ops = f.ops()
    changed = config.change(ops, {"orders.unpaid_expiry_minutes": 15, "orders.max_lines_per_cart": 50})
    assert changed == ["orders.unpaid_expiry_minutes"]  # 50 is the value in force already
    assert config.get("orders.unpaid_expiry_minutes") == 15
    events = Event.objects.filter(kind="setting.changed")
    assert [(e.data["key"], e.data["before"], e.data["after"], e.actor_id) for e in events] == [
        ("orders.unpaid_expiry_minutes", 30, 15, ops.pk)
    ]
    assert list(Setting.objects.values_list("key", flat=True)) == ["orders.unpaid_expiry_minutes"]


def test_one_bad_number_refuses_the_whole_change():
    with pytest.raises(AnxinError) as refused:
        config.change(f.ops(), {"orders.unpaid_expiry_minutes": 15, "shipping.promise_spread_days": 31})
    assert refused.value.code == "invalid_setting"
    assert set(refused.value.fields) == {"shipping.promise_spread_days"}
    assert config.get("orders.unpaid_expiry_minutes") == 30
    assert not Setting.objects.exists() and not Event.objects.exists()


def test_an_unknown_key_in_a_change_is_named_and_nothing_is_written():
    with pytest.raises(AnxinError) as refused:
        config.change(f.ops(), {"orders.unpaid_expiry_minutes": 15, "orders.no_such_number": 1})
    assert set(refused.value.fields) == {"orders.no_such_number"}
    assert not Setting.objects.exists() and not Event.objects.exists()


@pytest.mark.parametrize("who", ["buyer", "staff", "courier"])
def test_only_ops_change_the_numbers(who):
    with pytest.raises(Forbidden):
        config.change(getattr(f, who)(), {"orders.unpaid_expiry_minutes": 15})
    assert not Setting.objects.exists() and not Event.objects.exists()
