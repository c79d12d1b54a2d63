"""The competitor platforms a 买贵必赔 claim or a feed row may name, and what makes a price comparable (RULES §6).

Pure (no Django): the claim form, the API and the feed import all check a listing through `listing_problem`
and key it with `url_key`, so a claim and the feed agree on which listing is which.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from anxin.core.rules import Message
from anxin.core.rules import message as _


@dataclass(frozen=True)
class Platform:
    code: str
    name: Message
    domains: tuple[str, ...]


PLATFORMS: dict[str, Platform] = {
    p.code: p
    for p in (
        Platform("jd", _("京东"), ("jd.com", "jd.hk", "3.cn")),
        Platform("tmall", _("天猫"), ("tmall.com", "tmall.hk")),
        Platform("taobao", _("淘宝"), ("taobao.com", "tb.cn")),
        Platform("pdd", _("拼多多"), ("pinduoduo.com", "yangkeduo.com")),
        Platform("douyin", _("抖音商城"), ("douyin.com", "jinritemai.com")),
        Platform("suning", _("苏宁易购"), ("suning.com",)),
    )
}

# A price for one new unit, open to everyone: the only kind a claim can be compared with.
REGULAR = "regular"
PRICE_TYPES: dict[str, Message] = {
    REGULAR: _("常规价"),
    "member": _("会员价"),
    "group_buy": _("拼团价"),
    "flash": _("限时秒杀价"),
    "near_expiry": _("临期价"),
    "used": _("二手价"),
    "refurbished": _("翻新价"),
    "presale": _("预售价"),
}

URL_MAX = 500


def is_comparable(price_type: str) -> bool:
    return price_type == REGULAR


def _host_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        return None
    return parts.hostname.lower().rstrip(".")


def listing_problem(platform: str, url: str) -> Message | None:
    """Why `url` cannot be a listing of `platform` (None when it can): https, and on one of the platform's own
    domains (a subdomain counts: item.jd.com), so a claim cannot point at a page the buyer made up."""
    known = PLATFORMS.get(platform)
    if known is None:
        return _("不支持这个比价平台。", code="unknown_platform")
    if not url or len(url) > URL_MAX:
        return _("请填写商品链接（不超过 500 个字符）。", code="listing_url_length")
    host = _host_of(url.strip())
    if host is None:
        return _("商品链接须是以 https:// 开头的完整网址。", code="listing_url_not_https")
    if not any(host == domain or host.endswith("." + domain) for domain in known.domains):
        return _("这个链接不是所选平台的商品页。", code="listing_not_on_platform")
    return None


def url_key(url: str) -> str:
    """The listing a URL names, for comparing claims and feed rows: host without `www.`/`m.`, path without a
    trailing slash, the query kept (item ids live there on some platforms), the fragment dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m."):
        host = host.removeprefix(prefix)
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"
