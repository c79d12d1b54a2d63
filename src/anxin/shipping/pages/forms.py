"""The shipping pages' forms: the seller's shipping-template editor (rows added and removed by buttons) and
the ops remote-programme form. Money goes through the shared yuan parser (`core.pages.yuan_or_error`)."""

from django.utils.translation import gettext_lazy as _

from anxin.core.errors import AnxinError
from anxin.core.money import format_fen
from anxin.core.pages import yuan_or_error
from anxin.geo.data import PROVINCES

MAX_FEE_FEN = 10_000_000  # ¥100,000, as the API allows
MAX_UNITS = 1_000_000
MAX_THRESHOLD = 100_000_000
MAX_RULE_ROWS = 31


def province_choices() -> list[tuple[str, str]]:
    """The 31 provinces as (two-digit prefix, name): templates speak in prefixes."""
    return [(p.code[:2], p.name) for p in PROVINCES]


def _yuan(text: str, errors: dict, key: str, *, required: bool = True, limit: int = MAX_FEE_FEN) -> int | None:
    if required and not (text or "").strip():
        errors[key] = _("请填写金额，例如 8.00。")
        return None
    return yuan_or_error(text, errors, key, limit_fen=limit)


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
