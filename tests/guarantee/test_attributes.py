"""Spec facts read from titles in either language and any width: the same amount written differently is equal."""

import pytest

from anxin.guarantee.matching.attributes import colours, pack_count, quantities
from anxin.guarantee.matching.text import normalise, tokens


def facts(text: str) -> dict[str, frozenset[float]]:
    return quantities(normalise(text))


@pytest.mark.parametrize("text", ["256GB", "256G", "256 GB", "２５６ＧＢ", "0.25TB"])
def test_storage_written_any_way_is_256_gb(text):
    assert facts(text) == {"storage_gb": frozenset({256.0})}


@pytest.mark.parametrize("text", ["1.5L", "1500ml", "1500毫升", "1.5升"])
def test_volume_in_litres_or_millilitres_is_the_same(text):
    assert facts(text) == {"volume_ml": frozenset({1500.0})}


@pytest.mark.parametrize("text", ["42码", "码数 42", "EU 42", "尺码：42", "size 42"])
def test_shoe_size_labels_read_as_one_size(text):
    assert facts(text) == {"shoe_size": frozenset({42.0})}


def test_grams_are_not_storage():
    assert facts("坚果 500g") == {"weight_g": frozenset({500.0})}


@pytest.mark.parametrize(
    ("text", "count"),
    [("500ml*2", 2), ("2×500毫升", 2), ("500ml 两瓶装", 2), ("2件装", 2), ("三支装", 3), ("x3", 3), ("3-pack", 3)],
)
def test_package_counts_in_chinese_and_english(text, count):
    assert pack_count(normalise(text)) == count


@pytest.mark.parametrize("text", ["8 x 10 100 1000 switch", "windows 7 x64", "4x zoom lens", "500ml"])
def test_dimensions_architectures_and_zooms_are_not_package_counts(text):
    assert pack_count(normalise(text)) is None


def test_colours_in_chinese_and_english_are_the_same_base_colour():
    assert colours(normalise("曜石黑色")) == colours(normalise("Black")) == frozenset({"black"})


def test_traditional_and_full_width_text_normalise_to_simplified_half_width():
    assert normalise("蘋果 ＩＰＨＯＮＥ １５") == "苹果 iphone 15"


def test_marketing_words_are_not_tokens():
    assert tokens(normalise("官方旗舰店 正品 包邮 顺丰 小米手机")) == ["小米", "手机"]
