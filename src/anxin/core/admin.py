"""What every app's Django admin shares, and the admin of the rules' numbers (`Setting`).

The admin is for ops looking things up and fixing what has no page yet; it must never become a way around the
services. So money is shown in 元 and never edited here, and the rows the ledger stands on (orders, payments,
refunds, shipments, scans) are view-only: they change through the ops console, which calls the services that
post to the ledger and record events.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from anxin.core import config
from anxin.core.models import AuditRun, Setting
from anxin.core.money import format_fen

# The money columns the apps have, by field name, in words.
MONEY_LABELS = {
    "amount_fen": _("金额（元）"),
    "asked_fen": _("申请金额（元）"),
    "discount_fen": _("优惠券抵扣（元）"),
    "goods_fen": _("商品金额（元）"),
    "leg2_cost_fen": _("第二段运费（元）"),
    "price_delta_fen": _("加价（元）"),
    "postage_fen": _("退货补运费（元）"),
    "price_fen": _("价格（元）"),
    "refunded_fen": _("已退款（元）"),
    "shipping_fen": _("运费（元）"),
    "threshold_fen": _("使用门槛（元）"),
    "total_fen": _("合计（元）"),
    "unit_price_fen": _("单价（元）"),
    "used_fen": _("已抵扣（元）"),
}


@cache
def yuan(field: str) -> Callable[[Model], str]:
    """A column (and read-only row of a change form) showing the fen field `field` as `¥12.30`."""

    @admin.display(description=MONEY_LABELS[field], ordering=field)
    def shown(obj: Model) -> str:
        return format_fen(getattr(obj, field))

    shown.__name__ = f"{field}_in_yuan"
    return shown


class MoneyFields:
    """Shows the `money` fields in 元 and read-only, however the rest of the form is edited (an admin or an
    inline)."""

    money: tuple[str, ...] = ()

    def get_exclude(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return (*(super().get_exclude(request, obj) or ()), *self.money)  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[Any, ...]:
        return (*super().get_readonly_fields(request, obj), *(yuan(field) for field in self.money))  # type: ignore[misc]


class ViewOnly:
    """For rows the ledger and the events stand on: a change here would bypass the service that posts the money
    and records what happened, and a deletion would leave the ledger pointing at nothing."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class MoneyAdmin(MoneyFields, admin.ModelAdmin):
    """An editable admin whose money fields are read-only (shops, products, SKUs)."""


class RecordAdmin(ViewOnly, MoneyFields, admin.ModelAdmin):
    """A view-only admin (orders, payments, refunds, shipments, scans), money in 元."""


class RecordInline(ViewOnly, MoneyFields, admin.TabularInline):
    """The view-only rows inside a record's page (an order's lines, a shipment's legs)."""

    extra = 0
    show_change_link = True


class SettingForm(forms.ModelForm):
    class Meta:
        model = Setting
        fields = ["value"]

    def clean(self) -> dict[str, Any]:
        """The same bounds as the 规则参数 page: a number out of range is refused here, with its reason."""
        cleaned = super().clean() or {}
        key = self.instance.key
        problem = config.problems({key: cleaned.get("value")}).get(key)
        if problem:
            raise ValidationError({"value": problem})
        return cleaned


@admin.register(Setting)
class SettingAdmin(admin.ModelAdmin):
    """The rules' numbers ops have changed from their defaults (README: the `Setting` table); a number still at
    its default has no row and is changed on the 规则参数 page. A save goes through `config.change`, so it is
    checked, recorded as a `setting.changed` event with who changed it, and seen by every process."""

    form = SettingForm
    list_display = ("key", "value", "updated_at")
    search_fields = ("key",)
    ordering = ("key",)
    readonly_fields = ("key", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return getattr(request.user, "role", "") == "ops"

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Setting, form: forms.ModelForm, change: bool) -> None:
        config.change(request.user, {obj.key: obj.value})  # type: ignore[arg-type]  # ops, by has_change_permission
        obj.refresh_from_db()


@admin.register(AuditRun)
class AuditRunAdmin(RecordAdmin):
    list_display = ("ran_at", "breaches")
    date_hierarchy = "ran_at"
