"""People in the Django admin: buyers, shop staff, ops, couriers and carriers' accounts (by role), their
addresses and API tokens (a token's secret is never shown: only its prefix)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from anxin.accounts.models import Address, ApiToken, Consent, User


@admin.register(User)
class AnxinUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "merchant", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "display_name", "phone", "merchant__name")
    list_select_related = ("merchant",)
    raw_id_fields = ("merchant",)
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("安心"), {"fields": ("role", "merchant", "display_name", "phone", "phone_verified_at")}),
    )
    readonly_fields = ("phone_verified_at",)


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("recipient", "user", "province_code", "city_code", "county_code", "is_default")
    search_fields = ("recipient", "user__username", "street")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("prefix", "user__username", "name")
    exclude = ("key_hash",)
    readonly_fields = ("user", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Evidence of who accepted which version of the terms and privacy notice: shown, never edited."""

    list_display = ("user", "document", "version", "at", "client")
    list_filter = ("document", "version")
    search_fields = ("user__username", "user__phone")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
