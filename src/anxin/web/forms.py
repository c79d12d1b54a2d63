"""Forms of the pages. They parse what a person typed; the services decide what is allowed, and their
AnxinError.fields are put back next to the right field by `apply_error`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anxin.catalog.models import Category, Product
from anxin.core.errors import AnxinError
from anxin.core.money import format_fen, parse_yuan


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


# --- shipping templates (seller center) --------------------------------------------------------------------

MAX_FEE_FEN = 10_000_000  # ¥100,000, as the API allows
MAX_UNITS = 1_000_000
MAX_THRESHOLD = 100_000_000
MAX_RULE_ROWS = 31


def province_choices() -> list[tuple[str, str]]:
    """The 31 provinces as (two-digit prefix, name): templates speak in prefixes."""
    from anxin.geo.data import PROVINCES

    return [(p.code[:2], p.name) for p in PROVINCES]


def _yuan(text: str, errors: dict, key: str, *, required: bool = True, limit: int = MAX_FEE_FEN) -> int | None:
    text = (text or "").strip()
    if not text:
        if required:
            errors[key] = _("请填写金额，例如 8.00。")
        return None
    try:
        fen = parse_yuan(text) if len(text) <= 20 else None
    except ValueError:
        fen = None
    if fen is None:
        errors[key] = _("请输入金额，例如 8.00。")
    elif abs(fen) > limit:
        errors[key] = _("金额不能超过 %(yuan)s。") % {"yuan": f"¥{limit // 100:,}"}
        fen = None
    return fen


def _whole(text: str, errors: dict, key: str, *, limit: int = MAX_UNITS) -> int | None:
    text = (text or "").strip()
    try:
        value = int(text) if len(text) <= 12 else None
    except ValueError:
        value = None
    if value is None:
        errors[key] = _("请输入整数。")
    elif abs(value) > limit:
        errors[key] = _("不能超过 %(n)s。") % {"n": f"{limit:,}"}
        value = None
    return value


def _prefixes(values) -> list[str]:
    known = {code for code, _name in province_choices()}
    return sorted({str(v).strip()[:2] for v in values if str(v).strip()[:2] in known})


def _fen_text(fen: int) -> str:
    return format_fen(fen).lstrip("¥").replace(",", "")


class TemplateEditor:
    """The shipping-template editor's state: what was typed (as text), its rows and its errors.

    Rows of region fees and free-shipping conditions are added and removed by submit buttons (no JS needed);
    `service_data()` turns the text into `services.save_template`'s input, and `apply_error` puts the service's
    field errors back beside the row or field they name."""

    FIELDS = ("name", "mode", "first_units", "first_yuan", "step_units", "step_yuan")

    def __init__(self, values: dict, regions: list[dict], free: list[dict], excluded: list[str]):
        self.values = values
        self.regions = regions
        self.free = free
        self.excluded = excluded
        self.errors: dict[str, str] = {}
        self.general: list[str] = []

    @staticmethod
    def blank_region() -> dict:
        return {"provinces": [], "first": "", "step": "", "error": ""}

    @staticmethod
    def blank_free() -> dict:
        return {"provinces": [], "kind": "always", "threshold": "", "error": ""}

    @classmethod
    def blank(cls) -> "TemplateEditor":
        values = {
            "name": "",
            "mode": "weight",
            "first_units": "1000",
            "first_yuan": "8.00",
            "step_units": "1000",
            "step_yuan": "3.00",
        }
        return cls(values, [], [], [])

    @classmethod
    def from_template(cls, template) -> "TemplateEditor":
        values = {
            "name": template.name,
            "mode": template.mode,
            "first_units": str(template.first_units),
            "first_yuan": _fen_text(template.first_fen),
            "step_units": str(template.step_units),
            "step_yuan": _fen_text(template.step_fen),
        }
        regions = [
            {
                "provinces": list(r.provinces),
                "first": _fen_text(r.first_fen),
                "step": _fen_text(r.step_fen),
                "error": "",
            }
            for r in template.region_fees.all()
        ]
        thresholds = {"subtotal": _fen_text, "pieces": str}
        free = [
            {
                "provinces": list(c.provinces),
                "kind": c.kind,
                "threshold": thresholds[c.kind](c.threshold) if c.kind in thresholds else "",
                "error": "",
            }
            for c in template.free_rules.all()
        ]
        return cls(values, regions, free, list(template.excluded_provinces))

    @classmethod
    def from_post(cls, data) -> "TemplateEditor":
        values = {key: str(data.get(key, ""))[:80] for key in cls.FIELDS}

        def count(key: str) -> int:
            try:
                return max(0, min(int(data.get(key, "0")), MAX_RULE_ROWS))
            except ValueError:
                return 0

        regions = [
            {
                "provinces": _prefixes(data.getlist(f"r{i}_provinces")),
                "first": str(data.get(f"r{i}_first", ""))[:20],
                "step": str(data.get(f"r{i}_step", ""))[:20],
                "error": "",
            }
            for i in range(count("region_rows"))
        ]
        free = [
            {
                "provinces": _prefixes(data.getlist(f"f{i}_provinces")),
                "kind": str(data.get(f"f{i}_kind", "always"))[:10],
                "threshold": str(data.get(f"f{i}_threshold", ""))[:20],
                "error": "",
            }
            for i in range(count("free_rows"))
        ]
        return cls(values, regions, free, _prefixes(data.getlist("excluded_provinces")))

    def apply_action(self, action: str) -> bool:
        """Add or remove a row; True when `action` was one (the page is shown again, nothing saved)."""
        verb, _sep, index = action.partition(":")
        if verb == "add_region":
            if len(self.regions) < MAX_RULE_ROWS:
                self.regions.append(self.blank_region())
            return True
        if verb == "add_free":
            if len(self.free) < MAX_RULE_ROWS:
                self.free.append(self.blank_free())
            return True
        if verb in {"remove_region", "remove_free"}:
            rows = self.regions if verb == "remove_region" else self.free
            if index.isdigit() and int(index) < len(rows):
                rows.pop(int(index))
            return True
        return False

    def service_data(self) -> dict | None:
        """The template as `save_template` takes it, or None after marking what cannot be read."""
        errors = self.errors
        data: dict = {"name": self.values["name"].strip(), "mode": self.values["mode"]}
        data["first_units"] = _whole(self.values["first_units"], errors, "first_units")
        data["step_units"] = _whole(self.values["step_units"], errors, "step_units")
        data["first_fen"] = _yuan(self.values["first_yuan"], errors, "first_yuan")
        data["step_fen"] = _yuan(self.values["step_yuan"], errors, "step_yuan")
        data["regions"], self.region_index = [], []
        for i, row in enumerate(self.regions):
            if not row["provinces"] and not row["first"].strip() and not row["step"].strip():
                continue  # an untouched new row
            row_errors: dict = {}
            first = _yuan(row["first"], row_errors, "first")
            step = _yuan(row["step"], row_errors, "step")
            row["error"] = " ".join(dict.fromkeys(str(e) for e in row_errors.values()))
            data["regions"].append({"provinces": row["provinces"], "first_fen": first, "step_fen": step})
            self.region_index.append(i)
        data["free"] = []
        for row in self.free:
            row_errors = {}
            threshold = 0
            if row["kind"] == "subtotal":
                threshold = _yuan(row["threshold"], row_errors, "threshold", limit=MAX_THRESHOLD)
            elif row["kind"] == "pieces":
                threshold = _whole(row["threshold"], row_errors, "threshold", limit=MAX_THRESHOLD)
            row["error"] = " ".join(str(e) for e in row_errors.values())
            data["free"].append({"provinces": row["provinces"], "kind": row["kind"], "threshold": threshold})
        data["excluded_provinces"] = self.excluded
        if errors or any(row["error"] for row in self.regions + self.free):
            return None
        return data

    def apply_error(self, exc: AnxinError) -> None:
        """The service's message at the top; each field's problem beside its row or field."""
        self.general.append(exc.message)
        for key, message in exc.fields.items():
            section, _sep, index = key.partition(".")
            if section == "regions" and index.isdigit() and int(index) < len(self.region_index):
                self.regions[self.region_index[int(index)]]["error"] = message
            elif section == "free" and index.isdigit() and int(index) < len(self.free):
                self.free[int(index)]["error"] = message
            elif key in {"name", "mode", "units", "fees"}:
                self.errors[key] = message
            else:
                self.general.append(message)


# --- carriers' scan desk ------------------------------------------------------------------------------------


class ScanForm(forms.Form):
    """One carrier scan; the service checks every value (unknown kinds and bad times are named there)."""

    tracking_number = forms.CharField(label=_("运单号"), max_length=40, required=False)
    carrier = forms.CharField(label=_("快递公司（可选）"), max_length=40, required=False)
    kind = forms.CharField(label=_("扫描类型"), max_length=20, required=False)
    at = forms.CharField(
        label=_("扫描时间（北京时间，留空为现在）"),
        max_length=40,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "60"}),
    )
    location = forms.CharField(label=_("地点"), max_length=80, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from anxin.fulfilment.models import Scan

        self.fields["kind"].widget = forms.Select(choices=[("", "—"), *Scan.Kind.choices])


MAX_CSV_BYTES = 5_000_000


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
