"""Template helpers for the pages: money, localized names, personalization summaries, the cart count, delivery
promises and scan flags."""

from django import template
from django.utils import dateformat
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from anxin.catalog.rules import answers_summary
from anxin.core.money import format_fen

register = template.Library()


@register.filter
def fen(amount) -> str:
    """`{{ order.total_fen|fen }}` -> `¥12.30`."""
    if amount is None or amount == "":
        return ""
    return format_fen(int(amount))


def _english() -> bool:
    return (get_language() or "").startswith("en")


@register.filter
def local_title(product) -> str:
    """The product's English title when the page is in English and one exists."""
    if _english() and getattr(product, "title_en", ""):
        return product.title_en
    return getattr(product, "title", "") or ""


@register.filter
def local_name(obj) -> str:
    """A category's or a region's English name when the page is in English and one exists."""
    if _english() and getattr(obj, "name_en", ""):
        return obj.name_en
    return getattr(obj, "name", "") or ""


@register.filter
def summary(answers) -> str:
    """Personalization answers as one line: `印字: 李雷 · 香调: 玫瑰, 雪松`."""
    return answers_summary(answers or [])


@register.filter
def spec_text(spec) -> str:
    if not spec:
        return ""
    return " · ".join(f"{key}: {value}" for key, value in spec.items())


@register.filter
def get_item(mapping, key):
    if not mapping:
        return None
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def contains(values, value) -> bool:
    return str(value) in {str(v) for v in (values or [])}


@register.simple_tag(takes_context=True)
def cart_count(context) -> int:
    """Units in the signed-in buyer's cart, for the header (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role != "buyer":
        return 0
    from django.db.models import Sum

    from anxin.checkout.models import CartLine

    return CartLine.objects.filter(cart__buyer=user).aggregate(n=Sum("quantity"))["n"] or 0


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (paging links keep the search)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def promise_text(earliest, latest) -> str:
    """预计送达 as the pages show it: `预计 11月27日–29日送达`, across months `预计 11月30日–12月2日送达`;
    in English `Estimated delivery Nov 27–29`."""
    if not earliest or not latest:
        return ""
    full = pgettext("delivery date", "n月j日")
    start = dateformat.format(earliest, full)
    if earliest == latest:
        return _("预计 %(day)s送达") % {"day": start}
    same_month = (earliest.year, earliest.month) == (latest.year, latest.month)
    end = dateformat.format(latest, pgettext("delivery day of the same month", "j日") if same_month else full)
    return _("预计 %(start)s–%(end)s送达") % {"start": start, "end": end}


@register.simple_tag
def promise_range(earliest, latest) -> str:
    """`{% promise_range order.promise_earliest order.promise_latest %}`."""
    return promise_text(earliest, latest)


def flag_label(flag: str) -> str:
    labels = {
        "unknown_tracking": _("未知运单号"),
        "out_of_order": _("顺序异常"),
        "after_delivery": _("签收后扫描"),
        "in_the_future": _("时间在未来"),
    }
    return labels.get(flag, flag)


@register.filter(name="flag_label")
def flag_label_filter(flag) -> str:
    """A scan's flag in words (`unknown_tracking` -> 未知运单号)."""
    return flag_label(str(flag or ""))


@register.filter
def percent(share) -> str:
    """0.857 -> `86%`; None -> `—`."""
    if share is None or share == "":
        return "—"
    return f"{round(float(share) * 100)}%"


@register.filter
def bar_height(value, peak) -> int:
    """A CSS bar's height in percent of the tallest one (at least 4 when there is anything)."""
    try:
        value, peak = int(value), int(peak)
    except (TypeError, ValueError):
        return 0
    if value <= 0 or peak <= 0:
        return 0
    return max(4, round(100 * value / peak))


@register.filter
def province_name(code) -> str:
    """A province's name from its code or two-digit prefix (`65`, `650000`), in English when the page is."""
    from anxin.geo.data import PROVINCE_BY_CODE

    text = str(code or "")
    province = PROVINCE_BY_CODE.get(text[:2] + "0000")
    if province is None:
        return text
    return province.name_en if _english() and province.name_en else province.name
