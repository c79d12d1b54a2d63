from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from anxin.accounts.models import Address, ApiToken, User


@admin.register(User)
class AnxinUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "merchant", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (*UserAdmin.fieldsets, ("Anxin", {"fields": ("role", "merchant", "display_name", "phone")}))


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("recipient", "user", "province_code", "city_code", "county_code", "is_default")
    search_fields = ("recipient", "user__username", "street")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at")
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")
