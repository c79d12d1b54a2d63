"""Look-alikes are "different" whatever the score, each with its reason; true matches with noisy titles match."""

import pytest

from anxin.guarantee.matching.decision import Outcome, decide
from anxin.guarantee.matching.listing import Product

PHONE = Product(
    title="Apple iPhone 15 Pro 256GB 黑色钛金属",
    brand="Apple",
    model="iPhone 15 Pro",
    spec={"容量": "256GB", "颜色": "黑色"},
    brand_aliases=("苹果",),
    price=7999,
)
WATER = Product(title="农夫山泉 饮用天然水 500ml", brand="农夫山泉", spec={"规格": "500ml"}, price=2)
SHOE = Product(
    title="Nike Air Zoom Pegasus 40 跑步鞋 42码 黑色",
    brand="Nike",
    model="Pegasus 40",
    spec={"尺码": "42", "颜色": "黑色"},
    brand_aliases=("耐克",),
)
ROUTER = Product(title="Elite XR-2000 wireless router", brand="Elite", model="XR-2000")
SSD = Product(title="Samsung 870 EVO 1TB SATA SSD", brand="Samsung", model="MZ-77E1T0B")


def decisive_aspects(sku: Product, listing: Product) -> list[str]:
    decision = decide(sku, listing)
    assert decision.outcome is Outcome.DIFFERENT
    assert not decision.is_match
    return [reason.aspect for reason in decision.reasons if reason.decisive]


@pytest.mark.parametrize(
    ("sku", "title", "aspect"),
    [
        (PHONE, "苹果 iPhone 15 Pro 512GB 黑色", "容量"),
        (PHONE, "Apple iPhone 15 Pro 512GB Black", "容量"),
        (PHONE, "苹果 iPhone 15 Pro Max 256GB 黑色", "型号"),
        (PHONE, "Apple iPhone 15 Pro Max 256GB black", "型号"),
        (PHONE, "苹果 iPhone 15 Pro 256GB 白色", "颜色"),
        (PHONE, "二手 苹果 iPhone 15 Pro 256GB 黑色 95新", "成色"),
        (PHONE, "Apple iPhone 15 Pro 256GB black (Renewed)", "成色"),
        (PHONE, "适用苹果 iPhone 15 Pro 手机壳 黑色", "品类"),
        (PHONE, "Silicone case for iPhone 15 Pro black", "品类"),
        (WATER, "农夫山泉 饮用天然水 500ml*2", "件数"),
        (WATER, "农夫山泉 饮用天然水 500ml 两瓶装", "件数"),
        (SHOE, "耐克 Pegasus 40 跑鞋 黑色 EU 43", "尺码"),
        (SHOE, "Nike Pegasus 40 running shoe black size 43", "尺码"),
        (SHOE, "耐克 Pegasus 40 跑鞋 白色 42码", "颜色"),
        (ROUTER, "Elite XR-2000S wireless router", "型号"),
    ],
)
def test_look_alikes_are_different_with_their_reason(sku, title, aspect):
    assert aspect in decisive_aspects(sku, Product(title=title))


def test_a_colour_that_is_not_the_skus_spec_does_not_decide():
    plain = Product(title="Apple iPhone 15 Pro 256GB", brand="Apple", model="iPhone 15 Pro")
    decision = decide(plain, Product(title="苹果 iPhone 15 Pro 256GB 白色"))
    assert not [reason for reason in decision.reasons if reason.decisive]


@pytest.mark.parametrize(
    ("sku", "title"),
    [
        (PHONE, "【官方旗舰店】苹果 iPhone 15 Pro 黑色 256G 正品 包邮 顺丰"),
        (PHONE, "蘋果 iPhone 15 Pro ２５６ＧＢ 黑色"),
        (PHONE, "256GB 黑色 iPhone 15 Pro Apple"),
        (SHOE, "正品 耐克 Nike Pegasus 40 跑步鞋 黑 42码"),
        (SSD, "samsung 870 evo 1 tb 2.5 inch sata internal ssd mz-77e1t0b"),
    ],
)
def test_true_matches_with_noisy_titles_match(sku, title):
    decision = decide(sku, Product(title=title))
    assert decision.is_match
    assert decision.outcome is not Outcome.DIFFERENT
    assert not [reason for reason in decision.reasons if reason.decisive]


def test_units_written_differently_agree():
    decision = decide(WATER, Product(title="农夫山泉饮用天然水500毫升"))
    (volume,) = [reason for reason in decision.reasons if reason.aspect == "容量"]
    assert volume.verdict == "same"
    assert not [reason for reason in decision.reasons if reason.decisive]


def test_a_listing_too_poor_to_tell_is_never_decided_by_a_rule():
    decision = decide(PHONE, Product(title="苹果手机"))
    assert not [reason for reason in decision.reasons if reason.decisive]
    assert decision.outcome is not Outcome.SAME


def test_reasons_read_side_by_side():
    decision = decide(PHONE, Product(title="苹果 iPhone 15 Pro 512GB 黑色"))
    assert "容量不同：我方「256GB」，对方「512GB」" in decision.describe()
