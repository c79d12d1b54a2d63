"""Template helpers for stored pictures: their address, and the tone of the placeholder shown without one."""

from collections.abc import Iterable

from django import template

from anxin.core import images

register = template.Library()
PLACEHOLDER_TONES = 6


@register.filter
def image_url(name: str) -> str:
    """`{{ product.cover_small|image_url }}` -> the address the browser fetches the file from."""
    return images.image_url(name or "")


@register.filter
def tone(seed: object) -> int:
    """A placeholder's colour (0-5) from a stable number (the product's id), so neighbours differ."""
    try:
        return int(str(seed)) % PLACEHOLDER_TONES
    except (TypeError, ValueError):
        return 0


@register.filter
def having(items: Iterable[object] | None, attribute: str) -> list[object]:
    """The items whose `attribute` is set: `{{ skus|having:"image_large" }}`, the SKUs with a photo of their own."""
    return [item for item in items or () if getattr(item, attribute, None)]
