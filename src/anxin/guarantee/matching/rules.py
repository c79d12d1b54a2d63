"""The explicit comparisons of RULES §6 "same product": brand, model, spec amounts, package count, colour,
condition and accessory, each giving a reason a person can read.

A reason is *decisive* where the facts are certain: both sides state the fact and the statements disagree (a
different model number, capacity, package count, or colour when colour is the SKU's spec; a used or refurbished
listing; an accessory listed against the product). A decisive reason makes the pair "different" whatever the learned
score. Where the listing does not state a fact the reason is "unknown": its text is too poor to tell, and the learned
score and a person decide.
"""

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

from anxin.guarantee.matching.attributes import VARIANT_WORDS, spec_colours
from anxin.guarantee.matching.sides import Side
from anxin.guarantee.matching.text import squeeze

QUANTITY_NAMES = {
    "storage_gb": ("容量", "GB"),
    "volume_ml": ("容量", "ml"),
    "weight_g": ("重量", "g"),
    "length_mm": ("尺寸", "mm"),
    "screen_inch": ("屏幕尺寸", "英寸"),
    "battery_mah": ("电池容量", "mAh"),
    "shoe_size": ("尺码", "码"),
}
#  How many letters a look-alike may add to a model number (`XR-2000` -> `XR-2000S`, `wfw9200s` -> `wfw9200swh`).
LOOKALIKE_SUFFIX = 3


