"""Carriers, their staff, shipments, legs and scans in the Django admin. Shipments, legs and scans are
view-only: they move orders and money (leg 2 is posted to the subsidy account), so they change only through
the scan desk and the fulfilment services."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from anxin.core.admin import RecordAdmin, RecordInline, yuan
from anxin.fulfilment.models import CarrierCompany, CarrierStaff, Leg, Scan, Shipment


@admin.register(CarrierCompany)
class CarrierCompanyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "aliases")
    search_fields = ("code", "name", "aliases")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(CarrierStaff)
class CarrierStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "company")
    list_filter = ("company",)
    search_fields = ("user__username", "company__name")
    list_select_related = ("user", "company")
    raw_id_fields = ("user",)


class LegInline(RecordInline):
    model = Leg
    fields = ("number", "purpose", "company", "carrier", "tracking_number", "created_at", "delivered_at")


@admin.register(Shipment)
class ShipmentAdmin(RecordAdmin):
    list_display = ("order", "state", yuan("leg2_cost_fen"), "courier", "created_at", "delivered_at")
    list_filter = ("state", "created_at")
    search_fields = ("order__number", "legs__tracking_number")
    list_select_related = ("order", "courier")
    date_hierarchy = "created_at"
    money = ("leg2_cost_fen",)
    inlines = (LegInline,)


@admin.register(Leg)
class LegAdmin(RecordAdmin):
    list_display = ("tracking_number", "company", "number", "purpose", "shipment", "created_at", "delivered_at")
    list_filter = ("company", "number", "purpose")
    search_fields = ("tracking_number", "shipment__order__number")
    list_select_related = ("company", "shipment")


@admin.register(Scan)
class ScanAdmin(RecordAdmin):
    list_display = ("tracking_number", "kind", "flag", "company", "at", "source", "posted_by", "recorded_at")
    list_filter = ("kind", "flag", "source", "company")
    search_fields = ("tracking_number", "location", "leg__shipment__order__number")
    list_select_related = ("company", "posted_by")
    date_hierarchy = "at"
