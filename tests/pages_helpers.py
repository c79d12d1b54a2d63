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


def editor_data(**changes) -> dict:
    data = {
        "name": "江浙沪包邮",
        "mode": "weight",
        "first_units": "1000",
        "first_yuan": "8",
        "step_units": "1000",
        "step_yuan": "3.00",
        "region_rows": "1",
        "r0_provinces": ["11", "12"],
        "r0_first": "12",
        "r0_step": "5",
        "free_rows": "1",
        "f0_provinces": ["31", "32", "33"],
        "f0_kind": "always",
        "f0_threshold": "",
        "excluded_provinces": ["54"],
        "action": "save",
    }
    data.update(changes)
    return data


def editor_service_data() -> dict:
    return {"name": "T", "mode": "piece", "first_units": 1, "first_fen": 500, "step_units": 1, "step_fen": 200}


def program_post(**changes) -> dict:
    data = {"leg2_first_kg": "7.00", "leg2_next_kg": "2.50"}
    for code in ("150000", "540000", "620000", "630000", "640000", "650000"):
        data[f"remote_{code}"] = "1"
        data[f"hub_{code}"] = "610100"
    data.update(changes)
    return data
