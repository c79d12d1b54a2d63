"""Changing or removing a cart line that another request removed meanwhile is a clean 404, never a 500."""

import pytest

from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def line():
    buyer = f.buyer()
    return checkouts.add_to_cart(buyer, f.product(stock=5).skus.first().pk, 1)


@pytest.fixture
def removed_while_waiting(monkeypatch, line):
    """The line is deleted by another request just while this one waits for the cart's lock."""
    take_lock = checkouts._lock_cart

    def lock_then_lose_the_line(buyer):
        take_lock(buyer)
        CartLine.objects.filter(pk=line.pk).delete()

    monkeypatch.setattr(checkouts, "_lock_cart", lock_then_lose_the_line)
    return line


def test_a_quantity_change_of_a_line_removed_meanwhile_is_a_404(removed_while_waiting):
    client = f.api_client(removed_while_waiting.cart.buyer)
    before = row_counts()
    url = f"/api/cart/lines/{removed_while_waiting.pk}"
    assert_refused(client.patch(url, {"quantity": 2}, content_type="application/json"), 404, "not_found")
    assert row_counts() == before


def test_removing_a_line_removed_meanwhile_is_a_404(removed_while_waiting):
    client = f.api_client(removed_while_waiting.cart.buyer)
    before = row_counts()
    assert_refused(client.delete(f"/api/cart/lines/{removed_while_waiting.pk}"), 404, "not_found")
    assert row_counts() == before


def test_another_buyers_line_is_a_404_and_stays(line):
    client = f.api_client(f.buyer())
    assert_refused(client.delete(f"/api/cart/lines/{line.pk}"), 404, "not_found")
    assert CartLine.objects.filter(pk=line.pk).exists()
