"""The seller center's catalog forms: a product, a SKU (price in yuan through the shared `YuanField`). They
parse what a person typed; the services decide what is allowed."""

from typing import TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

from anxin.catalog.models import Category, Product
from anxin.core.pages import YuanField, local_name


class ProductForm(forms.Form):
    title = forms.CharField(label=_("商品标题"), max_length=120, required=False)
    title_en = forms.CharField(label=_("英文标题（可选）"), max_length=160, required=False)
    brand = forms.CharField(label=_("品牌"), max_length=60, required=False)
    category = forms.ModelChoiceField(
        label=_("类目"), queryset=Category.objects.order_by("position", "id"), required=False, empty_label="—"
    )
    description = forms.CharField(label=_("商品描述"), widget=forms.Textarea, required=False)
    is_fresh = forms.BooleanField(label=_("生鲜商品"), required=False)
    no_reason_return = forms.ChoiceField(
        label=_("7天无理由退货"), choices=Product.NoReasonReturn.choices, initial=Product.NoReasonReturn.YES
    )
    handling_hours = forms.IntegerField(label=_("发货时限（小时）"), initial=48, min_value=1, max_value=720)
    price_protection_days = forms.TypedChoiceField(
        label=_("价保"),
        choices=[(0, _("不提供价保")), (7, _("7天价保")), (15, _("15天价保")), (30, _("30天价保"))],
        coerce=int,
        empty_value=None,  # not sent: left as it is (a new product offers none)
        required=False,
        initial=0,
        help_text=_("付款后这段时间内降价，系统自动把差价退给买家，由店铺承担。"),
    )
    remote_deliverable = forms.BooleanField(
        label=_("可配送偏远地区"),
        required=False,
        initial=True,
        help_text=_(
            "新疆、西藏、青海、甘肃、宁夏、内蒙古的订单经中转仓配送，第二段运费由平台承担；取消勾选后这些地区的买家会看到不能配送的原因。"
        ),
    )
    is_active = forms.BooleanField(label=_("上架销售"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = local_name  # the English name on English pages

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "category"}
        data["category_id"] = self.cleaned_data["category"].pk if self.cleaned_data.get("category") else None
        return data


Row = TypeVar("Row")


def move_row(rows: list[Row], verb: str, index: str) -> list[Row]:
    """The editors' row buttons (`remove`, `up`, `down` with the row's index); an index out of range does nothing."""
    i = int(index) if index.isdigit() else -1
    if not 0 <= i < len(rows):
        return rows
    if verb == "remove":
        rows.pop(i)
    elif verb == "up" and i > 0:
        rows[i - 1], rows[i] = rows[i], rows[i - 1]
    elif verb == "down" and i < len(rows) - 1:
        rows[i + 1], rows[i] = rows[i], rows[i + 1]
    return rows


class SKUForm(forms.Form):
    code = forms.CharField(label=_("SKU 编码"), max_length=64, required=False)
    price = YuanField(label=_("价格（元）"), required=False)
    weight_g = forms.IntegerField(label=_("重量（克）"), min_value=0, max_value=1_000_000, required=False)
    stock = forms.IntegerField(label=_("可售库存"), min_value=0, max_value=10_000_000, required=False)
    is_active = forms.BooleanField(label=_("在售"), required=False, initial=True)

    def clean_price(self):
        price = self.cleaned_data.get("price")
        if price is None:
            raise forms.ValidationError(_("请填写价格。"))
        return price
