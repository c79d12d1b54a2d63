"""The data migration that counts the orders paid before daily sales were kept."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from anxin.catalog.models import DailySales
from tests import factories as f

pytestmark = pytest.mark.django_db
migration = importlib.import_module("anxin.orders.migrations.0004_backfill_daily_sales")


def test_paid_units_are_counted_per_product_and_beijing_day_and_unpaid_ones_are_not():
    product = f.product()
    paid = f.paid_checkout(lines=[(product.skus.first(), 2)])
    f.paid_checkout(lines=[(product.skus.first(), 1)])
    f.placed_checkout(lines=[(product.skus.first(), 5)])  # never paid
    DailySales.objects.all().delete()  # as on a database from before the table
    migration.backfill(apps, None)
    row = DailySales.objects.get()
    assert (row.product_id, row.units) == (product.pk, 3)
    assert row.day == timezone.localdate(paid.paid_at)


def test_it_leaves_a_table_that_already_counts_alone():
    product = f.product()
    f.paid_checkout(lines=[(product.skus.first(), 2)])
    migration.backfill(apps, None)
    assert DailySales.objects.get().units == 2
