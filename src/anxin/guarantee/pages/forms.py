"""The 买贵必赔 forms: they carry what a person typed to the service, which checks the listing, the price and
the screenshots and says what is wrong beside the field it names."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anxin.core.errors import translate
from anxin.guarantee import platforms, rules
from anxin.guarantee.models import Claim


class ScreenshotsInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _platform_choices() -> list[tuple[str, str]]:
    return [("", _("请选择")), *((code, translate(p.name)) for code, p in platforms.PLATFORMS.items())]


class ClaimForm(forms.Form):
    platform = forms.ChoiceField(label=_("比价平台"), choices=_platform_choices)
    url = forms.CharField(
        label=_("对方商品链接"),
        max_length=platforms.URL_MAX,
        widget=forms.URLInput(attrs={"placeholder": "https://item.jd.com/..."}),
    )
    title = forms.CharField(label=_("对方商品标题"), max_length=rules.TITLE_MAX)
    price_seen = forms.CharField(
        label=_("您看到的价格（元，含运费）"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    spec_text = forms.CharField(label=_("规格（可选）"), max_length=rules.SPEC_MAX, required=False)
    pay_to = forms.ChoiceField(
        label=_("赔付方式"), choices=Claim.PayTo.choices, initial=Claim.PayTo.ORIGINAL, widget=forms.RadioSelect
    )
    # The view reads every file (`request.FILES.getlist`); the service checks each one.
    screenshots = forms.FileField(
        label=_("截图（可选）"),
        required=False,
        widget=ScreenshotsInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}),
    )


class RejectClaimForm(forms.Form):
    reason = forms.CharField(
        label=_("不通过的原因（买家可见）"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveClaimForm(forms.Form):
    amount = forms.CharField(
        label=_("赔付金额（元，留空按应赔金额）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
