"""Forms of the pages. They parse what a person typed; the services decide what is allowed, and their
AnxinError.fields are put back next to the right field by `apply_error`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anxin.catalog.models import Category, Product
from anxin.core.errors import AnxinError
from anxin.core.money import parse_yuan


def apply_error(form: forms.Form, exc: AnxinError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's error on the form: each field's message beside it, the rest at the top."""
    aliases = aliases or {}
    placed = False
    for key, message in exc.fields.items():
        name = aliases.get(key, key)
        if name in form.fields:
            form.add_error(name, message)
            placed = True
        else:
            form.add_error(None, message)
    if not placed:
        form.add_error(None, exc.message)


class SignUpForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, required=False)
    display_name = forms.CharField(label=_("昵称（可选）"), max_length=64, required=False)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, required=False, strip=False)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, required=False, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class AddressForm(forms.Form):
    recipient = forms.CharField(label=_("收件人"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    province_code = forms.CharField(label=_("省份"), max_length=6, required=False)
    city_code = forms.CharField(label=_("城市"), max_length=6, required=False)
    county_code = forms.CharField(label=_("区县"), max_length=6, required=False)
    street = forms.CharField(label=_("详细地址"), max_length=200, required=False)
    make_default = forms.BooleanField(label=_("设为默认地址"), required=False)


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


class YuanField(forms.Field):
    """A price typed in yuan (`12.3`, `¥12.30`) cleaned into fen."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": "20"})

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 20:
            raise forms.ValidationError(_("请输入金额，例如 12.80。"))
        try:
            return parse_yuan(text)
        except ValueError:
            raise forms.ValidationError(_("请输入金额，例如 12.80。")) from None


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


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("快递公司"), max_length=40, required=False)
    tracking_number = forms.CharField(label=_("运单号"), max_length=40, required=False)
