"""Lengths are enforced, never silently cut: too long is a 400 naming the field, and nothing changes."""

import pytest

from anxin.catalog import services
from anxin.catalog.models import SKU
from anxin.catalog.services import SKU_SPEC_ENTRIES_MAX
from anxin.core.errors import AnxinError
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    staff = f.staff()
    item = f.product(staff.merchant)
    return {"client": f.api_client(staff), "item": item, "sku": item.skus.first()}


def test_a_display_name_of_5000_characters_is_refused_not_cut():
    body = f.sign_up("longname", "a-Long-Passphrase-42", display_name="名" * 5000)
    before = row_counts()
    response = f.post_json(f.Client(), "/api/auth/signup", body)
    assert "display_name" in assert_refused(response, 400, "too_long")["fields"]
    assert row_counts() == before


@pytest.mark.parametrize(
    "spec",
    [{"颜色": "红" * 100_000}, {"名" * 31: "红"}, {f"属性{i}": "值" for i in range(SKU_SPEC_ENTRIES_MAX + 1)}],
    ids=["value-100000", "name-31", "too-many-entries"],
)
def test_a_spec_too_long_is_refused_on_edit_and_on_create(seller, spec):
    before = row_counts()
    sku = seller["sku"]
    edit = seller["client"].patch(f"/api/seller/skus/{sku.pk}", {"spec": spec}, content_type="application/json")
    assert_refused(edit, 400, "too_long")
    create = f.post_json(
        seller["client"],
        f"/api/seller/products/{seller['item'].pk}/skus",
        {"code": "NEW", "spec": spec, "price_fen": 100},
    )
    assert_refused(create, 400, "too_long")
    assert row_counts() == before
    assert SKU.objects.get(pk=sku.pk).spec == sku.spec


def test_renaming_a_sku_to_its_siblings_code_is_a_400_and_changes_nothing(seller):
    sibling = f.sku_of(seller["item"])
    sku = seller["sku"]
    before = row_counts()
    response = seller["client"].patch(
        f"/api/seller/skus/{sku.pk}", {"code": sibling.code}, content_type="application/json"
    )
    assert "code" in assert_refused(response, 400, "invalid_sku")["fields"]
    assert row_counts() == before
    assert SKU.objects.get(pk=sku.pk).code == sku.code


def test_an_origin_city_code_longer_than_its_column_is_refused():
    ops = f.ops()
    before = row_counts()
    with pytest.raises(AnxinError) as refused:
        services.onboard_merchant(
            ops, name="店", slug="shop-x", origin_province_code="330000", origin_city_code="3301001",
            staff_username="shopx", staff_password=None,
        )  # fmt: skip
    assert "origin_city_code" in refused.value.fields
    assert row_counts() == before
