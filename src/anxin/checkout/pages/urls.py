"""The buying pages' URLs: the product page, the cart, the checkout and the simulated provider's pay page."""

from django.urls import path

from anxin.checkout.pages import buyer, simulated_provider

urlpatterns = [
    path("p/<int:product_id>/", buyer.product_detail, name="product"),
    path("p/<int:product_id>/preview/", buyer.product_preview, name="product_preview"),
    path("cart/", buyer.cart, name="cart"),
    path("cart/lines/<int:line_id>/quantity/", buyer.cart_line_quantity, name="cart_line_quantity"),
    path("cart/lines/<int:line_id>/remove/", buyer.cart_line_remove, name="cart_line_remove"),
    path("checkout/", buyer.checkout, name="checkout"),
    path("pay/sim/<int:payment_id>/", simulated_provider.sim_pay, name="sim_pay"),
]
