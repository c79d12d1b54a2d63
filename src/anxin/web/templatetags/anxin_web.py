"""Template helpers for the pages: money, localized names, personalization summaries, the cart count, delivery
promises and scan flags."""

from django import template
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anxin.catalog.rules import answers_summary
from anxin.core import pages
from anxin.core.money import format_fen
from anxin.fulfilment.pages.labels import flag_label
from anxin.geo.queries import province_name as _province_name

register = template.Library()


@register.filter
def fen(amount) -> str:
    """`{{ order.total_fen|fen }}` -> `¥12.30`."""
    if amount is None or amount == "":
        return ""
    return format_fen(int(amount))


@register.filter
def local_title(product) -> str:
    """The product's English title when the page is in English and one exists."""
    if pages.english() and getattr(product, "title_en", ""):
        return product.title_en
    return getattr(product, "title", "") or ""


register.filter("local_name", pages.local_name)
register.filter("local_label", pages.local_label)


@register.filter
def summary(answers) -> str:
    """Personalization answers as one line: `印字: 李雷 · 香调: 玫瑰, 雪松` (English labels on English pages)."""
    return answers_summary(answers or [], english=pages.english())


@register.filter
def spec_text(spec) -> str:
    if not spec:
        return ""
    return " · ".join(f"{key}: {value}" for key, value in spec.items())


@register.filter
def local_spec(sku) -> str:
    """A SKU's spec in the page's language: its English names when the page is in English and it has them."""
    english = getattr(sku, "spec_en", None)
    return spec_text(english if english and pages.english() else getattr(sku, "spec", None))


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


register.filter("bar_height", pages.bar_height)


register.filter("province_name", _province_name)
