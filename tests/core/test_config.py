"""Ops changes to the rules' numbers: the new value is read at once, and history keeps old and new."""

import pytest

from anxin.core import config
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
