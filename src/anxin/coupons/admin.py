"""Coupons in the Django admin: view-only (issued and revoked through the ops console's services)."""

from django.contrib import admin

from anxin.core.admin import RecordAdmin, yuan
from anxin.coupons.models import Coupon

MONEY = ("amount_fen", "threshold_fen", "used_fen")


@admin.register(Coupon)
class CouponAdmin(RecordAdmin):
    list_display = ("pk", "buyer", "issuer_kind", "merchant", yuan("amount_fen"), "reason", "state", "valid_to")
    list_filter = ("state", "issuer_kind", "reason")
    search_fields = ("buyer__username", "key")
    money = MONEY
