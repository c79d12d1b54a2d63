"""The spec facts a title states: model codes, quantities with units, package count, colour, condition, accessory.

"Same product" (RULES §6) means same brand, model and spec, so these facts are read out of free text in Chinese and
English, each in one canonical unit (`1.5L` = `1500ml`, `256G` = `256 GB`, `两瓶装` = `x2`), and compared as facts
rather than as characters.
"""

import re
from dataclasses import dataclass

from anxin.guarantee.matching.listing import Product
from anxin.guarantee.matching.text import normalise, squeeze

CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMBER = r"(\d+(?:\.\d+)?)"
COUNT = r"(\d{1,3}|[一二两俩三四五六七八九十]{1,3})"
#  unit -> (kind, factor to the kind's canonical unit)
UNITS: dict[str, tuple[str, float]] = {
    "tb": ("storage_gb", 1024),
    "gb": ("storage_gb", 1),
    "mb": ("storage_gb", 1 / 1024),
    "ml": ("volume_ml", 1),
    "毫升": ("volume_ml", 1),
    "cl": ("volume_ml", 10),
    "l": ("volume_ml", 1000),
    "升": ("volume_ml", 1000),
    "kg": ("weight_g", 1000),
    "千克": ("weight_g", 1000),
    "公斤": ("weight_g", 1000),
    "克": ("weight_g", 1),
    "斤": ("weight_g", 500),
    "mg": ("weight_g", 0.001),
    "mm": ("length_mm", 1),
    "毫米": ("length_mm", 1),
    "cm": ("length_mm", 10),
    "厘米": ("length_mm", 10),
    "inch": ("screen_inch", 1),
    "in": ("screen_inch", 1),
    '"': ("screen_inch", 1),
    "英寸": ("screen_inch", 1),
    "寸": ("screen_inch", 1),
    "mah": ("battery_mah", 1),
    "码": ("shoe_size", 1),
}
#  A bare "G" after a power of two is storage (256G); after any other number it is grams (500g).
STORAGE_SIZES = {4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048}
UNIT_ALTERNATION = "|".join(sorted((re.escape(u) for u in [*UNITS, "g"]), key=len, reverse=True))
QUANTITY = re.compile(NUMBER + r"\s*(" + UNIT_ALTERNATION + r")(?![a-z])")
SIZE_WORDS = {"eu", "eur", "size"}
SIZE_LABEL = re.compile(r"(?:码数|尺码|鞋码|eur?|size)\s*[:：]?\s*(\d{2}(?:\.5)?)(?!\d)")
PACK_PATTERNS = [
    re.compile(COUNT + r"\s*(?:件|支|瓶|包|盒|袋|罐|听|个|只|片|条|块|桶|箱|杯|卷|双)?装"),
    re.compile(r"(?:" + UNIT_ALTERNATION + r")\s*[*x×]\s*" + COUNT + r"(?![0-9a-z])"),
    re.compile(r"(?<![0-9.])" + COUNT + r"\s*[*x×]\s*" + NUMBER + r"\s*(?:" + UNIT_ALTERNATION + r")(?![a-z])"),
    re.compile(r"(\d{1,3})[\s-]*(?:pack|pk|pcs|pieces|count|ct)\b"),
    re.compile(r"\b(?:pack|set|case|box) of (\d{1,3})\b"),
    #  A lone `x3` at a word's start, not a dimension (`8 x 10`) nor an architecture (`x64`, `x86`).
    re.compile(r"(?<![a-z0-9.])(?<!\d )[x×*]\s?([1-9]|1[0-2])(?![0-9a-z.])"),
]
COLOURS = {
    "black": ("black", "黑"),
    "white": ("white", "白"),
    "red": ("red", "红"),
    "blue": ("blue", "navy", "蓝"),
    "green": ("green", "绿"),
    "yellow": ("yellow", "黄"),
    "purple": ("purple", "violet", "紫"),
    "pink": ("pink", "粉"),
    "grey": ("grey", "gray", "灰"),
    "gold": ("gold", "金"),
    "silver": ("silver", "银"),
    "orange": ("orange", "橙"),
    "brown": ("brown", "棕", "咖"),
    "beige": ("beige", "米"),
}
ENGLISH_COLOUR = {alias: colour for colour, aliases in COLOURS.items() for alias in aliases if alias.isascii()}
CHINESE_COLOUR = {alias: colour for colour, aliases in COLOURS.items() for alias in aliases if not alias.isascii()}
CHINESE_COLOUR_WORD = re.compile(r"([\u4e00-\u9fff]{0,2}?)([" + "".join(CHINESE_COLOUR) + r"])色")
COLOUR_KEYS = {"颜色", "颜色分类", "color", "colour", "色", "配色"}
USED = re.compile(
    r"二手|翻新|官翻|准新|拆封|展示机|样机|成新|\d{2}新|\b(?:used|refurbished|renewed|pre-owned|preowned|open box)\b"
)
ACCESSORY = re.compile(
    r"手机壳|保护壳|保护套|外壳|钢化膜|贴膜|保护膜|充电器|充电头|数据线|表带|支架|收纳包|替换|配件|"
    r"\b(?:case|cover|protector|charger|cable|strap|sleeve|skin|holder|replacement)s?\b"
)
#  Words that turn one model into its sibling: `Pro` vs `Pro Max`, `Mate 60` vs `Mate 60 Pro`.
VARIANT_WORDS = frozenset(
    [
        "pro",
        "max",
        "plus",
        "mini",
        "ultra",
        "lite",
        "se",
        "air",
        "note",
        "neo",
        "turbo",
        "prime",
        "fold",
        "flip",
        "xl",
        "xs",
        "青春版",
        "青春",
        "至尊版",
        "至尊",
        "尊享版",
        "标准版",
        "高配版",
        "低配版",
        "加强版",
        "增强版",
        "典藏版",
        "旗舰版",
        "豪华版",
        "入门版",
    ]
)


