"""The after-sales forms: they read what a person typed (yuan into fen, a number of units); the services
decide what is allowed and say why not, beside the field they name."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from anxin.aftersales import rules
from anxin.aftersales.models import Case
from anxin.core.pages import OwnIds, YuanField

IMAGE_TYPES = "image/jpeg,image/png,image/webp"


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Up to MAX_EVIDENCE pictures in one input; the service checks each one (type, size, count)."""

    widget = MultipleImageInput(attrs={"accept": IMAGE_TYPES, "multiple": True})

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        """The files as sent; the service reads each one (a wrong or broken file is named there)."""
        return list(data or []) if isinstance(data, list | tuple) else [data] if data else []


class RequestForm(forms.Form):
    """申请售后 for one line: the type and reason offered now, how many units, how much, and why."""

    kind = forms.ChoiceField(label=_("售后类型"), widget=forms.RadioSelect, choices=Case.Kind.choices)
    reason = forms.ChoiceField(label=_("售后原因"), choices=[("", _("请选择")), *Case.Reason.choices])
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    amount = YuanField(label=_("退款金额（元，可选）"), required=False, help_text=_("留空则按商品实付金额退款。"))
    description = forms.CharField(
        label=_("问题描述（可选）"),
        required=False,
        max_length=rules.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    images = ImagesField(label=_("凭证图片"))

    def __init__(self, *args: Any, allowed_kinds: set[str], allowed_reasons: set[str], most: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind, reason = cast(forms.ChoiceField, self.fields["kind"]), cast(forms.ChoiceField, self.fields["reason"])
        kind.choices = [(k, label) for k, label in Case.Kind.choices if k in allowed_kinds]
        reason.choices = [("", _("请选择")), *((r, label) for r, label in Case.Reason.choices if r in allowed_reasons)]
        self.fields["quantity"] = forms.IntegerField(label=_("数量"), min_value=1, max_value=most)
        self.fields["quantity"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["kind"].error_messages["required"] = _("请选择售后类型。")
        self.fields["reason"].error_messages["required"] = _("请选择售后原因。")
        self.fields["kind"].error_messages["invalid_choice"] = _("这个售后类型现在不能申请，请看下方的说明。")
        self.fields["reason"].error_messages["invalid_choice"] = _("这个售后原因现在不能选择，请看下方的说明。")


class ReturnForm(OwnIds, forms.Form):
    """The return's carrier (from the platform's list) and tracking number."""

    id_prefix = "return"

    carrier = forms.CharField(label=_("快递公司"), max_length=40)
    tracking_number = forms.CharField(label=_("退货运单号"), max_length=40)

    def __init__(self, *args: Any, companies: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", _("请选择")), *((c.name, c.name) for c in companies)]
        self.fields["carrier"].widget = forms.Select(choices=choices)
        self.fields["carrier"].error_messages["required"] = _("请选择快递公司。")
        self.fields["tracking_number"].error_messages["required"] = _("请填写退货运单号。")


class EscalateForm(OwnIds, forms.Form):
    id_prefix = "escalate"

    text = forms.CharField(
        label=_("申请平台介入的理由"),
        max_length=rules.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明申请平台介入的理由。")},
    )
    images = ImagesField(label=_("凭证图片"))


class MessageForm(OwnIds, forms.Form):
    id_prefix = "message"

    text = forms.CharField(
        label=_("留言"), required=False, max_length=rules.MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    images = ImagesField(label=_("图片"))
