"""The seller center's catalog forms: a product, a SKU (price in yuan through the shared `YuanField`). They
parse what a person typed; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anxin.catalog.models import Category, Product
from anxin.core.pages import YuanField


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
    remote_deliverable = forms.BooleanField(
        label=_("可配送偏远地区"),
        required=False,
        initial=True,
        help_text=_(
            "新疆、西藏、青海、甘肃、宁夏、内蒙古的订单经中转仓配送，第二段运费由平台承担；取消勾选后这些地区的买家会看到不能配送的原因。"
        ),
    )
    is_active = forms.BooleanField(label=_("上架销售"), required=False, initial=True)

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "category"}
        data["category_id"] = self.cleaned_data["category"].pk if self.cleaned_data.get("category") else None
        return data


def parse_spec(text: str) -> dict[str, str]:
    """`颜色: 红; 尺码: 42` -> {"颜色": "红", "尺码": "42"}."""
    spec: dict[str, str] = {}
    for part in text.replace("；", ";").replace("\n", ";").split(";"):
        if not part.strip():
            continue
        key, sep, value = part.replace("：", ":").partition(":")
        if not sep or not key.strip() or not value.strip():
            raise forms.ValidationError(_("规格请写成“属性: 值”，多个用分号隔开，例如 颜色: 红; 尺码: 42。"))
        spec[key.strip()] = value.strip()
    return spec


class SKUForm(forms.Form):
    code = forms.CharField(label=_("SKU 编码"), max_length=64, required=False)
    spec = forms.CharField(label=_("规格"), required=False, help_text=_("例如 颜色: 红; 尺码: 42"))
    price = YuanField(label=_("价格（元）"), required=False)
    weight_g = forms.IntegerField(label=_("重量（克）"), min_value=0, max_value=1_000_000, required=False)
    stock = forms.IntegerField(label=_("可售库存"), min_value=0, max_value=10_000_000, required=False)
    is_active = forms.BooleanField(label=_("在售"), required=False, initial=True)

    def clean_spec(self):
        return parse_spec(self.cleaned_data.get("spec") or "")

    def clean_price(self):
        price = self.cleaned_data.get("price")
        if price is None:
            raise forms.ValidationError(_("请填写价格。"))
        return price
