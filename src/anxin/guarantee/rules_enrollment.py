"""Which SKUs may carry 买贵必赔 and on what terms (RULES §6): a campaign's name, multiplier and window, and the
badge a SKU shows. Pure (no Django, no clock: `now` is passed in)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from anxin.core.rules import Message, has_control_characters
from anxin.core.rules import message as _

MULTIPLIERS = (1, 2)
CAMPAIGN_NAME_MAX = 60
CAMPAIGN_LONGEST = timedelta(days=366)
CAMPAIGN_SKUS_MAX = 500  # SKU ids in one enrollment request


@dataclass(frozen=True)
class CampaignTerms:
    name: str
    multiplier: int
    starts_at: datetime
    ends_at: datetime


def campaign_problems(terms: CampaignTerms, now: datetime) -> dict[str, Message]:
    """Field -> why the campaign cannot be created as asked (empty when it can)."""
    problems: dict[str, Message] = {}
    name = terms.name.strip()
    if not name or len(name) > CAMPAIGN_NAME_MAX or has_control_characters(name):
        problems["name"] = _("活动名称须为 1 到 60 个字符。", code="campaign_name")
    if isinstance(terms.multiplier, bool) or terms.multiplier not in MULTIPLIERS:
        problems["multiplier"] = _("赔付倍数只能是 1 或 2。", code="campaign_multiplier")
    if terms.ends_at <= terms.starts_at:
        problems["ends_at"] = _("结束时间须晚于开始时间。", code="campaign_window_backwards")
    elif terms.ends_at <= now:
        problems["ends_at"] = _("结束时间已经过去。", code="campaign_window_past")
    elif terms.ends_at - terms.starts_at > CAMPAIGN_LONGEST:
        problems["ends_at"] = _("活动最长一年。", code="campaign_window_too_long")
    return problems


def sku_ids_problem(sku_ids: list[int]) -> Message | None:
    if not sku_ids:
        return _("请至少填写一个 SKU 编号。", code="campaign_no_skus")
    if len(sku_ids) > CAMPAIGN_SKUS_MAX:
        return _("一次最多报名 %(max)s 个 SKU。", code="campaign_too_many_skus", max=CAMPAIGN_SKUS_MAX)
    return None


def badge_label(multiplier: int) -> Message:
    """What the price shows for a SKU under the guarantee: 买贵双倍赔 when a campaign doubles it."""
    if multiplier >= 2:
        return _("买贵双倍赔", code="price_match_double")
    return _("买贵必赔", code="price_match")
