"""The ops console's 规则参数 page: every rule number with its default, changed through `core.config`."""

import pytest

from anxin.core import config
from anxin.core.models import Event, Setting
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/ops/settings/"


def _form(**changes: object) -> dict[str, object]:
    """The page's form as shown (every number at its value in force), with `changes` typed over it."""
    values = {row.key: row.current for row in config.rows()}
    return {**values, **{key.replace("__", "."): value for key, value in changes.items()}}


def test_the_settings_page_is_for_ops_only(client):
    assert client.get(URL).status_code == 302
    for user in (f.buyer(), f.staff(), f.courier(), f.carrier()):
        client.force_login(user)
        assert client.get(URL).status_code == 404
        assert client.post(URL, _form(orders__unpaid_expiry_minutes=5)).status_code == 404
    assert not Setting.objects.exists()


def test_the_page_lists_every_number_with_its_default_and_current_value(client):
    config.set_value("orders.unpaid_expiry_minutes", 45)
    client.force_login(f.ops())
    r = client.get(URL)
    assert r.status_code == 200
    for key in config.DEFAULTS:
        assert f'name="{key}"' in r.text
    assert "未付款订单自动取消（分钟）" in r.text
    assert 'name="orders.unpaid_expiry_minutes" value="45"' in r.text
    assert "1 – 1440" in r.text


def test_ops_change_a_number_and_the_event_keeps_who_and_the_old_and_new_value(client):
    ops = f.ops()
    client.force_login(ops)
    r = client.post(URL, _form(orders__unpaid_expiry_minutes=" 20 "))
    assert (r.status_code, r.url) == (302, URL)
    assert config.get("orders.unpaid_expiry_minutes") == 20
    event = Event.objects.get(kind="setting.changed")
    assert (event.actor_id, event.data) == (
        ops.pk,
        {"key": "orders.unpaid_expiry_minutes", "before": 30, "after": 20},
    )
    assert "已保存 1 项规则参数。" in client.get(URL).text


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abc", "须为整数。"), ("", "须为整数。"), ("2.5", "须为整数。"), ("0", "须在 1 到 1,440 之间。")],
)
def test_a_bad_number_is_shown_beside_its_field_and_nothing_is_saved(client, typed, message):
    client.force_login(f.ops())
    r = client.post(URL, _form(orders__unpaid_expiry_minutes=typed, orders__max_lines_per_cart=20))
    assert r.status_code == 400
    assert message in r.text and "规则参数有误，未保存。" in r.text
    assert f'name="orders.unpaid_expiry_minutes" value="{typed}"' in r.text  # what was typed stays
    assert config.get("orders.max_lines_per_cart") == 50  # the good value of the same form is not saved
    assert not Setting.objects.exists() and not Event.objects.exists()
