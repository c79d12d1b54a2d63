"""Read helpers for the checkout's pages: a buyer's cart lines with what the cart page shows of them, and a
buyer's own payment for the simulated provider's page."""

from django.db.models import QuerySet

from anxin.checkout.models import CartLine
from anxin.payments.models import Payment


def cart_lines(buyer) -> QuerySet[CartLine]:
    """The buyer's cart lines with their SKU, product, shop and stock (one query), oldest first."""
    return (
        CartLine.objects.filter(cart__buyer=buyer)
        .select_related("sku", "sku__product", "sku__product__merchant", "sku__stock")
        .order_by("pk")
    )


def buyers_payment(buyer, payment_id: int) -> Payment | None:
    """The payment of one of `buyer`'s checkouts; None for anyone else's (the page answers 404)."""
    return Payment.objects.select_related("checkout").filter(pk=payment_id, checkout__buyer=buyer).first()
