"""The coupons API: a buyer's wallet, issuing by ops and shops, and the checkout API taking coupon ids."""

import pytest

from anxin.coupons.models import Coupon
from anxin.orders.models import Checkout
from tests import factories as f

pytestmark = pytest.mark.django_db

KEY = {"Idempotency-Key": "issue-1"}


def test_a_buyer_lists_their_own_available_coupons():
    buyer = f.buyer()
    mine = f.coupon(buyer, 500)
    f.coupon(f.buyer(), 700)
    body = f.api_client(buyer).get("/api/coupons").json()
    assert [(c["id"], c["amount_fen"], c["state"]) for c in body] == [(mine.pk, 500, "available")]


def test_an_unknown_tab_is_a_400():
    response = f.api_client(f.buyer()).get("/api/coupons?tab=lost")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_tab"


def test_ops_issue_a_coupon_once_per_key():
    buyer, client = f.buyer(), f.api_client(f.ops())
    body = {"buyer": buyer.username, "amount_fen": 800, "threshold_fen": 5000, "valid_days": 7}
    first = f.post_json(client, "/api/ops/coupons", body, **KEY)
    again = f.post_json(client, "/api/ops/coupons", body, **KEY)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["issuer_kind"] == "platform"
    assert Coupon.objects.count() == 1


def test_issuing_needs_a_key_and_a_known_buyer_and_writes_nothing_otherwise():
    client = f.api_client(f.ops())
    no_key = f.post_json(client, "/api/ops/coupons", {"buyer": f.buyer().username, "amount_fen": 800})
    nobody = f.post_json(client, "/api/ops/coupons", {"buyer": "nobody", "amount_fen": 800}, **KEY)
    assert (no_key.status_code, no_key.json()["code"]) == (400, "idempotency_key_required")
    assert (nobody.status_code, nobody.json()["code"]) == (404, "buyer_not_found")
    assert not Coupon.objects.exists()


def test_a_buyer_cannot_issue_coupons():
    response = f.post_json(f.api_client(f.buyer()), "/api/ops/coupons", {"buyer": "x", "amount_fen": 1}, **KEY)
    assert response.status_code in (403, 404)
    assert not Coupon.objects.exists()


def test_a_shop_issues_coupons_for_itself():
    shop = f.merchant()
    body = {"buyer": f.buyer().username, "amount_fen": 300, "reason": "goodwill"}
    response = f.post_json(f.api_client(f.staff(shop)), "/api/seller/coupons", body, **KEY)
    assert response.status_code == 201
    assert (response.json()["issuer_kind"], response.json()["merchant_id"]) == ("merchant", shop.pk)


def test_the_checkout_api_applies_coupons_and_refuses_a_used_one_with_409():
    buyer = f.buyer()
    shop = f.merchant()
    sku = f.product(shop, price_fen=3000).skus.first()
    coupon = f.coupon(buyer, 500)
    address = f.address(buyer)
    client = f.api_client(buyer)
    body = {"address_id": address.pk, "buy_now": {"sku_id": sku.pk, "quantity": 1}, "coupon_ids": [coupon.pk]}
    placed = f.post_json(client, "/api/checkouts", body, **{"Idempotency-Key": "c-1"})
    assert placed.status_code == 201
    order = placed.json()["orders"][0]
    assert order["discount_fen"] == 500
    assert placed.json()["total_fen"] == order["total_fen"] - 500
    again = f.post_json(client, "/api/checkouts", body, **{"Idempotency-Key": "c-2"})
    assert (again.status_code, again.json()["code"]) == (409, "coupon_unavailable")
    assert Checkout.objects.count() == 1
