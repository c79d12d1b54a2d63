"""The numbers the learned model sees for a pair: string similarities, model-number and amount agreement, price.

Unknown is NaN, never 0: "the listing names no brand" and "the brands differ" must look different to the model.
Sums over word sets use math.fsum, which does not depend on the sets' order: that order changes with Python's hash
seed from one process to the next, and a last-bit difference in a feature is enough to grow other trees.
The word weights (IDF) come from the training listings and travel inside the model file.
"""

import math
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from anxin.guarantee.matching.rules import Verdict, explicit_reasons
from anxin.guarantee.matching.sides import Side
from anxin.guarantee.matching.text import squeeze

NAN = math.nan
VERDICT_VALUE = {Verdict.SAME: 1.0, Verdict.DIFFERENT: 0.0, Verdict.UNKNOWN: NAN}
#  Long descriptions add little beyond their first words and cost time on every pair.
TEXT_PREFIX = 400
#  Software and media are sold in editions and for platforms; `standard` vs `professional` is another product.
EDITION_WORDS = frozenset(
    [
        "upgrade",
        "academic",
        "student",
        "teacher",
        "education",
        "edu",
        "professional",
        "pro",
        "standard",
        "std",
        "home",
        "premium",
        "ultimate",
        "deluxe",
        "basic",
        "business",
        "enterprise",
        "express",
        "elements",
        "suite",
        "complete",
        "full",
        "oem",
        "retail",
        "license",
        "licence",
        "trial",
        "专业版",
        "标准版",
        "家庭版",
        "旗舰版",
        "企业版",
        "教育版",
        "学生版",
        "升级版",
        "完整版",
    ]
)
PLATFORM_WORDS = frozenset(
    ["mac", "macintosh", "osx", "win", "windows", "pc", "linux", "xbox", "ps2", "ps3", "psp", "wii", "nintendo", "ds"]
)
FEATURE_NAMES = (
    "title_ratio",
    "title_token_set",
    "title_token_sort",
    "title_partial",
    "title_in_other_text",
    "other_title_in_text",
    "title_jaccard",
    "title_idf_cosine",
    "text_idf_cosine",
    "idf_unmatched_ours",
    "idf_unmatched_theirs",
    "codes_shared",
    "codes_ours_in_theirs",
    "codes_theirs_in_ours",
    "codes_best_ratio",
    "model_in_theirs",
    "model_theirs_in_ours",
    "numbers_jaccard",
    "numbers_unmatched_ours",
    "numbers_unmatched_theirs",
    "editions_differ",
    "platforms_differ",
    "years_differ",
    "price_log_ratio",
    "title_words_ours",
    "title_words_theirs",
    "text_words_ours",
    "text_words_theirs",
    "category_similarity",
    "brand",
    "model",
    "quantities",
    "pack",
    "colour",
    "condition",
    "accessory",
)


def _cosine(first: frozenset[str], second: frozenset[str], idf: Mapping[str, float], unseen: float) -> float:
    if not first or not second:
        return NAN
    shared = math.fsum(idf.get(w, unseen) ** 2 for w in first & second)
    norm = math.sqrt(
        math.fsum(idf.get(w, unseen) ** 2 for w in first) * math.fsum(idf.get(w, unseen) ** 2 for w in second)
    )
    return shared / norm


def _unmatched_weight(words: frozenset[str], other: frozenset[str], idf: Mapping[str, float], unseen: float) -> float:
    """The share of a title's information that the other side never mentions (`max` in `Pro Max`)."""
    total = math.fsum(idf.get(w, unseen) for w in words)
    return math.fsum(idf.get(w, unseen) for w in words - other) / total if total else NAN


def _codes_found(codes: frozenset[str], squeezed_text: str) -> float:
    return sum(code in squeezed_text for code in codes) / len(codes) if codes else NAN


def _best_code_ratio(ours: frozenset[str], theirs: frozenset[str]) -> float:
    return max((fuzz.ratio(a, b) for a in ours for b in theirs), default=NAN)


def _numbers(sku: Side, listing: Side) -> tuple[float, float, float]:
    ours, theirs = sku.attributes.numbers, listing.attributes.numbers
    if not ours and not theirs:
        return NAN, NAN, NAN
    return len(ours & theirs) / len(ours | theirs), float(len(ours - theirs)), float(len(theirs - ours))


