"""The provider's refund notifications under /api/payments/refunds/."""

from django.http import HttpRequest
from ninja import Router, Schema

from anxin.payments import provider, services

router = Router(tags=["payments"])


class RefundReceived(Schema):
    status: str
    refund_id: int
    refund_state: str


@router.post("/payments/refunds/callback", auth=None, response=RefundReceived)
def refund_callback(request: HttpRequest):
    """The provider's server-to-server word on a refund, signed with HMAC-SHA256 in `X-Anxin-Signature`.
    Sent twice, it counts once."""
    signature = request.headers.get(provider.SIGNATURE_HEADER, "")
    refund = services.handle_refund_notification(request.body, signature)
    return {"status": "ok", "refund_id": refund.pk, "refund_state": refund.state}
