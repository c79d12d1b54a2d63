"""The order pages' URLs (composed under the `web` namespace by `anxin.web.urls`)."""

from django.urls import path

from anxin.orders.pages import buyer, ops, seller

urlpatterns = [
    path("orders/", buyer.order_list, name="order_list"),
    path("orders/<int:order_id>/", buyer.order_detail, name="order_detail"),
    path("orders/<int:order_id>/pay/", buyer.order_section, {"section": "pay"}, name="order_pay"),
    path("orders/<int:order_id>/cancel/", buyer.order_cancel, name="order_cancel"),
    path("orders/<int:order_id>/confirm/", buyer.order_confirm, name="order_confirm"),
    path("seller/", seller.dashboard, name="seller_dashboard"),
    path("seller/orders/", seller.order_list, name="seller_orders"),
    path("seller/orders/export.csv", seller.order_export, name="seller_orders_export"),
    path("seller/orders/<int:order_id>/", seller.order_detail, name="seller_order"),
    path("seller/orders/<int:order_id>/made/", seller.mark_made, name="seller_mark_made"),
    path("seller/orders/<int:order_id>/packing-slip/", seller.packing_slip, name="seller_packing_slip"),
    path("seller/production/", seller.production, name="seller_production"),
    path("ops/", ops.dashboard, name="ops_dashboard"),
    path("ops/lookup/", ops.lookup, name="ops_lookup"),
    path("ops/orders/<int:order_id>/", ops.order_detail, name="ops_order"),
    path("ops/orders/<int:order_id>/cancel/", ops.order_cancel, name="ops_order_cancel"),
    path("ops/orders/<int:order_id>/refund/", ops.order_refund, name="ops_order_refund"),
    path("ops/orders/<int:order_id>/note/", ops.order_note, name="ops_order_note"),
    path("ops/ledger/", ops.ledger_page, name="ops_ledger"),
    path("ops/payments/", ops.payment_list, name="ops_payments"),
    path("ops/settings/", ops.rule_settings, name="ops_settings"),
]
