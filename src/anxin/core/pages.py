"""What every app's pages share: who may open a page, a service's NotFound as the 404 page, a safe `next`,
one pager, one yuan field, the way a service's error goes back beside the field it names, and the days and
bar charts of the ops figures pages.

It lives below every domain (app pages import only their own floor or below, and `web` is the top floor),
so any app's `pages/` can use it.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from anxin.core import clock
from anxin.core.errors import AnxinError, NotFound
from anxin.core.money import parse_yuan

View = Callable[..., HttpResponse]

YUAN_HINT = _("请输入金额，例如 12.80。")
MAX_YUAN_CHARS = 20


def not_found_is_404(view: View) -> View:
    """A service's NotFound (also its answer for another party's object) becomes the 404 page, so a page never
    reveals that someone else's order or product exists, and no page repeats the conversion."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def role_required(*roles: str) -> Callable[[View], View]:
    """Anonymous people are sent to log in; a signed-in person of another role gets 404 (DESIGN: permissions).
    The page's own NotFound is a 404 as well (`not_found_is_404`)."""

    def decorator(view: View) -> View:
        guarded = not_found_is_404(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:
                raise Http404
            return guarded(request, *args, **kwargs)

        return wrapper

    return decorator


buyer_required = role_required("buyer")
staff_required = role_required("merchant_staff")
ops_required = role_required("ops")


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` the form or link carried, when it stays on this site; otherwise `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def int_or_raw(value: object) -> object:
    """An int when the text is one; otherwise the text itself, so the service reports it as invalid."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return value


MAX_PAGE = 10_000


def page_number(raw: object) -> int:
    """`?page=` as a number from 1 to MAX_PAGE; anything else (text, 0, a 400-digit number) is the first page."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_PAGE)):
        return 1
    return min(max(int(text), 1), MAX_PAGE)


def page_of(request: HttpRequest, items: Any, per_page: int) -> Page:
    """The page asked for by `?page=` (the last one when past the end), for the shared `web/_pager.html`."""
    return Paginator(items, per_page).get_page(page_number(request.GET.get("page")))


def shown_time(value: datetime | None) -> datetime | None:
    """`value` in the page's time zone, ready for the `date` filter. A stored time at the calendar's edge
    (9999-12-31 23:00 UTC is past year 9999 in Beijing) is shown as stored, in UTC, so one bad row cannot
    break a page for everyone who opens it."""
    if value is None or timezone.is_naive(value):
        return value
    try:
        return timezone.make_naive(value)
    except OverflowError:
        return timezone.make_naive(value, UTC)


def english() -> bool:
    return (get_language() or "").startswith("en")


def local_text(obj: object, field: str) -> str:
    """`obj`'s `field`, or its `<field>_en` when the page is in English and one was given; `obj` is a model
    or a stored snapshot (a dict, such as an order line's answers)."""
    if isinstance(obj, Mapping):
        english_text, text = obj.get(f"{field}_en"), obj.get(field)
    else:
        english_text, text = getattr(obj, f"{field}_en", ""), getattr(obj, field, "")
    if english() and english_text:
        return str(english_text)
    return str(text or "")


def local_name(obj: object) -> str:
    """A category's or a region's English name when the page is in English and one exists."""
    return local_text(obj, "name")


def local_label(obj: object) -> str:
    """A personalization question's or option's label in the page's language (model or answer snapshot)."""
    return local_text(obj, "label")


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


def yuan_to_fen(text: object, *, limit_fen: int | None = None) -> int | None:
    """What a person typed in yuan (`12.3`, `¥12.30`, `1,299`) in fen; None when blank. Every page reads money
    through here, so all of them accept the same spellings and say the same thing about the rest."""
    cleaned = str(text or "").strip()
    if not cleaned:
        return None
    try:
        fen = parse_yuan(cleaned) if len(cleaned) <= MAX_YUAN_CHARS else None
    except ValueError:
        fen = None
    if fen is None:
        raise forms.ValidationError(YUAN_HINT, code="not_money")
    if limit_fen is not None and abs(fen) > limit_fen:
        raise forms.ValidationError(
            _("金额不能超过 %(yuan)s。"), code="too_much", params={"yuan": f"¥{limit_fen // 100:,}"}
        )
    return fen


def yuan_or_error(text: object, errors: dict[str, str], key: str, *, limit_fen: int | None = None) -> int | None:
    """`yuan_to_fen` for hand-made forms (rows added by buttons): the problem goes into `errors[key]`."""
    try:
        return yuan_to_fen(text, limit_fen=limit_fen)
    except forms.ValidationError as exc:
        errors[key] = exc.messages[0]
        return None


class OwnIds:
    """For a form shown beside others on one page: its inputs' ids start with `id_prefix`, so two forms'
    fields of one name (`carrier`) never share an id and each label points at its own input."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class YuanField(forms.Field):
    """A price typed in yuan, cleaned into fen (None when left blank)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": str(MAX_YUAN_CHARS)})

    def __init__(self, *, limit_fen: int | None = None, **kwargs: Any):
        self.limit_fen = limit_fen
        super().__init__(**kwargs)

    def to_python(self, value: object) -> int | None:
        return yuan_to_fen(value, limit_fen=self.limit_fen)


def bar_height(value: object, peak: object) -> int:
    """A CSS bar's height in percent of the tallest one (at least 4 when there is anything)."""
    try:
        count, tallest = int(value), int(peak)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0
    if count <= 0 or tallest <= 0:
        return 0
    return max(4, round(100 * count / tallest))


# --- figures pages ------------------------------------------------------------------------------------------

FIGURES_DEFAULT_DAYS = 30
FIGURES_MAX_DAYS = 366
BAR_ROW_PX = 28


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class DaysForm(forms.Form):
    """The local days an ops figures page counts, both ends included (by default the last 30 up to today)."""

    start = _date_field(_("开始日期"))
    end = _date_field(_("结束日期"))

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        elif start and end and (end - start).days >= FIGURES_MAX_DAYS:
            self.add_error("end", _("日期范围最长 %(n)d 天。") % {"n": FIGURES_MAX_DAYS})
        return data


@dataclass(frozen=True)
class Days:
    first: date
    last: date

    @property
    def since(self) -> datetime:
        return clock.local_midnight(self.first)

    @property
    def until(self) -> datetime:
        """The end, excluded: the midnight after the last day."""
        return clock.local_midnight(self.last + timedelta(days=1))

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def chosen_days(form: DaysForm, today: date) -> Days:
    """The days the form asks for, or the default when it is blank or wrong (the page shows its errors)."""
    data = form.cleaned_data if form.is_valid() else {}
    last = data.get("end") or today
    return Days(data.get("start") or last - timedelta(days=FIGURES_DEFAULT_DAYS - 1), last)


def bar_chart(key: str, title: Any, rows: Sequence[tuple[Any, int, Any]], empty: Any) -> dict:
    """What `web/_bars.html` draws as SVG: a horizontal bar per (label, value, text shown), its length in
    proportion to the largest value; `empty` is said when there are no rows."""
    peak = max((value for _label, value, _text in rows), default=0)
    return {
        "id": key,
        "title": title,
        "bars": [
            {"label": label, "value": value, "text": text, "pct": bar_height(value, peak)}
            for label, value, text in rows
        ],
        "height": max(len(rows), 1) * BAR_ROW_PX + 8,
        "row_px": BAR_ROW_PX,
        "empty": empty,
    }
