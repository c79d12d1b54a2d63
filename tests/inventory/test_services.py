"""Stock is held, released and consumed in one statement per call, and never goes below zero."""

import pytest
from django.db import IntegrityError, transaction

from anxin.inventory import services
from anxin.inventory.models import Stock
from anxin.inventory.rules import shortages
from tests import factories as f

pytestmark = pytest.mark.django_db


def stock_of(sku) -> tuple[int, int]:
    row = Stock.objects.get(sku=sku)
    return row.available, row.allocated


def test_shortages_name_the_skus_that_lack_units():
    assert shortages({1: 5, 2: 1}, {1: 5, 2: 2, 3: 1}) == {2: 1, 3: 0}


def test_allocate_release_and_consume_move_units_between_columns():
    a, b = f.product(stock=5).skus.first(), f.product(stock=5).skus.first()
    services.allocate({a.pk: 2, b.pk: 5})
    assert stock_of(a) == (3, 2) and stock_of(b) == (0, 5)
    services.release({a.pk: 1})
    assert stock_of(a) == (4, 1)
    services.consume({a.pk: 1, b.pk: 5})
    assert stock_of(a) == (4, 0) and stock_of(b) == (0, 0)


def test_allocation_is_all_or_nothing():
    a, b = f.product(stock=5).skus.first(), f.product(stock=1).skus.first()
    with pytest.raises(services.OutOfStock) as caught, transaction.atomic():  # the caller's operation
        services.allocate({a.pk: 2, b.pk: 2})
    assert str(b.pk) in caught.value.fields
    assert stock_of(a) == (5, 0) and stock_of(b) == (1, 0)


def test_the_database_refuses_negative_stock_whatever_the_code_does():
    sku = f.product(stock=1).skus.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(sku=sku).update(available=-1)
    assert stock_of(sku) == (1, 0)
