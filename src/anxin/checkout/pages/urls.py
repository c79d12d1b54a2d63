"""The buying pages' URLs: the product page, the cart and the checkout."""

from django.urls import path

from anxin.checkout.pages import buyer

urlpatterns = [
    path("p/<int:product_id>/", buyer.product_detail, name="product"),
    path("p/<int:product_id>/preview/", buyer.product_preview, name="product_preview"),
    path("cart/", buyer.cart, name="cart"),
    path("cart/lines/<int:line_id>/quantity/", buyer.cart_line_quantity, name="cart_line_quantity"),
    path("cart/lines/<int:line_id>/remove/", buyer.cart_line_remove, name="cart_line_remove"),
    path("checkout/", buyer.checkout, name="checkout"),
]