@dataclass(frozen=True)
class Attributes:
    """The facts of one side, each canonical; an empty set or None means the text does not say."""

    codes: frozenset[str]
    numbers: frozenset[str]
    quantities: dict[str, frozenset[float]]
    pack_count: int | None
    colours: frozenset[str]
    used: bool
    accessory: bool


def chinese_count(text: str) -> int:
    """`3`, `三`, `两`, `十二` as an integer."""
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + CHINESE_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, units = text.partition("十")
        return CHINESE_DIGITS.get(tens, 1) * 10 + CHINESE_DIGITS.get(units, 0)
    return CHINESE_DIGITS.get(text, 0)


def quantities(text: str) -> dict[str, frozenset[float]]:
    """Every amount with a unit, grouped by kind in canonical units (storage GB, volume ml, weight g ...)."""
    found: dict[str, set[float]] = {}
    for number, unit in QUANTITY.findall(text):
        value = float(number)
        if unit == "g":
            kind, factor = ("storage_gb", 1.0) if value in STORAGE_SIZES else ("weight_g", 1.0)
        else:
            kind, factor = UNITS[unit]
        found.setdefault(kind, set()).add(round(value * factor, 3))
    for size in SIZE_LABEL.findall(text):
        found.setdefault("shoe_size", set()).add(float(size))
    return {kind: frozenset(values) for kind, values in found.items()}


def pack_count(text: str) -> int | None:
    """How many units the listing sells together (`2件装`, `500ml*2`, `2×500毫升`, `3-pack`, `x3`)."""
    for pattern in PACK_PATTERNS:
        match = pattern.search(text)
        if match:
            count = chinese_count(match.group(1))
            if 1 <= count <= 200:
                return count
    return None


def colours(text: str) -> frozenset[str]:
    """Base colours named in the text: `曜石黑色`, `黑色` and `black` are all black."""
    found = {CHINESE_COLOUR[base] for _, base in CHINESE_COLOUR_WORD.findall(text)}
    found.update(ENGLISH_COLOUR[word] for word in re.findall(r"[a-z]+", text) if word in ENGLISH_COLOUR)
    return frozenset(found)


def spec_colours(product: Product) -> frozenset[str]:
    """The colour the SKU is sold in, when colour is one of its spec attributes (颜色: 黑 has no 色 suffix)."""
    found: set[str] = set()
    for key, value in product.spec.items():
        if normalise(key) in COLOUR_KEYS:
            text = normalise(value)
            found.update(CHINESE_COLOUR[char] for char in text if char in CHINESE_COLOUR)
            found.update(colours(text))
    return frozenset(found)


def is_code(word: str) -> bool:
    """A model-number-like word: letters and digits mixed (`xr-2000s`, `wfw9200swh`), or four digits and more."""
    plain = squeeze(word)
    has_digit = any(c.isdigit() for c in plain)
    has_letter = any(c.isalpha() and c.isascii() for c in plain)
    return len(plain) >= 3 and has_digit and (has_letter or len(plain) >= 4)


def _is_amount(word: str) -> bool:
    """`256gb`, `3-pack` and `x2` are spec amounts, not model numbers."""
    return bool(QUANTITY.fullmatch(word)) or any(pattern.fullmatch(word) for pattern in PACK_PATTERNS)


def codes(words: list[str]) -> frozenset[str]:
    """Model-number candidates, also joining a short letter prefix to the number after it (`xr 2000` = `xr2000`)."""
    found = {squeeze(w) for w in words if is_code(w) and not _is_amount(w)}
    for first, second in zip(words, words[1:], strict=False):
        if first.isalpha() and first.isascii() and len(first) <= 4 and second.isdigit() and first not in SIZE_WORDS:
            found.add(first + second)
    return frozenset(found)


def extract(product: Product, text: str, words: list[str], title: str) -> Attributes:
    """The facts of one side, from its normalised full text, that text's words and its normalised title."""
    return Attributes(
        codes=codes(words),
        numbers=frozenset(w for w in words if w.replace(".", "", 1).isdigit()),
        quantities=quantities(text),
        pack_count=pack_count(text),
        colours=colours(text) | spec_colours(product),
        used=bool(USED.search(text)),
        accessory=bool(ACCESSORY.search(title)),
    )
