"""Fulfilment's forms: the seller's ship form, and the scan desk's one scan, CSV import and hub dispatch. They
parse what a person typed; the services decide what is allowed."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from anxin.core.pages import OwnIds
from anxin.fulfilment.models import Scan
from anxin.fulfilment.services import NUL_BYTES_MESSAGE

MAX_CSV_BYTES = 5_000_000
MAX_BULK_SHIP_BYTES = 1_000_000


class ShipForm(forms.Form):
    """Carrier from the platform's list (the service still resolves any name, as the API and CSV send them)."""

    carrier = forms.CharField(label=_("快递公司"), max_length=40, required=False)
    tracking_number = forms.CharField(label=_("运单号"), max_length=40, required=False)

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("请选择")), *((c.name, c.name) for c in companies)]
        self.fields["carrier"].widget = forms.Select(choices=choices)


class TrackingCorrectionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="fix_%s", **kwargs)

    tracking_number = forms.CharField(label=_("正确的运单号"), max_length=40, required=False)


class BulkShipForm(forms.Form):
    csv_file = forms.FileField(label=_("发货 CSV 文件"), error_messages={"required": _("请选择要上传的 CSV 文件。")})

    def clean_csv_file(self) -> str:
        """The file's text: UTF-8 (a BOM from Excel is fine), at most MAX_BULK_SHIP_BYTES. NUL bytes are named
        before decoding, since a UTF-16 file (Excel's "Unicode text") is full of them."""
        upload = self.cleaned_data["csv_file"]
        if upload.size > MAX_BULK_SHIP_BYTES:
            raise forms.ValidationError(_("文件太大（最多 1 MB）。"))
        raw = upload.read()
        if b"\x00" in raw:
            raise forms.ValidationError(str(NUL_BYTES_MESSAGE))
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("文件须为 UTF-8 编码的 CSV（Excel 中另存为“CSV UTF-8”）。")) from None


class CourierForm(forms.Form):
    """Who hands the parcel over: one of the platform's couriers."""

    courier_id = forms.TypedChoiceField(label=_("配送员"), coerce=int, choices=())

    def __init__(self, *args, couriers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courier_id"].choices = [("", "—"), *((c.pk, c.display_name or c.username) for c in couriers)]


class ScanForm(OwnIds, forms.Form):
    """One carrier scan; the service checks every value (unknown kinds and bad times are named there)."""

    id_prefix = "scan"

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


class ScanCsvForm(OwnIds, forms.Form):
    id_prefix = "csv"
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


class DispatchForm(OwnIds, forms.Form):
    id_prefix = "dispatch"
    order = forms.CharField(label=_("订单号或订单 ID"), max_length=40, required=False)
    carrier = forms.CharField(label=_("第二段快递公司"), max_length=40, required=False)
    tracking_number = forms.CharField(label=_("第二段运单号"), max_length=40, required=False)
