"""The cart's checkboxes and buy-now under /api/: `PUT /api/cart/selection`, and `POST /api/checkouts` with
`line_ids` or a `buy_now` item; strict bodies, clear 4xx, nothing written when refused."""

import pytest

from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from anxin.orders.models import Checkout, OrderLine
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper():
    """A buyer with an address and two lines (of two shops) in the cart, through the API."""
    buyer = f.buyer()
    client = f.api_client(buyer)
    skus = [f.product(price_fen=price).skus.first() for price in (1000, 2000)]
    for sku in skus:
        f.post_json(client, "/api/cart/lines", {"sku_id": sku.pk, "quantity": 1})
    lines = list(CartLine.objects.filter(cart__buyer=buyer).order_by("pk"))
    return {"buyer": buyer, "client": client, "address": f.address(buyer), "lines": lines, "skus": skus}


def put_selection(shopper, body):
    return shopper["client"].put("/api/cart/selection", body, content_type="application/json")


def checkout(shopper, body, key="k"):
    return f.post_json(
        shopper["client"], "/api/checkouts", {"address_id": shopper["address"].pk, **body}, **{"Idempotency-Key": key}
    )


def test_the_cart_answers_which_lines_are_ticked_and_a_put_changes_them(shopper):
    first, second = shopper["lines"]
    response = put_selection(shopper, {"selected": False, "line_ids": [first.pk]})
    assert response.status_code == 200, response.content
    assert [(line["id"], line["selected"]) for line in response.json()["lines"]] == [
        (first.pk, False),
        (second.pk, True),
    ]
    shop = second.sku.product.merchant_id
    assert put_selection(shopper, {"selected": False, "merchant_id": shop}).status_code == 200
    assert CartLine.objects.filter(selected=True).count() == 0
    assert put_selection(shopper, {"selected": True}).status_code == 200
    assert CartLine.objects.filter(selected=False).count() == 0


def test_a_selection_naming_an_unknown_line_or_in_lax_types_is_refused_and_changes_nothing(shopper):
    first, _second = shopper["lines"]
    other_buyers = checkouts.add_to_cart(f.buyer(), first.sku_id, 1)
    before = row_counts()
    assert_refused(
        put_selection(shopper, {"selected": False, "line_ids": [other_buyers.pk]}), 404, "cart_line_not_found"
    )
    assert put_selection(shopper, {"selected": 0, "line_ids": [first.pk]}).status_code == 422
    assert put_selection(shopper, {"selected": False, "line_ids": [str(first.pk)]}).status_code == 422
    assert put_selection(shopper, {"line_ids": [first.pk]}).status_code == 422
    assert put_selection(shopper, {"selected": False, "line_ids": [2**63]}).status_code == 422
    assert put_selection(shopper, {"selected": False, "merchant_id": 2**63}).status_code == 422
    assert row_counts() == before
    assert CartLine.objects.filter(selected=False).count() == 0


def test_a_checkout_without_line_ids_buys_the_ticked_lines(shopper):
    first, second = shopper["lines"]
    put_selection(shopper, {"selected": False, "line_ids": [first.pk]})
    response = checkout(shopper, {})
    assert response.status_code == 201, response.content
    assert [o["total_fen"] for o in response.json()["orders"]] == [2000 + 600]
    assert list(CartLine.objects.values_list("pk", flat=True)) == [first.pk]


def test_buy_now_through_the_api_orders_the_item_and_leaves_the_cart(shopper):
    sku = f.product(price_fen=5000).skus.first()
    response = checkout(shopper, {"buy_now": {"sku_id": sku.pk, "quantity": 2}})
    assert response.status_code == 201, response.content
    assert OrderLine.objects.get().sku_id == sku.pk
    assert CartLine.objects.count() == 2
    again = checkout(shopper, {"buy_now": {"sku_id": sku.pk, "quantity": 2}})
    assert again.json()["id"] == response.json()["id"]
    assert_refused(checkout(shopper, {"buy_now": {"sku_id": sku.pk, "quantity": 3}}), 409, "idempotency_key_reused")


def test_bad_selections_and_buy_now_bodies_are_refused_and_write_nothing(shopper):
    first, _second = shopper["lines"]
    sku = shopper["skus"][0]
    before = row_counts()
    assert_refused(checkout(shopper, {"line_ids": []}, "a"), 400, "empty_selection")
    assert_refused(checkout(shopper, {"line_ids": [first.pk, 10**9]}, "b"), 404, "cart_line_not_found")
    both = {"line_ids": [first.pk], "buy_now": {"sku_id": sku.pk, "quantity": 1}}
    assert_refused(checkout(shopper, both, "c"), 400, "ambiguous_selection")
    assert_refused(checkout(shopper, {"buy_now": {"sku_id": 10**9, "quantity": 1}}, "d"), 400, "unknown_sku")
    assert checkout(shopper, {"buy_now": {"sku_id": sku.pk, "quantity": "1"}}, "e").status_code == 422
    assert checkout(shopper, {"buy_now": {"quantity": 1}}, "f").status_code == 422
    assert row_counts() == before
    assert Checkout.objects.count() == 0
