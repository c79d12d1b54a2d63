"""The coupon pages' URLs (composed under the `web` namespace by `anxin.web.urls`)."""

from django.urls import path

from anxin.coupons.pages import buyer, ops, seller

urlpatterns = [
    path("coupons/", buyer.wallet, name="coupons"),
    path("ops/coupons/", ops.issue, name="ops_coupons"),
    path("seller/coupons/", seller.issue, name="seller_coupons"),
]
