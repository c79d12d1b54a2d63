"""Ops edit remote flags and transit hubs here (RULES §1 lets ops change them); codes come from imports."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anxin.geo.models import Region


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = [
            *("code", "name", "name_en", "level", "parent"),
            *("latitude", "longitude", "is_remote", "hub_code"),
        ]

    def clean_hub_code(self) -> str:
        """A hub must be a city in the table, or parcels to remote regions would have nowhere to go."""
        hub_code = (self.cleaned_data.get("hub_code") or "").strip()
        if hub_code and not Region.objects.filter(pk=hub_code, level=Region.Level.CITY).exists():
            raise forms.ValidationError(_("中转仓必须是地区表中的一个城市代码"))
        return hub_code

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("is_remote") and not cleaned.get("hub_code"):
            self.add_error("hub_code", _("偏远地区需要指定中转仓城市"))
        return cleaned


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    form = RegionForm
    list_display = ("code", "name", "name_en", "level", "parent", "is_remote", "hub_code")
    list_editable = ("is_remote", "hub_code")
    list_filter = ("level", "is_remote")
    search_fields = ("code", "name", "name_en")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)
    ordering = ("code",)
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("code", "name", "name_en", "level", "parent")}),
        (gettext_lazy("中心坐标"), {"fields": ("latitude", "longitude")}),
        (gettext_lazy("偏远地区（省份）"), {"fields": ("is_remote", "hub_code")}),
    )
