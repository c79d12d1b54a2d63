"""Merchant product management in the services: bad numbers are refused, never a crash."""

import pytest

from anxin.catalog import services
from anxin.core.errors import AnxinError
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_question_numbers_that_are_not_numbers_are_refused():
    staff = f.staff()
    item = f.product(staff.merchant)
    with pytest.raises(AnxinError) as caught:
        services.replace_questions(staff, item.pk, [{"kind": "text", "label": "印字", "max_chars": "lots"}])
    assert caught.value.code == "invalid_questions"
    assert item.questions.count() == 0


def test_handling_hours_that_are_not_a_number_are_refused():
    staff = f.staff()
    with pytest.raises(AnxinError):
        services.create_product(staff, {"title": "x", "category_id": f.category().pk, "handling_hours": "soon"})


def test_a_merchant_cannot_touch_another_shops_sku():
    staff = f.staff()
    foreign = f.product().skus.first()
    with pytest.raises(AnxinError) as caught:
        services.update_sku(staff, foreign.pk, {"price_fen": 1})
    assert caught.value.status == 404
