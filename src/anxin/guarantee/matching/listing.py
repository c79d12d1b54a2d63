"""One side of a comparison: our SKU or a competitor's listing, in the same shape.

The four benchmark files and the price feed name their columns differently (`name` or `title`, `manufacturer` or
`brand`, `modelno` or `model`); `from_columns` maps them onto the roles the matcher reasons about and keeps the rest
as extra text, so any pair file is read as it comes.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

ROLE_OF_COLUMN = {
    "title": "title",
    "name": "title",
    "brand": "brand",
    "manufacturer": "brand",
    "model": "model",
    "modelno": "model",
    "price": "price",
}


@dataclass(frozen=True)
class Product:
    """What one side says about itself. `spec` holds named spec attributes (颜色: 黑色) or free text under `spec`;
    `brand_aliases` are the other names the merchant gives the brand (苹果 for Apple), since we cannot guess them."""

    title: str
    brand: str = ""
    model: str = ""
    spec: Mapping[str, str] = field(default_factory=dict)
    price: float | None = None
    brand_aliases: tuple[str, ...] = ()
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_columns(cls, columns: Mapping[str, str]) -> "Product":
        """A product from a pair file's `COL attr VAL value` columns, whatever the dataset calls them."""
        roles: dict[str, str] = {}
        extra: dict[str, str] = {}
        for name, value in columns.items():
            role = ROLE_OF_COLUMN.get(name.lower())
            if role and role not in roles:
                roles[role] = value
            elif value.strip():
                extra[name] = value
        return cls(
            title=roles.get("title", ""),
            brand=roles.get("brand", ""),
            model=roles.get("model", ""),
            price=parse_price(roles.get("price", "")),
            extra=extra,
        )

    def spec_text(self) -> str:
        return " ".join(f"{key} {value}" for key, value in self.spec.items())

    def full_text(self) -> str:
        """Everything the side says, for finding a code or a quantity wherever it was written."""
        parts = [self.title, self.brand, self.model, self.spec_text(), *self.extra.values()]
        return " ".join(part for part in parts if part)


def parse_price(text: str) -> float | None:
    """A price column as a number; blank or unreadable prices are unknown, never zero."""
    cleaned = text.strip().replace(",", "").lstrip("$¥￥")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value > 0 else None
