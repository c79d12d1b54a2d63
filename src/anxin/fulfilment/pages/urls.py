"""Fulfilment's page URLs: the scan desk and hub dispatch, the courier's deliveries, the remote figures,
the seller's bulk shipping."""

from django.urls import path

from anxin.fulfilment.pages import carrier, courier, ops, seller

urlpatterns = [
    path("logistics/scans/", carrier.desk, name="scans"),
    path("logistics/scans/one/", carrier.post_scan, name="scans_post"),
    path("logistics/scans/import/", carrier.import_scans, name="scans_import"),
    path("logistics/scans/<int:scan_id>/resolve/", carrier.resolve, name="scans_resolve"),
    path("logistics/hub/dispatch/", carrier.dispatch, name="scans_dispatch"),
    path("deliveries/", courier.deliveries, name="deliveries"),
    path("deliveries/<int:order_id>/delivered/", courier.delivered, name="delivered"),
    path("seller/orders/bulk-ship/", seller.bulk_ship, name="seller_bulk_ship"),
    path("ops/remote/figures/", ops.remote_figures, name="ops_remote_figures"),
]
