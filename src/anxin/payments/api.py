"""The provider's refund notifications under /api/payments/refunds/."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from anxin.payments import provider, services

router = Router(tags=["payments"])


class RefundNotificationIn(Schema):
    """The body the provider signs (documented only: the endpoint verifies the exact bytes, then parses them)."""

    refund_id: int
    amount_fen: int
    provider_ref: str
    status: str


class PaymentNotificationIn(Schema):
    """The body of a payment notification, as `RefundNotificationIn` (used by `checkout.api`)."""

    payment_id: int
    amount_fen: int
    provider_ref: str
    status: str


def signed_notification(body: type[Schema]) -> dict[str, Any]:
    """The OpenAPI of a provider callback: its JSON body and the signature header. Declared by hand because
    the view reads `request.body` itself; a parsed body would lose the exact bytes the signature covers."""
    return {
        "parameters": [
            {
                "in": "header",
                "name": provider.SIGNATURE_HEADER,
                "required": True,
                "schema": {"type": "string"},
                "description": "hex HMAC-SHA256 of the exact body bytes with the provider's signing key",
            }
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": body.model_json_schema()}},
        },
    }


class RefundReceived(Schema):
    status: str
    refund_id: int
    refund_state: str


@router.post(
    "/payments/refunds/callback",
    auth=None,
    response=RefundReceived,
    openapi_extra=signed_notification(RefundNotificationIn),
)
def refund_callback(request: HttpRequest):
    """The provider's server-to-server word on a refund, signed with HMAC-SHA256 in `X-Anxin-Signature`.
    Sent twice, it counts once."""
    signature = request.headers.get(provider.SIGNATURE_HEADER, "")
    refund = services.handle_refund_notification(request.body, signature)
    return {"status": "ok", "refund_id": refund.pk, "refund_state": refund.state}
