"""The simulated provider and its signed callback: counted once, late money returned, declines recorded."""

from datetime import timedelta

import pytest
from django.test import override_settings

from anxin.checkout import services
from anxin.core import clock, deadlines, ledger
from anxin.core.errors import Conflict
from anxin.core.models import LedgerTransaction
from anxin.orders.models import Checkout, Order
from anxin.payments import provider as payment_provider
from anxin.payments.models import Payment, Refund
from tests import factories as f
from tests.payments.helpers import money_rows

pytestmark = pytest.mark.django_db


def callback(body: bytes, signature: str):
    return f.Client().post(
        "/api/payments/callback", body, content_type="application/json", headers={"X-Anxin-Signature": signature}
    )


def test_the_same_callback_sent_twice_pays_once():
    checkout = f.placed_checkout()
    payment = services.start_payment(checkout.buyer, checkout.pk)
    body, signature = payment_provider.notification(payment)
    assert callback(body, signature).status_code == 200
    assert callback(body, signature).status_code == 200
    assert LedgerTransaction.objects.filter(kind="payment_received").count() == 1
    assert ledger.balance(ledger.ESCROW) == -checkout.total_fen
    assert Order.objects.get(checkout=checkout).state == "paid"


def test_starting_payment_twice_opens_one_payment():
    checkout = f.placed_checkout()
    first = services.start_payment(checkout.buyer, checkout.pk)
    second = services.start_payment(checkout.buyer, checkout.pk)
    assert first.pk == second.pk
    assert Payment.objects.count() == 1


def test_payment_start_with_an_idempotency_key_replays_the_first_answer():
    checkout = f.placed_checkout()
    client = f.api_client(checkout.buyer)
    first = f.post_json(client, f"/api/checkouts/{checkout.pk}/payment", **{"Idempotency-Key": "pay-1"})
    second = f.post_json(client, f"/api/checkouts/{checkout.pk}/payment", **{"Idempotency-Key": "pay-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()


def test_payment_ships_by_the_products_handling_time():
    item = f.product(handling_hours=24)
    clock.freeze(clock.now())
    checkout = f.paid_checkout(lines=[(item.skus.first(), 1)])
    order = checkout.orders.get()
    assert order.ship_by == order.paid_at + timedelta(hours=24)


def test_a_declined_payment_leaves_the_order_unpaid():
    checkout = f.placed_checkout()
    payment = services.start_payment(checkout.buyer, checkout.pk)
    services.simulate_provider_approval(checkout.buyer, payment.pk, approve=False)
    payment.refresh_from_db()
    assert payment.state == "refused"
    assert checkout.orders.get().state == "pending_payment"
    assert ledger.balances() == {}


def test_money_arriving_after_expiry_is_refunded_in_full():
    clock.freeze(clock.now())
    checkout = f.placed_checkout()
    payment = services.start_payment(checkout.buyer, checkout.pk)
    clock.advance(timedelta(minutes=31))
    deadlines.run_due()
    assert Checkout.objects.get(pk=checkout.pk).state == "cancelled"
    body, signature = payment_provider.notification(payment)
    assert callback(body, signature).status_code == 200
    refund = Refund.objects.get(payment=payment)
    assert (refund.state, refund.amount_fen) == ("requested", payment.amount_fen)
    assert ledger.balance(ledger.ESCROW) == 0
    assert ledger.balance(ledger.PROVIDER_CLEARING) == payment.amount_fen  # still with the provider
    deadlines.run_due()
    refund.refresh_from_db()
    assert refund.state == "succeeded"
    assert ledger.balance(ledger.PROVIDER_CLEARING) == 0
    assert ledger.balance(ledger.REFUNDS_PAYABLE) == 0
    assert LedgerTransaction.objects.filter(kind="refund_paid").count() == 1


def test_an_expired_checkout_cannot_start_payment():
    clock.freeze(clock.now())
    checkout = f.placed_checkout()
    clock.advance(timedelta(minutes=30))
    with pytest.raises(Conflict):
        services.start_payment(checkout.buyer, checkout.pk)


def test_a_paid_checkout_cannot_be_paid_again():
    checkout = f.paid_checkout()
    with pytest.raises(Conflict):
        services.start_payment(checkout.buyer, checkout.pk)


def test_the_pay_page_pays_and_returns_to_my_orders():
    checkout = f.placed_checkout()
    payment = services.start_payment(checkout.buyer, checkout.pk)
    client = f.Client()
    client.force_login(checkout.buyer)
    page = client.get(payment_provider.pay_url(payment))
    assert page.status_code == 200
    response = client.post(payment_provider.pay_url(payment), {"action": "pay"})
    assert response.status_code == 302
    assert checkout.orders.get().state == "paid"


def test_another_buyers_pay_page_is_not_found():
    checkout = f.placed_checkout()
    payment = services.start_payment(checkout.buyer, checkout.pk)
    client = f.Client()
    client.force_login(f.buyer())
    assert client.get(payment_provider.pay_url(payment)).status_code == 404
    assert client.post(payment_provider.pay_url(payment), {"action": "pay"}).status_code == 404
    assert checkout.orders.get().state == "pending_payment"


UNKNOWN_PAYMENT = b'{"payment_id": 999999, "amount_fen": 1, "provider_ref": "X", "status": "succeeded"}'


def payment_rows() -> tuple:
    return (
        money_rows(),
        list(Payment.objects.values_list("pk", "state", "provider_ref").order_by("pk")),
        list(Order.objects.values_list("pk", "state").order_by("pk")),
    )


@pytest.mark.parametrize(
    ("body", "signed", "code"),
    [
        (b"{not json", True, "bad_notification"),
        (b'"just a string"', True, "bad_notification"),
        (b'{"payment_id": 1}', True, "bad_notification"),
        (
            b'{"payment_id": 999999, "amount_fen": 1, "provider_ref": "X", "status": "succeeded"}',
            True,
            "unknown_payment",
        ),
        (
            b'{"payment_id": 999999, "amount_fen": 1, "provider_ref": "X", "status": "succeeded"}',
            False,
            "bad_signature",
        ),
    ],
)
def test_a_malformed_payment_callback_is_refused_and_changes_nothing(body, signed, code):
    checkout = f.placed_checkout()
    services.start_payment(checkout.buyer, checkout.pk)
    before = payment_rows()
    response = callback(body, payment_provider.sign(body) if signed else "0" * 64)
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert payment_rows() == before


def test_the_simulated_pages_and_endpoint_do_not_exist_with_another_provider():
    checkout = f.placed_checkout()
    payment = services.start_payment(checkout.buyer, checkout.pk)
    client, page = f.api_client(checkout.buyer), f.Client()
    page.force_login(checkout.buyer)
    before = payment_rows()
    with override_settings(ANXIN_PAYMENT_PROVIDER="realpay"):
        response = f.post_json(client, f"/api/payments/{payment.pk}/simulate")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
        assert page.get(f"/pay/sim/{payment.pk}/").status_code == 404
        assert page.post(f"/pay/sim/{payment.pk}/", {"action": "pay"}).status_code == 404
    assert payment_rows() == before


def test_the_simulated_endpoint_pays_with_the_simulated_provider():
    checkout = f.placed_checkout()
    payment = services.start_payment(checkout.buyer, checkout.pk)
    response = f.post_json(f.api_client(checkout.buyer), f"/api/payments/{payment.pk}/simulate")
    assert (response.status_code, response.json()["state"]) == (200, "succeeded")
