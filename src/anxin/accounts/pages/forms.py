"""The account pages' forms: sign-up and a delivery address. They parse what a person typed; the services
decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