def _differ(ours: frozenset[str], theirs: frozenset[str]) -> float:
    """1 when both sides name some of these words and not the same ones, 0 when they agree, NaN when one is silent."""
    return float(ours != theirs) if ours and theirs else NAN


def _named(words: Sequence[str], vocabulary: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if w in vocabulary)


def _years(words: Sequence[str]) -> frozenset[str]:
    return frozenset(w for w in words if len(w) == 4 and w.isdigit() and w[:2] in {"19", "20"})


def _price_log_ratio(sku: Side, listing: Side) -> float:
    ours, theirs = sku.product.price, listing.product.price
    return abs(math.log(ours / theirs)) if ours and theirs else NAN


def _category_similarity(sku: Side, listing: Side) -> float:
    ours, theirs = sku.product.extra.get("category", ""), listing.product.extra.get("category", "")
    return fuzz.token_set_ratio(ours, theirs) if ours and theirs else NAN


def _reason_values(sku: Side, listing: Side) -> list[float]:
    """The explicit comparisons as hints: 1 same, 0 different, NaN unknown (amounts: all must agree)."""
    reasons = explicit_reasons(sku, listing)
    by_aspect = {r.aspect: r for r in reasons}
    amounts = [r for r in reasons if r.aspect in {"容量", "重量", "尺寸", "屏幕尺寸", "电池容量", "尺码"}]
    amount_value = min((VERDICT_VALUE[r.verdict] for r in amounts), default=NAN)
    return [
        VERDICT_VALUE[by_aspect["品牌"].verdict],
        VERDICT_VALUE[by_aspect["型号"].verdict],
        amount_value,
        VERDICT_VALUE[by_aspect["件数"].verdict],
        VERDICT_VALUE[by_aspect["颜色"].verdict],
        VERDICT_VALUE[by_aspect["成色"].verdict],
        VERDICT_VALUE[by_aspect["品类"].verdict],
    ]


def pair_features(sku: Side, listing: Side, idf: Mapping[str, float], unseen: float) -> list[float]:
    """The feature vector of one pair, in the order of FEATURE_NAMES."""
    ours_title, theirs_title = frozenset(sku.title_words), frozenset(listing.title_words)
    codes_ours, codes_theirs = sku.attributes.codes, listing.attributes.codes
    model_ours, model_theirs = squeeze(sku.model), squeeze(listing.model)
    union = ours_title | theirs_title
    return [
        fuzz.ratio(sku.title, listing.title),
        fuzz.token_set_ratio(sku.title, listing.title),
        fuzz.token_sort_ratio(sku.title, listing.title),
        fuzz.partial_ratio(sku.title, listing.title),
        fuzz.token_set_ratio(sku.title, listing.text[:TEXT_PREFIX]),
        fuzz.token_set_ratio(listing.title, sku.text[:TEXT_PREFIX]),
        len(ours_title & theirs_title) / len(union) if union else NAN,
        _cosine(ours_title, theirs_title, idf, unseen),
        _cosine(sku.text_words, listing.text_words, idf, unseen),
        _unmatched_weight(ours_title, listing.text_words, idf, unseen),
        _unmatched_weight(theirs_title, sku.text_words, idf, unseen),
        float(bool(codes_ours & codes_theirs)) if codes_ours and codes_theirs else NAN,
        _codes_found(codes_ours, listing.squeezed_text),
        _codes_found(codes_theirs, sku.squeezed_text),
        _best_code_ratio(codes_ours, codes_theirs),
        float(model_ours in listing.squeezed_text) if model_ours else NAN,
        float(model_theirs in sku.squeezed_text) if model_theirs else NAN,
        *_numbers(sku, listing),
        _differ(_named(sku.title_words, EDITION_WORDS), _named(listing.title_words, EDITION_WORDS)),
        _differ(_named(sku.words, PLATFORM_WORDS), _named(listing.words, PLATFORM_WORDS)),
        _differ(_years(sku.title_words), _years(listing.title_words)),
        _price_log_ratio(sku, listing),
        float(len(sku.title_words)),
        float(len(listing.title_words)),
        float(len(sku.text_words)),
        float(len(listing.text_words)),
        _category_similarity(sku, listing),
        *_reason_values(sku, listing),
    ]
