"""The buying pages' URLs: the storefront's search, the shop pages, the product page, the cart, the checkout
and the simulated provider's pay page."""

from django.urls import path

from anxin.checkout.pages import buyer, paid, simulated_provider, storefront

urlpatterns = [
    path("", storefront.home, name="home"),
    path("shop/<shop_slug>/", storefront.shop, name="shop"),
    path("p/<int:product_id>/", buyer.product_detail, name="product"),
    path("p/<int:product_id>/preview/", buyer.product_preview, name="product_preview"),
    path("cart/", buyer.cart, name="cart"),
    path("cart/lines/<int:line_id>/quantity/", buyer.cart_line_quantity, name="cart_line_quantity"),
    path("cart/lines/<int:line_id>/remove/", buyer.cart_line_remove, name="cart_line_remove"),
    path("cart/select/", buyer.cart_select, name="cart_select"),
    path("cart/pending/", buyer.cart_pending, name="cart_pending"),
    path("checkout/", buyer.checkout, name="checkout"),
    path("checkout/now/", buyer.checkout_now, name="checkout_now"),
    path("pay/sim/<int:payment_id>/", simulated_provider.sim_pay, name="sim_pay"),
    path("pay/<int:payment_id>/result/", paid.payment_result, name="payment_result"),
]
