"""The built-in simulated payment provider: a pay page plus a signed server-to-server notification.

A real provider plugs in behind the same two calls: `pay_url(payment)` for where to send the buyer, and
`verify(body, signature)` for its notification. Signatures are HMAC-SHA256 over the exact body bytes.
"""

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.urls import reverse

NAME = "sim"
SIGNATURE_HEADER = "X-Anxin-Signature"


def _key() -> bytes:
    return settings.PAYMENT_SIGNING_KEY.encode()


def sign(body: bytes) -> str:
    return hmac.new(_key(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, signature: str) -> bool:
    return bool(signature) and hmac.compare_digest(sign(body), signature.strip())


def pay_url(payment) -> str:
    return reverse("checkout:sim_pay", args=[payment.pk])


def notification(payment, *, status: str = "succeeded") -> tuple[bytes, str]:
    """What the provider sends us when the buyer approves (or declines) on its page: body and signature."""
    payload: dict[str, Any] = {
        "payment_id": payment.pk,
        "amount_fen": payment.amount_fen,
        "provider_ref": f"SIM{payment.pk:010d}",
        "status": status,
    }
    body = json.dumps(payload, separators=(",", ":")).encode()
    return body, sign(body)
