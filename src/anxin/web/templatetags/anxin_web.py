"""Template helpers for the pages: money, localized names, personalization summaries, the cart count."""

from django import template
from django.utils.translation import get_language

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

    from anxin.orders.models import CartLine

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
