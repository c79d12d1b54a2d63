"""Read helpers for the checkout's pages: a buyer's cart lines with what the cart page shows of them."""

from django.db.models import QuerySet

from anxin.checkout.models import CartLine


def cart_lines(buyer) -> QuerySet[CartLine]:
    """The buyer's cart lines with their SKU, product, shop and stock (one query), oldest first."""
    return (
        CartLine.objects.filter(cart__buyer=buyer)
        .select_related("sku", "sku__product", "sku__product__merchant", "sku__stock")
        .order_by("pk")
    )