class Verdict(StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reason:
    """One aspect compared: what each side says, the verdict, and whether it decides the pair by itself."""

    aspect: str
    verdict: Verdict
    ours: str
    theirs: str
    decisive: bool = False

    def as_data(self) -> dict[str, str]:
        """The reason as data, for a claim to keep and each reader to see in their language."""
        return {"aspect": self.aspect, "verdict": self.verdict.value, "ours": self.ours, "theirs": self.theirs}

    def describe(self) -> str:
        marks = {Verdict.SAME: "一致", Verdict.DIFFERENT: "不同", Verdict.UNKNOWN: "无法判断"}
        return f"{self.aspect}{marks[self.verdict]}：我方「{self.ours or '—'}」，对方「{self.theirs or '—'}」"


def _names_match(first: str, second: str) -> bool:
    return first in second or second in first or fuzz.ratio(first, second) >= 85


def compare_brand(sku: Side, listing: Side) -> Reason:
    """Same brand if any of our names (the merchant's aliases included) is the listing's brand or is in its text."""
    ours = "/".join(sorted(sku.brand_names))
    theirs = "/".join(sorted(listing.brand_names))
    if not sku.brand_names:
        return Reason("品牌", Verdict.UNKNOWN, ours, theirs)
    if any(_names_match(a, b) for a in sku.brand_names for b in listing.brand_names):
        return Reason("品牌", Verdict.SAME, ours, theirs)
    if any(name in listing.text for name in sku.brand_names):
        return Reason("品牌", Verdict.SAME, ours, theirs or "标题中提及")
    if listing.brand_names and not any(name in sku.text for name in listing.brand_names):
        return Reason("品牌", Verdict.DIFFERENT, ours, theirs, decisive=True)
    return Reason("品牌", Verdict.UNKNOWN, ours, theirs)


def _model_mentions(model: str, words: tuple[str, ...]) -> tuple[str, str]:
    """Look for the model in the listing's words; returns (verdict, what the listing says there).

    Exact: the squeezed words spell the model and no variant word follows. Variant: `pro` followed by `max`.
    Look-alike: the words spell the model plus a short suffix (`xr2000s`).
    """
    found = ""
    for start, first in enumerate(words):
        if not model.startswith(squeeze(first)[: len(model)]) or not squeeze(first):
            continue
        spelled, end = "", start
        while end < len(words) and len(spelled) < len(model):
            spelled += squeeze(words[end])
            end += 1
        following = words[end] if end < len(words) else ""
        said = " ".join(words[start:end])
        if spelled == model and following in VARIANT_WORDS and following not in model:
            found = found or f"{said} {following}"
        elif spelled == model:
            return "exact", said
        elif spelled.startswith(model) and len(spelled) - len(model) <= LOOKALIKE_SUFFIX:
            found = found or said
    return ("lookalike", found) if found else ("absent", "")


def compare_model(sku: Side, listing: Side) -> Reason:
    """Our model number must appear in the listing as itself, not as a sibling (`Pro Max`) or look-alike (`2000S`).

    A maker's prefix is not another model: `70gh012000003` and `ver97185` end with `gh012000003` and `97185`.
    """
    model = squeeze(sku.model)
    if not model:
        shared = sku.attributes.codes & listing.attributes.codes
        if shared:
            return Reason("型号", Verdict.SAME, "/".join(sorted(shared)), "/".join(sorted(shared)))
        return Reason("型号", Verdict.UNKNOWN, "", "/".join(sorted(listing.attributes.codes)))
    found, said = _model_mentions(model, listing.words)
    if found == "exact":
        return Reason("型号", Verdict.SAME, sku.model, said)
    if found == "lookalike":
        return Reason("型号", Verdict.DIFFERENT, sku.model, said, decisive=True)
    theirs = squeeze(listing.model)
    if theirs and (theirs.endswith(model) or model.endswith(theirs)):
        return Reason("型号", Verdict.SAME, sku.model, listing.model)
    if theirs:
        return Reason("型号", Verdict.DIFFERENT, sku.model, listing.model, decisive=True)
    return Reason("型号", Verdict.UNKNOWN, sku.model, "/".join(sorted(listing.attributes.codes)))


def _amounts(values: frozenset[float], unit: str) -> str:
    return "/".join(f"{value:g}{unit}" for value in sorted(values))


def compare_quantities(sku: Side, listing: Side) -> list[Reason]:
    """Each amount both sides state (capacity, volume, weight, size) must agree, in canonical units."""
    reasons = []
    ours, theirs = sku.attributes.quantities, listing.attributes.quantities
    for kind in sorted(ours.keys() & theirs.keys()):
        aspect, unit = QUANTITY_NAMES[kind]
        if ours[kind] & theirs[kind]:
            reasons.append(Reason(aspect, Verdict.SAME, _amounts(ours[kind], unit), _amounts(theirs[kind], unit)))
        else:
            reasons.append(
                Reason(aspect, Verdict.DIFFERENT, _amounts(ours[kind], unit), _amounts(theirs[kind], unit), True)
            )
    return reasons


def compare_pack(sku: Side, listing: Side) -> Reason:
    """A SKU that states no package count sells one unit; a listing that states none cannot be judged."""
    ours = sku.attributes.pack_count or 1
    theirs = listing.attributes.pack_count
    if theirs is None:
        return Reason("件数", Verdict.UNKNOWN, str(ours), "")
    verdict = Verdict.SAME if ours == theirs else Verdict.DIFFERENT
    return Reason("件数", verdict, str(ours), str(theirs), decisive=verdict is Verdict.DIFFERENT)


def compare_colour(sku: Side, listing: Side) -> Reason:
    """Colour decides only when it is one of the SKU's spec attributes; otherwise it is a hint to the score."""
    spec = spec_colours(sku.product)
    ours = spec or sku.attributes.colours
    theirs = listing.attributes.colours
    if not ours or not theirs:
        return Reason("颜色", Verdict.UNKNOWN, "/".join(sorted(ours)), "/".join(sorted(theirs)))
    verdict = Verdict.SAME if ours & theirs else Verdict.DIFFERENT
    decisive = verdict is Verdict.DIFFERENT and bool(spec)
    return Reason("颜色", verdict, "/".join(sorted(ours)), "/".join(sorted(theirs)), decisive)


def compare_condition(sku: Side, listing: Side) -> Reason:
    """A used or refurbished listing is never the new product we sell (and its price is not comparable)."""
    if listing.attributes.used and not sku.attributes.used:
        return Reason("成色", Verdict.DIFFERENT, "全新", "二手/翻新", decisive=True)
    return Reason("成色", Verdict.SAME if not listing.attributes.used else Verdict.UNKNOWN, "全新", "")


def compare_accessory(sku: Side, listing: Side) -> Reason:
    """A case or charger for the product is another product (手机壳 for 手机)."""
    if listing.attributes.accessory and not sku.attributes.accessory:
        return Reason("品类", Verdict.DIFFERENT, "商品本身", "配件", decisive=True)
    return Reason("品类", Verdict.SAME, "", "")


def explicit_reasons(sku: Side, listing: Side) -> list[Reason]:
    """Every explicit comparison, in the order a person reads them."""
    return [
        compare_brand(sku, listing),
        compare_model(sku, listing),
        *compare_quantities(sku, listing),
        compare_pack(sku, listing),
        compare_colour(sku, listing),
        compare_condition(sku, listing),
        compare_accessory(sku, listing),
    ]
