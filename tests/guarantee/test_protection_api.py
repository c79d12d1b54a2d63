"""价保 through the API: the merchant lowers a price, the worker pays, the buyer sees it and may claim."""

import json

import pytest

from anxin.core import clock
from anxin.guarantee.models import ProtectionPayout
from anxin.payments.models import Refund
from tests import factories as f
from tests.guarantee.protection_support import assert_audit_clean, protected_order, run_worker, set_price

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.freeze()
    yield


def claim_url(order, line=None) -> str:
    line = line or order.lines.get()
    return f"/api/orders/{order.pk}/lines/{line.pk}/price-protection"


def test_a_price_drop_pays_price_protection_automatically():
    order = protected_order(days=15, price_fen=10000, quantity=2)
    line = order.lines.get()
    merchant = f.api_client(f.staff(order.merchant))
    lowered = merchant.patch(
        f"/api/seller/skus/{line.sku_id}", json.dumps({"price_fen": 8800}), content_type="application/json"
    )
    assert lowered.status_code == 200, lowered.content
    run_worker()
    run_worker()  # the payout is sent and the simulated provider confirms it
    answer = f.api_client(order.buyer).get(f"/api/orders/{order.pk}/price-protection")
    assert answer.status_code == 200
    (state,) = answer.json()["lines"]
    assert state["line_id"] == line.pk and state["days"] == 15
    assert (state["lowest_unit_fen"], state["protected_fen"], state["owed_fen"]) == (8800, 2400, 0)
    assert state["why_not_code"] == "protection_already_paid"
    assert Refund.objects.get(key=f"protection:{line.pk}:8800").state == Refund.State.SUCCEEDED
    assert_audit_clean()


def test_the_claim_pays_once_per_idempotency_key():
    order = protected_order()
    set_price(order, 9000)
    buyer = f.api_client(order.buyer)
    first = f.post_json(buyer, claim_url(order), **{"Idempotency-Key": "pp-1"})
    assert first.status_code == 201, first.content
    assert first.json()["lines"][0]["protected_fen"] == 2000
    again = f.post_json(buyer, claim_url(order), **{"Idempotency-Key": "pp-1"})
    assert (again.status_code, again.json()) == (201, first.json())
    assert ProtectionPayout.objects.count() == 1
    assert ProtectionPayout.objects.get().trigger == "buyer"


def test_a_claim_with_nothing_owed_is_409_with_its_code_and_writes_nothing():
    order = protected_order()
    response = f.post_json(f.api_client(order.buyer), claim_url(order), **{"Idempotency-Key": "pp-2"})
    assert response.status_code == 409
    assert response.json()["code"] == "protection_not_lower"
    assert not ProtectionPayout.objects.exists() and not Refund.objects.filter(kind="payout").exists()


def test_another_buyers_order_is_404_and_a_merchant_is_403():
    order = protected_order()
    set_price(order, 9000)
    stranger = f.api_client(f.buyer())
    assert stranger.get(f"/api/orders/{order.pk}/price-protection").status_code == 404
    assert f.post_json(stranger, claim_url(order)).status_code == 404
    assert f.post_json(f.api_client(f.staff(order.merchant)), claim_url(order)).status_code == 403
    assert not ProtectionPayout.objects.exists()


def test_lines_without_price_protection_are_not_listed():
    order = protected_order(days=0)
    answer = f.api_client(order.buyer).get(f"/api/orders/{order.pk}/price-protection")
    assert answer.json() == {"order_id": order.pk, "lines": []}
