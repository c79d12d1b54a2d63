"""Fulfilment's forms: the seller's ship form, and the scan desk's one scan, CSV import and hub dispatch. They
parse what a person typed; the services decide what is allowed."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from anxin.fulfilment.models import Scan

MAX_CSV_BYTES = 5_000_000


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("快递公司"), max_length=40, required=False)
    tracking_number = forms.CharField(label=_("运单号"), max_length=40, required=False)


class CourierForm(forms.Form):
    """Who hands the parcel over: one of the platform's couriers."""

    courier_id = forms.TypedChoiceField(label=_("配送员"), coerce=int, choices=())

    def __init__(self, *args, couriers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courier_id"].choices = [("", "—"), *((c.pk, c.display_name or c.username) for c in couriers)]


class ScanForm(forms.Form):
    """One carrier scan; the service checks every value (unknown kinds and bad times are named there)."""

    tracking_number = forms.CharField(label=_("运单号"), max_length=40, required=False)
    carrier = forms.CharField(label=_("快递公司（可选）"), max_length=40, required=False)
    kind = forms.CharField(
        label=_("扫描类型"), max_length=20, required=False, widget=forms.Select(choices=[("", "—"), *Scan.Kind.choices])
    )
    at = forms.CharField(
        label=_("扫描时间（北京时间，留空为现在）"),
        max_length=40,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "60"}),
    )
    location = forms.CharField(label=_("地点"), max_length=80, required=False)

    def clean_at(self) -> datetime | str:
        """The field says Beijing time, so a time typed without an offset is one: made aware here, where that
        is stated, and never guessed by the service. Text that is no time goes on for the service to name."""
        typed = self.cleaned_data["at"]
        try:
            at = parse_datetime(typed.strip())
        except ValueError:
            return typed
        if at is None:
            return typed
        return timezone.make_aware(at) if timezone.is_naive(at) else at


class ScanCsvForm(forms.Form):
    csv_text = forms.CharField(
        label=_("粘贴 CSV"),
        required=False,
        max_length=MAX_CSV_BYTES,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 5, "spellcheck": "false", "placeholder": "carrier,tracking_number,kind,at,location"}
        ),
    )
    csv_file = forms.FileField(label=_("或上传 CSV 文件"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("csv_file")
        if upload is not None:
            if upload.size > MAX_CSV_BYTES:
                self.add_error("csv_file", _("文件太大（最多 5 MB）。"))
                return data
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("csv_file", _("文件须为 UTF-8 编码的 CSV。"))
                return data
        else:
            data["text"] = data.get("csv_text") or ""
        if not data["text"].strip():
            self.add_error("csv_text", _("请粘贴 CSV 内容或选择一个文件。"))
        return data


class DispatchForm(forms.Form):
    order = forms.CharField(label=_("订单号或订单 ID"), max_length=40, required=False)
    carrier = forms.CharField(label=_("第二段快递公司"), max_length=40, required=False)
    tracking_number = forms.CharField(label=_("第二段运单号"), max_length=40, required=False)
