"""POST /api/payments/refunds/callback: the provider's signed word on a refund, counted once."""

import json

import pytest

from anxin.payments import provider, services
from anxin.payments.models import Refund
from tests import factories as f
from tests.payments.helpers import captured_payment, money_rows

pytestmark = pytest.mark.django_db

URL = "/api/payments/refunds/callback"


def callback(body: bytes, signature: str):
    return f.Client().post(URL, body, content_type="application/json", headers={"X-Anxin-Signature": signature})


@pytest.fixture
def refund() -> Refund:
    return services.request_refund(captured_payment(10000), 4000, key="r1", reason="test")


def test_a_signed_confirmation_marks_the_refund_succeeded_once(refund):
    body, signature = provider.refund_notification(refund)
    response = callback(body, signature)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "refund_id": refund.pk, "refund_state": "succeeded"}
    before = money_rows()
    assert callback(body, signature).status_code == 200
    assert money_rows() == before


@pytest.mark.parametrize("signature", ["", "0" * 64, "not-hex"])
def test_a_forged_confirmation_is_refused_and_changes_nothing(refund, signature):
    body, _ = provider.refund_notification(refund)
    before = money_rows()
    response = callback(body, signature)
    assert (response.status_code, response.json()["code"]) == (400, "bad_signature")
    assert money_rows() == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{oops", "bad_notification"),
        (b'{"refund_id": 999999, "amount_fen": 4000, "provider_ref": "p", "status": "succeeded"}', "unknown_refund"),
    ],
)
def test_a_malformed_or_unknown_confirmation_is_refused_and_changes_nothing(refund, body, code):
    before = money_rows()
    response = callback(body, provider.sign(body))
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert money_rows() == before


@pytest.mark.parametrize(
    ("path", "sample"),
    [
        ("/api/payments/callback", lambda: provider.notification(captured_payment(5000))),
        (
            URL,
            lambda: provider.refund_notification(
                services.request_refund(captured_payment(5000), 100, key="d", reason="t")
            ),
        ),
    ],
)
def test_openapi_declares_each_callbacks_signed_body_and_header(path, sample):
    operation = f.Client().get("/api/openapi.json").json()["paths"][path]["post"]
    header = [p for p in operation["parameters"] if p["in"] == "header"]
    assert [(p["name"], p["required"]) for p in header] == [("X-Anxin-Signature", True)]
    declared = operation["requestBody"]["content"]["application/json"]["schema"]
    body, _signature = sample()
    assert sorted(declared["required"]) == sorted(json.loads(body))  # the document names what the provider sends
