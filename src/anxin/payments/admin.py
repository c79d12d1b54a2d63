"""Payments and refunds in the Django admin: view-only, since each is a movement of money in the ledger."""

from django.contrib import admin

from anxin.core.admin import RecordAdmin, yuan
from anxin.payments.models import Payment, Refund


@admin.register(Payment)
class PaymentAdmin(RecordAdmin):
    list_display = ("pk", "provider", "state", yuan("amount_fen"), "created_at", "succeeded_at")
    list_filter = ("state", "provider", "created_at")
    search_fields = ("provider_ref",)
    date_hierarchy = "created_at"
    money = ("amount_fen",)


@admin.register(Refund)
class RefundAdmin(RecordAdmin):
    list_display = ("key", "payment", "state", yuan("amount_fen"), "reason", "attempts", "requested_at")
    list_filter = ("state", "requested_at")
    search_fields = ("key", "reason", "provider_ref")
    list_select_related = ("payment",)
    date_hierarchy = "requested_at"
    money = ("amount_fen",)
