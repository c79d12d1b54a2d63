"""After-sales cases in the Django admin: view-only (cases move through their services and deadlines)."""

from django.contrib import admin

from anxin.aftersales.models import Case, CaseEntry, CaseLine, Evidence
from anxin.core.admin import RecordAdmin, RecordInline, yuan

CASE_MONEY = ("asked_fen", "refunded_fen", "postage_fen")


class CaseLineInline(RecordInline):
    model = CaseLine
    fields = ("order_line", "quantity", yuan("amount_fen"), "open")
    money = ("amount_fen",)


class CaseEntryInline(RecordInline):
    model = CaseEntry
    fields = ("role", "author", "text", "created_at")


@admin.register(Case)
class CaseAdmin(RecordAdmin):
    list_display = ("number", "kind", "reason", "state", "merchant", yuan("asked_fen"), "due_at", "created_at")
    list_filter = ("state", "kind", "reason", "instant", "auto_approved", "created_at")
    search_fields = ("number", "order__number", "buyer__username", "merchant__name")
    list_select_related = ("merchant",)
    date_hierarchy = "created_at"
    money = CASE_MONEY
    inlines = (CaseLineInline, CaseEntryInline)


@admin.register(Evidence)
class EvidenceAdmin(RecordAdmin):
    list_display = ("case", "role", "image", "created_at")
    list_select_related = ("case",)
