"""The provider port: chosen by ANXIN_PAYMENT_PROVIDER, an unknown name stops start-up, signatures hold."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from anxin.payments import provider
from anxin.payments.apps import PaymentsConfig


def test_the_default_provider_is_the_simulated_one():
    assert provider.configured().name == "simulated"
    assert provider.is_simulated()


def test_an_unknown_provider_stops_start_up_with_its_name():
    import anxin.payments

    with override_settings(ANXIN_PAYMENT_PROVIDER="paypal-ish"), pytest.raises(ImproperlyConfigured) as stopped:
        PaymentsConfig("payments", anxin.payments).ready()
    assert "paypal-ish" in str(stopped.value)
    assert "simulated" in str(stopped.value)


def test_another_name_is_not_the_simulated_provider():
    with override_settings(ANXIN_PAYMENT_PROVIDER="realpay"):
        assert not provider.is_simulated()


def test_a_signature_covers_the_exact_body():
    body = b'{"refund_id":1}'
    signature = provider.sign(body)
    assert provider.verify(body, signature)
    assert not provider.verify(body + b" ", signature)
    assert not provider.verify(body, "")


def test_the_simulated_provider_answers_a_refund_with_a_signed_notification():
    class RefundStub:
        pk, amount_fen = 7, 1234

    body, signature = provider.SimulatedProvider().refund(RefundStub())
    assert provider.verify(body, signature)
    assert b'"refund_id":7' in body and b'"amount_fen":1234' in body
