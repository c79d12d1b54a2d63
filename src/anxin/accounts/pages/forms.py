"""The account pages' forms: sign-up and a delivery address. They parse what a person typed; the services
decide what is allowed."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anxin.accounts import queries, services
from anxin.core.errors import AnxinError, Unauthorized


def marked_required(field: forms.Field) -> forms.Field:
    """A field the service requires but the form leaves optional (so all problems come from the service, at
    once): it carries the required marker and `aria-required`, like a required field."""
    field.marked_required = True  # type: ignore[attr-defined]
    field.widget.attrs["aria-required"] = "true"
    return field


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
    """Fields are optional here so that every problem is the service's, named by field, in one answer."""

    username = marked_required(forms.CharField(label=_("用户名"), max_length=150, required=False))
    display_name = forms.CharField(label=_("昵称（可选）"), max_length=64, required=False)
    phone = marked_required(
        forms.CharField(
            label=_("手机号"),
            max_length=20,
            required=False,
            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel-national"}),
        )
    )
    code = marked_required(
        forms.CharField(
            label=_("短信验证码"),
            max_length=6,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        )
    )
    password = marked_required(
        forms.CharField(label=_("密码"), widget=forms.PasswordInput, required=False, strip=False)
    )
    password2 = marked_required(
        forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, required=False, strip=False)
    )
    accept_terms = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data

    def sign_up(self) -> services.SignUp:
        data = self.cleaned_data
        return services.SignUp(
            username=data["username"],
            password=data["password"],
            phone=data["phone"],
            code=data["code"],
            accept_terms=data["accept_terms"],
            display_name=data["display_name"],
        )


class AddressForm(forms.Form):
    recipient = marked_required(forms.CharField(label=_("收件人"), max_length=40, required=False))
    phone = marked_required(
        forms.CharField(label=_("电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    )
    province_code = forms.CharField(label=_("省份"), max_length=6, required=False)
    city_code = forms.CharField(label=_("城市"), max_length=6, required=False)
    county_code = forms.CharField(label=_("区县"), max_length=6, required=False)
    street = marked_required(forms.CharField(label=_("详细地址"), max_length=200, required=False))
    make_default = forms.BooleanField(label=_("设为默认地址"), required=False)
