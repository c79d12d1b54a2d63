"""Bad input gets a clear 4xx `{code, message, fields}` and writes nothing."""

import json

import pytest

from anxin.payments import provider as payment_provider
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper():
    buyer = f.buyer()
    addr = f.address(buyer)
    item = f.product(stock=3)
    f.text_question(item, max_chars=5)
    return {"buyer": buyer, "address": addr, "item": item, "client": f.api_client(buyer)}


def add(shopper, **data):
    item = shopper["item"]
    payload = {"sku_id": item.skus.first().pk, "quantity": 1, "answers": {str(item.questions.first().pk): "Ada"}}
    payload.update(data)
    return f.post_json(shopper["client"], "/api/cart/lines", payload)


def test_an_unknown_sku_is_refused(shopper):
    before = row_counts()
    body = assert_refused(add(shopper, sku_id=999999), 400, "unknown_sku")
    assert "sku_id" in body["fields"]
    assert row_counts() == before


@pytest.mark.parametrize("quantity", [0, -1, 10**9, 10**30])
def test_quantities_that_make_no_sense_are_refused(shopper, quantity):
    before = row_counts()
    body = assert_refused(add(shopper, quantity=quantity), 400, "invalid_quantity")
    assert "quantity" in body["fields"]
    assert row_counts() == before


def test_a_quantity_over_stock_is_refused(shopper):
    before = row_counts()
    body = assert_refused(add(shopper, quantity=4), 409, "out_of_stock")
    assert "3" in body["message"]
    assert row_counts() == before


def test_a_quantity_that_is_not_a_number_is_refused(shopper):
    before = row_counts()
    assert_refused(add(shopper, quantity="lots"), 422, "invalid")
    assert row_counts() == before


def test_a_personalization_over_the_limit_names_the_question(shopper):
    before = row_counts()
    answers = {str(shopper["item"].questions.first().pk): "toolongname"}
    body = assert_refused(add(shopper, answers=answers), 400, "invalid_personalization")
    assert f"answers.{shopper['item'].questions.first().pk}" in body["fields"]
    assert row_counts() == before


def test_malformed_json_is_refused(shopper):
    before = row_counts()
    response = shopper["client"].post("/api/cart/lines", "{not json", content_type="application/json")
    assert_refused(response, 400, "malformed_json")
    assert row_counts() == before


@pytest.mark.parametrize(
    ("codes", "field"),
    [
        (("990000", "990100", "990101"), "province_code"),
        (("330000", "440100", "440106"), "city_code"),
        (("330000", "330100", "440106"), "county_code"),
        (("810000", "810100", "810101"), "province_code"),
        (("33", "3301", "330106"), "province_code"),
    ],
)
def test_unknown_or_inconsistent_region_codes_are_refused(shopper, codes, field):
    before = row_counts()
    province, city, county = codes
    payload = {
        "recipient": "韩梅梅",
        "phone": "13900000000",
        "province_code": province,
        "city_code": city,
        "county_code": county,
        "street": "人民路 1 号",
    }
    body = assert_refused(f.post_json(shopper["client"], "/api/addresses", payload), 400, "invalid_region")
    assert field in body["fields"]
    assert row_counts() == before


def test_checkout_with_another_buyers_address_answers_not_found(shopper):
    add(shopper)
    stranger_address = f.address(f.buyer())
    before = row_counts()
    response = f.post_json(
        shopper["client"], "/api/checkouts", {"address_id": stranger_address.pk}, **{"Idempotency-Key": "x"}
    )
    assert_refused(response, 404, "not_found")
    assert row_counts() == before


def test_checkout_of_an_empty_cart_is_refused(shopper):
    before = row_counts()
    response = f.post_json(
        shopper["client"], "/api/checkouts", {"address_id": shopper["address"].pk}, **{"Idempotency-Key": "e"}
    )
    assert_refused(response, 400, "empty_cart")
    assert row_counts() == before


def test_a_forged_payment_callback_is_refused_and_pays_nothing(shopper):
    add(shopper)
    checkout = f.post_json(
        shopper["client"], "/api/checkouts", {"address_id": shopper["address"].pk}, **{"Idempotency-Key": "p"}
    ).json()
    payment = f.post_json(shopper["client"], f"/api/checkouts/{checkout['id']}/payment").json()
    before = row_counts()
    body = json.dumps(
        {"payment_id": payment["id"], "amount_fen": payment["amount_fen"], "provider_ref": "X", "status": "succeeded"}
    )
    anonymous = f.Client()
    for signature in ("", "0" * 64, payment_provider.sign(body.encode() + b" ")):
        response = anonymous.post(
            "/api/payments/callback", body, content_type="application/json", headers={"X-Anxin-Signature": signature}
        )
        assert_refused(response, 400, "bad_signature")
    assert row_counts() == before


def test_a_signed_callback_with_the_wrong_amount_is_refused(shopper):
    add(shopper)
    checkout = f.post_json(
        shopper["client"], "/api/checkouts", {"address_id": shopper["address"].pk}, **{"Idempotency-Key": "a"}
    ).json()
    payment = f.post_json(shopper["client"], f"/api/checkouts/{checkout['id']}/payment").json()
    before = row_counts()
    body = json.dumps(
        {"payment_id": payment["id"], "amount_fen": 1, "provider_ref": "X", "status": "succeeded"}
    ).encode()
    response = f.Client().post(
        "/api/payments/callback",
        body,
        content_type="application/json",
        headers={"X-Anxin-Signature": payment_provider.sign(body)},
    )
    assert_refused(response, 400, "amount_mismatch")
    assert row_counts() == before


def test_calls_without_credentials_are_refused(shopper):
    response = f.post_json(f.Client(), "/api/cart/lines", {"sku_id": 1, "quantity": 1})
    assert_refused(response, 401, "unauthorized")
