"""The catalog's page URLs: the seller's products, SKUs and questions (the storefront is the checkout's)."""

from django.urls import path

from anxin.catalog.pages import question_editor, seller, specs

urlpatterns = [
    path("seller/products/", seller.product_list, name="seller_products"),
    path("seller/products/new/", seller.product_new, name="seller_product_new"),
    path("seller/products/<int:product_id>/", seller.product_edit, name="seller_product_edit"),
    path("seller/products/<int:product_id>/specs/", specs.spec_matrix, name="seller_specs"),
    path("seller/products/<int:product_id>/images/", seller.product_images, name="seller_product_images"),
    path("seller/skus/<int:sku_id>/", seller.sku_edit, name="seller_sku_edit"),
    path("seller/products/<int:product_id>/questions/", question_editor.questions, name="seller_questions"),
]
