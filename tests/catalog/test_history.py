"""Catalog changes record events with the old and the new values; the shop and its first staff open together."""

import pytest

from anxin.accounts.models import User
from anxin.catalog import services
from anxin.catalog.models import SKU, Merchant
from anxin.core.errors import AnxinError, Conflict, Forbidden
from anxin.core.models import Event
from anxin.shipping import services as shipping
from anxin.shipping.models import ShippingTemplate
from tests import factories as f

pytestmark = pytest.mark.django_db


def _data(kind: str) -> list[dict]:
    return list(Event.objects.filter(kind=kind).order_by("id").values_list("data", flat=True))


def test_a_sku_edit_records_each_changed_field_before_and_after():
    staff = f.staff()
    sku = f.product(staff.merchant).skus.first()
    services.update_sku(staff, sku.pk, {"code": "BOOT-42", "spec": {"尺码": "42"}, "is_active": False, "weight_g": 0})
    [changes] = [d["changes"] for d in _data("sku.updated")]
    assert changes["code"]["after"] == "BOOT-42" and changes["code"]["before"].startswith("SKU-")
    assert changes["spec"] == {"before": {"颜色": "黑"}, "after": {"尺码": "42"}}
    assert changes["is_active"] == {"before": True, "after": False}
    assert "weight_g" not in changes  # unchanged
    assert _data("sku.price_changed") == []


def test_a_price_change_is_its_own_event():
    staff = f.staff()
    sku = f.product(staff.merchant, price_fen=1000).skus.first()
    services.update_sku(staff, sku.pk, {"price_fen": 900})
    assert _data("sku.price_changed") == [{"before": 1000, "after": 900}]
    assert _data("sku.updated") == []


def test_a_sku_code_already_used_by_the_product_is_a_400_and_changes_nothing():
    staff = f.staff()
    item = f.product(staff.merchant)
    taken = item.skus.first()
    other = f.sku_of(item)
    with pytest.raises(AnxinError) as caught:
        services.update_sku(staff, other.pk, {"code": taken.code, "price_fen": 1})
    assert (caught.value.status, caught.value.code) == (400, "invalid_sku")
    other.refresh_from_db()
    assert (other.code, other.price_fen) != (taken.code, 1)
    assert not Event.objects.filter(kind__startswith="sku.").exists()


def test_a_product_edit_records_old_and_new_values():
    staff = f.staff()
    item = f.product(staff.merchant, title="保温杯")
    services.update_product(staff, item.pk, {"title": "刻字保温杯", "handling_hours": 48})
    assert _data("product.updated") == [{"changes": {"title": {"before": "保温杯", "after": "刻字保温杯"}}}]


def test_assigning_a_shipping_template_records_each_products_old_and_new_template():
    staff = f.staff()
    first, second = f.product(staff.merchant), f.product(staff.merchant)
    template = ShippingTemplate.objects.create(merchant=staff.merchant, name="包邮", created_at=first.created_at)
    shipping.assign_template(staff, [first.pk, second.pk], template.pk)
    shipping.assign_template(staff, [first.pk], None)
    events = Event.objects.filter(kind="product.shipping_template_set").order_by("id")
    assert [(e.subject_id, e.data["before"], e.data["after"]) for e in events] == [
        (first.pk, None, template.pk),
        (second.pk, None, template.pk),
        (first.pk, template.pk, None),
    ]


def test_assigning_to_another_shops_product_is_not_found_and_changes_nothing():
    staff = f.staff()
    foreign = f.product()
    template = ShippingTemplate.objects.create(merchant=staff.merchant, name="包邮", created_at=foreign.created_at)
    with pytest.raises(AnxinError) as caught:
        shipping.assign_template(staff, [foreign.pk], template.pk)
    assert caught.value.status == 404
    foreign.refresh_from_db()
    assert foreign.shipping_template_id is None
    assert not Event.objects.filter(kind="product.shipping_template_set").exists()


def _onboard(ops, **overrides):
    fields = {
        "name": "飞驰运动",
        "slug": "feichi",
        "origin_province_code": "330000",
        "origin_city_code": "330100",
        "staff_username": "feichi-staff",
        "staff_password": "a-good-pass-77",
        "staff_display_name": "小飞",
    }
    return services.onboard_merchant(ops, **{**fields, **overrides})


def test_onboarding_opens_a_shop_with_its_first_staff_account():
    ops = f.ops()
    merchant, staff = _onboard(ops)
    assert (staff.role, staff.merchant_id, staff.check_password("a-good-pass-77")) == (
        "merchant_staff",
        merchant.pk,
        True,
    )
    [onboarded] = Event.objects.filter(kind="merchant.onboarded")
    assert (onboarded.subject_id, onboarded.actor_id, onboarded.data["staff_id"]) == (merchant.pk, ops.pk, staff.pk)
    assert Event.objects.filter(kind="account.created", subject_id=staff.pk, actor_id=ops.pk).exists()


def test_only_ops_onboard_a_merchant():
    with pytest.raises(Forbidden):
        _onboard(f.buyer())
    assert not Merchant.objects.exists()


def test_onboarding_with_a_taken_slug_or_staff_name_makes_neither_shop_nor_account():
    ops = f.ops()
    _onboard(ops)
    with pytest.raises(Conflict) as slug:
        _onboard(ops, staff_username="someone-else")
    assert slug.value.code == "slug_taken"
    with pytest.raises(AnxinError) as name:
        _onboard(ops, slug="feichi-2", staff_username="FEICHI-staff")
    assert name.value.fields.keys() == {"username"}
    assert Merchant.objects.count() == 1
    assert User.objects.filter(role="merchant_staff").count() == 1
    assert Event.objects.filter(kind="merchant.onboarded").count() == 1


def test_onboarding_with_a_control_character_in_the_shop_name_writes_nothing():
    with pytest.raises(AnxinError) as caught:
        _onboard(f.ops(), name="飞驰\u202e运动")
    assert caught.value.code == "control_characters"
    assert not Merchant.objects.exists() and not User.objects.filter(role="merchant_staff").exists()
    assert not SKU.objects.exists()
