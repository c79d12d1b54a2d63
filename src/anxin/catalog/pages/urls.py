"""The catalog's page URLs: the storefront and the seller's products, SKUs and questions."""

from django.urls import path

from anxin.catalog.pages import buyer, seller

urlpatterns = [
    path("", buyer.home, name="home"),
    path("seller/products/", seller.product_list, name="seller_products"),
    path("seller/products/new/", seller.product_new, name="seller_product_new"),
    path("seller/products/<int:product_id>/", seller.product_edit, name="seller_product_edit"),
    path("seller/products/<int:product_id>/skus/", seller.sku_add, name="seller_sku_add"),
    path("seller/skus/<int:sku_id>/", seller.sku_edit, name="seller_sku_edit"),
    path("seller/products/<int:product_id>/questions/", seller.questions, name="seller_questions"),
]
