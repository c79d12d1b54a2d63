"""Shops, categories, products and SKUs in the Django admin.

Ops correct texts and switch shops, products and SKUs on or off here; shops, products and SKUs are created
by their merchants (or onboarding) through the catalog services, never here, and a price is the merchant's
(its changes are history that price protection reads), so it is shown in 元 and read-only. Nothing that
orders point at is deleted: it is switched off instead."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from anxin.catalog.models import SKU, Category, Merchant, Product
from anxin.core.admin import MoneyAdmin, yuan


class CatalogAdmin(MoneyAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Merchant)
class MerchantAdmin(CatalogAdmin):
    list_display = ("name", "slug", "origin_province", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "slug")
    list_select_related = ("origin_province",)
    readonly_fields = ("slug", "origin_province", "origin_city_code", "created_at")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "parent", "position")
    search_fields = ("name", "name_en", "slug")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class SKUInline(admin.TabularInline):
    model = SKU
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("code", "spec", yuan("price_fen"), "weight_g", "is_active")
    readonly_fields = ("code", "spec", yuan("price_fen"), "weight_g")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(CatalogAdmin):
    list_display = ("title", "merchant", "category", "is_active", "is_fresh", "created_at")
    list_filter = ("is_active", "is_fresh", "no_reason_return", "remote_deliverable", "category")
    search_fields = ("title", "title_en", "brand", "merchant__name")
    list_select_related = ("merchant", "category")
    readonly_fields = ("merchant", "shipping_template", "created_at")
    raw_id_fields = ("category",)
    inlines = (SKUInline,)


@admin.register(SKU)
class SKUAdmin(CatalogAdmin):
    list_display = ("code", "product", yuan("price_fen"), "weight_g", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "product__title", "product__merchant__name")
    list_select_related = ("product",)
    readonly_fields = ("product", "code", "spec")
    money = ("price_fen",)
