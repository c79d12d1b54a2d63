"""A product prepared once for comparison: normalised texts, words and facts.

Our SKU is compared with many listings, and a benchmark side with one; preparing a side is most of the work of a
comparison, so it is done once per product and reused.
"""

from dataclasses import dataclass

from anxin.guarantee.matching.attributes import Attributes, extract
from anxin.guarantee.matching.listing import Product
from anxin.guarantee.matching.text import normalise, squeeze, tokens


@dataclass(frozen=True)
class Side:
    product: Product
    title: str
    title_words: tuple[str, ...]
    text: str
    words: tuple[str, ...]
    text_words: frozenset[str]
    squeezed_text: str
    brand_names: frozenset[str]
    model: str
    attributes: Attributes


def prepare(product: Product) -> Side:
    """Normalise and read a product's texts; the brand's aliases count as its names."""
    title = normalise(product.title)
    text = normalise(product.full_text())
    words = tokens(text)
    brands = (normalise(name) for name in (product.brand, *product.brand_aliases))
    return Side(
        product=product,
        title=title,
        title_words=tuple(tokens(title)),
        text=text,
        words=tuple(words),
        text_words=frozenset(words),
        squeezed_text=squeeze(text),
        brand_names=frozenset(name for name in brands if name),
        model=normalise(product.model),
        attributes=extract(product, text, words, title),
    )
