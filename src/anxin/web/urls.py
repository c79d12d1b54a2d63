from django.urls import path

from anxin.web import ops, scans, seller, views

app_name = "web"
urlpatterns = [
    # account
    path("login/", views.AnxinLoginView.as_view(), name="login"),
    path("logout/", views.AnxinLogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    # storefront
    path("", views.home, name="home"),
    path("p/<int:product_id>/", views.product_detail, name="product"),
    path("p/<int:product_id>/preview/", views.product_preview, name="product_preview"),
    # cart, addresses, checkout
    path("cart/", views.cart, name="cart"),
    path("cart/lines/<int:line_id>/quantity/", views.cart_line_quantity, name="cart_line_quantity"),
    path("cart/lines/<int:line_id>/remove/", views.cart_line_remove, name="cart_line_remove"),
    path("addresses/", views.address_list, name="address_list"),
    path("addresses/new/", views.address_new, name="address_new"),
    path("addresses/<int:address_id>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<int:address_id>/delete/", views.address_delete, name="address_delete"),
    path("addresses/regions/", views.region_selects, name="region_selects"),
    path("checkout/", views.checkout, name="checkout"),
    # my orders
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:order_id>/", views.order_detail, name="order_detail"),
    path("orders/<int:order_id>/pay/", views.order_pay, name="order_pay"),
    path("orders/<int:order_id>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<int:order_id>/confirm/", views.order_confirm, name="order_confirm"),
    # seller center
    path("seller/", seller.dashboard, name="seller_dashboard"),
    path("seller/orders/", seller.order_list, name="seller_orders"),
    path("seller/orders/<int:order_id>/", seller.order_detail, name="seller_order"),
    path("seller/orders/<int:order_id>/packing-slip/", seller.packing_slip, name="seller_packing_slip"),
    path("seller/production/", seller.production, name="seller_production"),
    path("seller/products/", seller.product_list, name="seller_products"),
    path("seller/products/new/", seller.product_new, name="seller_product_new"),
    path("seller/products/<int:product_id>/", seller.product_edit, name="seller_product_edit"),
    path("seller/products/<int:product_id>/skus/", seller.sku_add, name="seller_sku_add"),
    path("seller/skus/<int:sku_id>/", seller.sku_edit, name="seller_sku_edit"),
    path("seller/products/<int:product_id>/questions/", seller.questions, name="seller_questions"),
    path("seller/shipping/", seller.shipping_list, name="seller_shipping"),
    path("seller/shipping/new/", seller.shipping_new, name="seller_shipping_new"),
    path("seller/shipping/<int:template_id>/", seller.shipping_edit, name="seller_shipping_edit"),
    path("seller/shipping/<int:template_id>/products/", seller.shipping_assign, name="seller_shipping_assign"),
    # carriers, couriers and ops: scans and the transit hub
    path("logistics/scans/", scans.desk, name="scans"),
    path("logistics/scans/one/", scans.post_scan, name="scans_post"),
    path("logistics/scans/import/", scans.import_scans, name="scans_import"),
    path("logistics/hub/dispatch/", scans.dispatch, name="scans_dispatch"),
    # ops console
    path("ops/", ops.dashboard, name="ops_dashboard"),
    path("ops/lookup/", ops.lookup, name="ops_lookup"),
    path("ops/orders/<int:order_id>/", ops.order_detail, name="ops_order"),
    path("ops/remote/", ops.remote_program, name="ops_remote"),
    path("ops/remote/figures/", ops.remote_figures, name="ops_remote_figures"),
]
