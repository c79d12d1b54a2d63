"""The account pages' forms: sign-up and a delivery address. They parse what a person typed; the services
decide what is allowed."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anxin.accounts import queries, services
from anxin.core.errors import AnxinError, Unauthorized


class LoginForm(AuthenticationForm):
    """Django's login form, checked by `services.log_in` so the page and the API share one throttle.
    `throttled` keeps the refusal, for the view to answer 429 with its Retry-After."""

    throttled: services.TooManyAttempts | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        try:
            self.user_cache = services.log_in(username, password, client=queries.client_address(self.request.META))
        except services.TooManyAttempts as exc:
            self.throttled = exc
            raise ValidationError(exc.message, code=exc.code) from None
        except Unauthorized:
            raise self.get_invalid_login_error() from None
        except AnxinError as exc:
            self.add_error("username", exc.fields.get("username", exc.message))
            return self.cleaned_data
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


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
