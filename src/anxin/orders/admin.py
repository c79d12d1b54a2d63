"""Orders in the Django admin: view-only (money and states change through the ops console's services)."""

from django.contrib import admin

from anxin.core.admin import RecordAdmin, RecordInline, yuan
from anxin.orders.models import Checkout, Order, OrderLine

ORDER_MONEY = ("goods_fen", "shipping_fen", "total_fen", "discount_fen", "refunded_fen")
LINE_MONEY = ("unit_price_fen", "total_fen", "discount_fen", "refunded_fen")


class OrderLineInline(RecordInline):
    model = OrderLine
    fields = ("title", "spec", "answers", "quantity", *(yuan(field) for field in LINE_MONEY))
    money = LINE_MONEY


@admin.register(Order)
class OrderAdmin(RecordAdmin):
    list_display = ("number", "state", "buyer", "merchant", yuan("total_fen"), yuan("refunded_fen"), "created_at")
    list_filter = ("state", "created_at", "hub_code")
    search_fields = ("number", "buyer__username", "merchant__name")
    list_select_related = ("buyer", "merchant")
    date_hierarchy = "created_at"
    money = ORDER_MONEY
    inlines = (OrderLineInline,)


@admin.register(OrderLine)
class OrderLineAdmin(RecordAdmin):
    list_display = ("order", "title", "quantity", yuan("unit_price_fen"), yuan("total_fen"), yuan("refunded_fen"))
    search_fields = ("order__number", "title")
    list_select_related = ("order",)
    money = LINE_MONEY


@admin.register(Checkout)
class CheckoutAdmin(RecordAdmin):
    list_display = ("pk", "buyer", "state", yuan("total_fen"), "created_at", "paid_at")
    list_filter = ("state", "created_at")
    search_fields = ("buyer__username", "orders__number")
    list_select_related = ("buyer",)
    money = ("total_fen",)
