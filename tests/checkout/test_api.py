"""The cart under /api/cart: add, change the quantity, remove; another buyer's line is not found."""

import pytest

from anxin.checkout.models import CartLine
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper():
    buyer = f.buyer()
    item = f.product(price_fen=4500, stock=5, title="保温杯")
    return {"buyer": buyer, "client": f.api_client(buyer), "sku": item.skus.first()}


def add(shopper, quantity: int = 1):
    return f.post_json(shopper["client"], "/api/cart/lines", {"sku_id": shopper["sku"].pk, "quantity": quantity})


def patch(client, line_id: int, quantity):
    return client.patch(f"/api/cart/lines/{line_id}", {"quantity": quantity}, content_type="application/json")


def only_line(shopper) -> CartLine:
    return CartLine.objects.get(cart__buyer=shopper["buyer"])


def test_an_empty_cart_has_no_lines(shopper):
    response = shopper["client"].get("/api/cart")
    assert response.status_code == 200
    assert response.json() == {"lines": []}


def test_adding_a_sku_answers_the_cart_with_its_line(shopper):
    response = add(shopper, 2)
    assert response.status_code == 201, response.content
    (line,) = response.json()["lines"]
    assert (line["sku_id"], line["title"], line["quantity"], line["unit_price_fen"]) == (
        shopper["sku"].pk,
        "保温杯",
        2,
        4500,
    )
    assert shopper["client"].get("/api/cart").json()["lines"] == [line]


def test_adding_the_same_sku_again_adds_to_its_line(shopper):
    add(shopper, 2)
    response = add(shopper, 1)
    assert [line["quantity"] for line in response.json()["lines"]] == [3]


def test_the_quantity_of_a_line_can_be_changed(shopper):
    add(shopper, 1)
    line = only_line(shopper)
    response = patch(shopper["client"], line.pk, 4)
    assert response.status_code == 200, response.content
    assert [each["quantity"] for each in response.json()["lines"]] == [4]
    assert only_line(shopper).quantity == 4


@pytest.mark.parametrize(
    ("quantity", "status", "code"),
    [
        (0, 400, "invalid_quantity"),
        (-2, 400, "invalid_quantity"),
        (1000, 400, "invalid_quantity"),
        ("x", 422, "invalid"),
    ],
)
def test_a_quantity_that_makes_no_sense_changes_nothing(shopper, quantity, status, code):
    add(shopper, 2)
    before = row_counts()
    body = assert_refused(patch(shopper["client"], only_line(shopper).pk, quantity), status, code)
    assert "quantity" in body["fields"]
    assert only_line(shopper).quantity == 2
    assert row_counts() == before


def test_a_quantity_beyond_the_stock_is_refused_as_when_adding(shopper):
    add(shopper, 2)
    body = assert_refused(patch(shopper["client"], only_line(shopper).pk, 6), 409, "out_of_stock")
    assert "5" in body["message"]
    assert only_line(shopper).quantity == 2


def test_a_line_can_be_removed(shopper):
    add(shopper)
    response = shopper["client"].delete(f"/api/cart/lines/{only_line(shopper).pk}")
    assert response.status_code == 200, response.content
    assert response.json() == {"lines": []}
    assert not CartLine.objects.filter(cart__buyer=shopper["buyer"]).exists()


def test_another_buyers_line_is_not_found_and_stays_as_it_was(shopper):
    add(shopper, 2)
    line = only_line(shopper)
    stranger = f.api_client(f.buyer())
    before = row_counts()
    assert_refused(patch(stranger, line.pk, 1), 404, "not_found")
    assert_refused(stranger.delete(f"/api/cart/lines/{line.pk}"), 404, "not_found")
    assert only_line(shopper).quantity == 2
    assert row_counts() == before
    assert stranger.get("/api/cart").json() == {"lines": []}


def test_a_line_that_does_not_exist_is_not_found(shopper):
    assert_refused(patch(shopper["client"], 999999, 1), 404, "not_found")
    assert_refused(shopper["client"].delete("/api/cart/lines/999999"), 404, "not_found")


def test_merchant_staff_have_no_cart():
    client = f.api_client(f.staff())
    assert_refused(client.get("/api/cart"), 403, "forbidden")
