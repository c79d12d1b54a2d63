"""Text normalisation and tokens shared by attribute extraction and features.

Listings arrive in every writing habit at once: full-width digits from Chinese input methods, traditional
characters from Hong Kong and Taiwan shops, upper and lower case. Everything downstream compares one canonical
form, so each habit is undone here, once.
"""

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from types import ModuleType

CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
TOKEN = re.compile(r"[a-z0-9][a-z0-9.\-/+]*[a-z0-9]|[a-z0-9]|[\u3400-\u9fff]+")
#  Marketing words promise nothing about which product it is; they only add noise to title similarity.
MARKETING_WORDS = frozenset(
    [
        "官方",
        "旗舰店",
        "旗舰",
        "官方旗舰店",
        "正品",
        "包邮",
        "顺丰",
        "顺丰包邮",
        "现货",
        "速发",
        "新品",
        "热卖",
        "爆款",
        "特价",
        "促销",
        "限时",
        "直降",
        "秒杀",
        "专营店",
        "自营",
        "授权",
        "国行",
        "全国联保",
        "正品保证",
        "送礼",
        "礼物",
        "推荐",
        "热销",
        "好评",
        "店铺",
        "官网",
        "同款",
        "新款",
        "2件包邮",
    ]
)


#  Removed before segmentation: jieba does not know 包邮 and would leave 包 and 邮 behind as words.
MARKETING_PHRASE = re.compile("|".join(sorted(MARKETING_WORDS, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _to_simplified() -> Callable[[str, str], str]:
    """zhconv loads its conversion table on first use; only texts with Chinese characters pay for it."""
    from zhconv import convert

    return convert


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), traditional to simplified, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    if CJK_RUN.search(text):
        text = _to_simplified()(text, "zh-cn")
    return " ".join(text.lower().split())


@lru_cache(maxsize=1)
def _segmenter() -> ModuleType:
    """jieba builds its prefix dictionary (about a second) on first use, so English-only work never waits."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens(normalised: str) -> list[str]:
    """Words of a normalised text: Latin/digit runs as they are, Chinese runs segmented by jieba."""
    words: list[str] = []
    for match in TOKEN.finditer(MARKETING_PHRASE.sub(" ", normalised)):
        word = match.group()
        if CJK_RUN.fullmatch(word):
            words.extend(w for w in _segmenter().lcut(word, HMM=False) if w.strip())
        else:
            words.append(word)
    return words


def squeeze(text: str) -> str:
    """Letters and digits only, so `XR-2000`, `xr 2000` and `XR2000` compare equal."""
    return re.sub(r"[^a-z0-9\u3400-\u9fff]", "", text)
