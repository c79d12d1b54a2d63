"""Shared steps and fixtures for the page tests of every app (tests/<app>/pages/ and tests/web/)."""

import re

import pytest

from anxin.checkout import services as checkouts
from tests import factories as f


def idempotency_key(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)


def paid_order(buyer=None, *, shop=None, answers_text: str = "", price_fen: int = 10000, pay: bool = True):
    """A buyer's order for one product of `shop`, placed (and paid) through the services."""
    shop = shop or f.merchant()
    buyer = buyer or f.buyer()
    product = f.product(shop, price_fen=price_fen, stock=50)
    answers = {}
    if answers_text:
        question = f.text_question(product, label="印字", max_chars=20)
        answers = {str(question.pk): answers_text}
    address = buyer.addresses.first() or f.address(buyer)
    checkouts.add_to_cart(buyer, product.skus.first().pk, 1, answers)
    checkout = checkouts.place_order(buyer, address_id=address.pk, idempotency_key=f"k-{f.n()}")
    if pay:
        payment = checkouts.start_payment(buyer, checkout.pk)
        checkouts.simulate_provider_approval(buyer, payment.pk)
    return checkout.orders.get()


@pytest.fixture(autouse=True)
def chinese_by_default(settings):
    """Pages are in Simplified Chinese unless a test switches language (each pages/conftest.py uses this)."""
    settings.LANGUAGE_CODE = "zh-hans"
