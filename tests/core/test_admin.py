"""The Django admin administers the platform's tables for ops: every registered model's list, search and
change page answer, money is shown in 元 and never editable, and the rows the ledger stands on are view-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from anxin.core import config
from anxin.core.models import Event, Setting
from anxin.orders.models import Order
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops_admin(client):
    operator = f.ops()
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client.force_login(operator)
    return client


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_lists_searches_and_opens_for_ops(ops_admin):
    order = paid_order()
    config.change(f.ops(), {"orders.unpaid_expiry_minutes": 20})
    for model in admin.site._registry:
        r = ops_admin.get(
            _admin_url(model, "changelist"), {"q": "x"} if admin.site._registry[model].search_fields else {}
        )
        assert r.status_code == 200, model
        first = model._default_manager.first()
        if first is not None:
            assert ops_admin.get(_admin_url(model, "change", first.pk)).status_code == 200, model
    assert order.number in ops_admin.get(_admin_url(Order, "changelist")).text


def test_models_have_translated_names_not_made_up_plurals(ops_admin):
    r = ops_admin.get(reverse("admin:index"))
    assert "收货地址" in r.text and "Addresss" not in r.text and "Skus" not in r.text
    for model in admin.site._registry:
        assert model._meta.verbose_name_plural != f"{model._meta.model_name}s", model


def test_an_order_is_view_only_with_its_money_in_yuan(ops_admin):
    order = paid_order(price_fen=12345)
    r = ops_admin.get(_admin_url(Order, "change", order.pk))
    assert r.status_code == 200
    assert "¥123.45" in r.text
    assert 'name="total_fen"' not in r.text and 'name="state"' not in r.text
    r = ops_admin.post(_admin_url(Order, "change", order.pk), {"state": "completed", "total_fen": "1"})
    assert r.status_code == 403
    order.refresh_from_db()
    assert order.state == "paid" and order.total_fen == 12345 + order.shipping_fen
    assert ops_admin.post(_admin_url(Order, "delete", order.pk), {"post": "yes"}).status_code == 403
    assert Order.objects.filter(pk=order.pk).exists()


def test_a_sku_price_is_read_only_while_its_switch_is_editable(ops_admin):
    product = f.product(f.merchant(), price_fen=5000)
    sku = product.skus.get()
    url = _admin_url(type(sku), "change", sku.pk)
    r = ops_admin.get(url)
    assert "¥50.00" in r.text and 'name="price_fen"' not in r.text
    r = ops_admin.post(url, {"price_fen": "1", "weight_g": sku.weight_g})
    assert r.status_code == 302
    sku.refresh_from_db()
    assert sku.price_fen == 5000 and sku.is_active is False


def test_a_setting_changed_in_the_admin_is_checked_and_recorded(ops_admin):
    config.change(f.ops(), {"orders.unpaid_expiry_minutes": 20})
    row = Setting.objects.get(key="orders.unpaid_expiry_minutes")
    url = _admin_url(Setting, "change", row.pk)
    r = ops_admin.post(url, {"value": "0"})
    assert r.status_code == 200 and "errorlist" in r.text
    assert config.get("orders.unpaid_expiry_minutes") == 20
    r = ops_admin.post(url, {"value": "45"})
    assert r.status_code == 302
    config.invalidate()
    assert config.get("orders.unpaid_expiry_minutes") == 45
    changed = Event.objects.filter(kind="setting.changed").latest("id")
    assert changed.data == {"key": "orders.unpaid_expiry_minutes", "before": 20, "after": 45}
