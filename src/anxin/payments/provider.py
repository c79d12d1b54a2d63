"""The payment-provider port and the built-in simulated provider.

A provider is named by the setting `ANXIN_PAYMENT_PROVIDER` (environment variable, default `simulated`) and
implements `Provider`: where to send the buyer to pay (`pay_url`), how to check its signed notifications
(`verify`), and how to ask for money back (`refund`). A real provider is another class registered in
`PROVIDERS` under its own name; an unknown name stops the process at start-up (`PaymentsConfig.ready`).

The simulated provider has a pay page of ours (`/pay/sim/<id>/`) and signs its notifications with
HMAC-SHA256 over the exact body bytes. Its pages and the `simulate` endpoint answer only while it is the
configured provider.
"""

import hashlib
import hmac
import json
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

SIMULATED = "simulated"
SIGNATURE_HEADER = "X-Anxin-Signature"

# A notification as the provider sends it: the exact body bytes and their signature.
Signed = tuple[bytes, str]


class ProviderError(Exception):
    """The provider could not be reached or refused the call; the caller records it and tries again later."""


class Provider(Protocol):
    name: str

    def pay_url(self, payment) -> str: ...

    def verify(self, body: bytes, signature: str) -> bool: ...

    def refund(self, refund) -> Signed | None:
        """Ask for the refund's money to go back to the buyer (the provider de-duplicates by `refund.key`).

        Returns the provider's signed answer when it gives one at once; `None` when it will notify us later.
        Raises `ProviderError` when the request did not get through."""


def sign(body: bytes) -> str:
    return hmac.new(settings.PAYMENT_SIGNING_KEY.encode(), body, hashlib.sha256).hexdigest()


def _signed(payload: dict[str, Any]) -> Signed:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return body, sign(body)


class SimulatedProvider:
    """The demo's and the tests' provider: it approves refunds at once, with a signed notification."""

    name = SIMULATED

    def pay_url(self, payment) -> str:
        return reverse("web:sim_pay", args=[payment.pk])

    def verify(self, body: bytes, signature: str) -> bool:
        return bool(signature) and hmac.compare_digest(sign(body), signature.strip())

    def refund(self, refund) -> Signed:
        return refund_notification(refund)


PROVIDERS: dict[str, type[Provider]] = {SIMULATED: SimulatedProvider}


def configured() -> Provider:
    """The provider the setting names."""
    name = settings.ANXIN_PAYMENT_PROVIDER
    if name not in PROVIDERS:
        raise ImproperlyConfigured(
            f"ANXIN_PAYMENT_PROVIDER={name!r} is not a payment provider; known: {', '.join(sorted(PROVIDERS))}"
        )
    return PROVIDERS[name]()


def is_simulated() -> bool:
    return settings.ANXIN_PAYMENT_PROVIDER == SIMULATED


def pay_url(payment) -> str:
    return configured().pay_url(payment)


def verify(body: bytes, signature: str) -> bool:
    return configured().verify(body, signature)


def notification(payment, *, status: str = "succeeded") -> Signed:
    """What the simulated provider sends us when the buyer approves (or declines) on its page."""
    return _signed(
        {
            "payment_id": payment.pk,
            "amount_fen": payment.amount_fen,
            "provider_ref": f"SIM{payment.pk:010d}",
            "status": status,
        }
    )


def refund_notification(refund, *, status: str = "succeeded") -> Signed:
    """What the simulated provider sends us when it has paid a refund back (or could not)."""
    return _signed(
        {
            "refund_id": refund.pk,
            "amount_fen": refund.amount_fen,
            "provider_ref": f"SIMR{refund.pk:010d}",
            "status": status,
        }
    )
