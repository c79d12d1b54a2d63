"""The data migration that turns the SKUs' spec dicts into dimensions and values (run on today's tables)."""

import importlib

import pytest
from django.apps import apps

from anxin.catalog.models import SKU, SKUSpecValue, SpecDimension
from tests import factories as f

pytestmark = pytest.mark.django_db

migration = importlib.import_module("anxin.catalog.migrations.0005_spec_matrix_from_sku_specs")


def test_sku_specs_become_ordered_dimensions_values_and_one_combination_each():
    product = f.product(stock=1)  # its SKU: {"颜色": "黑"}
    SKU.objects.filter(product=product).update(spec={"颜色": "黑", "尺码": "42"})
    red = f.sku_of(product, spec={"颜色": "红", "尺码": "42"})
    twin = f.sku_of(product, spec={"颜色": "红", "尺码": "42"})  # the same combination again
    partial = f.sku_of(product, spec={"颜色": "蓝"})  # no size
    migration.forwards(apps, None)
    dimensions = list(SpecDimension.objects.filter(product=product))
    assert sorted(d.name for d in dimensions) == ["尺码", "颜色"]  # in key order, which jsonb does not keep
    colours = next(d for d in dimensions if d.name == "颜色")
    assert [v.name for v in colours.values.all()] == ["黑", "红", "蓝"]  # as the SKUs first name them
    red.refresh_from_db()
    assert red.spec_key and {c.value.name for c in SKUSpecValue.objects.filter(sku=red)} == {"红", "42"}
    assert SKU.objects.get(pk=twin.pk).spec_key == "" and SKU.objects.get(pk=partial.pk).spec_key == ""
    assert SKU.objects.get(pk=twin.pk).is_active  # left as it was: the merchant decides in the editor


def test_a_product_without_specs_gets_no_dimensions():
    product = f.product()
    SKU.objects.filter(product=product).update(spec={})
    migration.forwards(apps, None)
    assert not SpecDimension.objects.filter(product=product).exists()
