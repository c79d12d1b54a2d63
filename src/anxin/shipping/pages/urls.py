"""The shipping pages' URLs: the seller's shipping templates and the ops remote programme."""

from django.urls import path

from anxin.shipping.pages import ops, seller

urlpatterns = [
    path("seller/shipping/", seller.shipping_list, name="seller_shipping"),
    path("seller/shipping/new/", seller.shipping_new, name="seller_shipping_new"),
    path("seller/shipping/<int:template_id>/", seller.shipping_edit, name="seller_shipping_edit"),
    path("seller/shipping/<int:template_id>/products/", seller.shipping_assign, name="seller_shipping_assign"),
    path("ops/remote/", ops.remote_program, name="ops_remote"),
]
