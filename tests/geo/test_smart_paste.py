"""Smart paste's parser (geo.rules.parse_pasted_address) on the bundled division list."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from anxin.geo import bundle, rules

INDEX = rules.DivisionIndex(
    rules.Division(r["code"], r["name"], r["level"], r["parent_id"]) for r in bundle.read_rows()
)
FULL = ("recipient", "phone", "province_code", "city_code", "county_code", "street")


def parse(text: str) -> rules.PastedAddress:
    return rules.parse_pasted_address(text, INDEX)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "张三 13800000000 浙江省杭州市西湖区文三路 100 号",
            ("张三", "13800000000", "330000", "330100", "330106", "文三路 100 号"),
        ),
        (
            "收货人：李四，手机：138-0013-8000，地址：北京市东城区东华门大街 1 号",
            ("李四", "13800138000", "110000", "110100", "110101", "东华门大街 1 号"),
        ),
        (
            "浙江杭州西湖区文三路100号 王五 +86 139 1234 5678",
            ("王五", "13912345678", "330000", "330100", "330106", "文三路100号"),
        ),
        (
            "上海市上海市浦东新区世纪大道100号 赵六 13800000001",
            ("赵六", "13800000001", "310000", "310100", "310115", "世纪大道100号"),
        ),
        (
            "陈七 13800138000 广东省东莞市南城街道 8 号",
            ("陈七", "13800138000", "440000", "441900", "441900", "南城街道 8 号"),
        ),
        (
            "吉林市船营区北京路 5 号 周八 13800000002",
            ("周八", "13800000002", "220000", "220200", "220204", "北京路 5 号"),
        ),
        (
            "重庆市万州区 太白路 1 号 吴九 13800000003",
            ("吴九", "13800000003", "500000", "500100", "500101", "太白路 1 号"),
        ),
        (
            "延边朝鲜族自治州延吉市 光明街 2 号 郑十 13800000004",
            ("郑十", "13800000004", "220000", "222400", "222401", "光明街 2 号"),
        ),
    ],
)
def test_a_complete_line_fills_every_part(text, expected):
    result = parse(text)
    assert tuple(result.values[part] for part in FULL) == expected
    assert result.missing == ()


def test_an_ambiguous_county_fills_nothing_of_the_region():
    result = parse("西湖区文三路 100 号")  # 杭州 and 南昌 both have a 西湖区
    assert "province_code" in result.missing and "county_code" in result.missing and result.values == {}


def test_two_phone_numbers_fill_neither():
    result = parse("张三 13800000000 13900000000 浙江省杭州市西湖区文三路 1 号")
    assert "phone" in result.missing and result.values["county_code"] == "330106"


def test_a_city_it_cannot_place_leaves_the_city_and_county_open():
    result = parse("浙江省某某市文三路 1 号")
    assert result.values["province_code"] == "330000"
    assert {"city_code", "county_code"} <= set(result.missing)


def test_text_without_an_address_or_phone_fills_nothing():
    assert parse("随便写点什么").values == {}


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
names = st.text(alphabet="张王李赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施梅雷华", min_size=2, max_size=4)
streets = st.builds(
    lambda road, number: f"{road}路 {number} 号", st.sampled_from(["文三", "解放", "人民", "中山"]), st.integers(1, 999)
)
COUNTIES = [
    (INDEX.by_code[INDEX.by_code[k.parent_code].parent_code], INDEX.by_code[k.parent_code], k)
    for k in INDEX.counties
    if INDEX.by_code[k.parent_code].name not in rules.UNNAMED_CITY_NAMES
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(COUNTIES), names, mobiles, streets, st.booleans())
def test_any_full_written_line_reads_back_in_either_order(chain, name, mobile, street, name_first):
    province, city, county = chain
    region = province.name + city.name + county.name
    assume(not (street.startswith(county.name) or name in region))
    text = f"{name} {mobile} {region}{street}" if name_first else f"{region}{street} {name} {mobile}"
    result = parse(text)
    assert result.values.get("phone") == mobile and result.values.get("recipient") == name
    assert result.values.get("province_code") == province.code and result.values.get("city_code") == city.code
    if "county_code" in result.values:  # a county named like another (…市 and …区 twins) may be left open
        assert result.values["county_code"] == county.code and result.values["street"] == street


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_whatever_is_pasted_the_parser_answers_and_fills_only_consistent_parts(text):
    result = parse(text)
    assert set(result.values) | set(result.missing) == set(FULL) and not set(result.values) & set(result.missing)
    if "phone" in result.values:
        assert rules.is_six_digits(result.values["phone"][:6]) and len(result.values["phone"]) == 11
    province, city, county = (result.values.get(k, "") for k in ("province_code", "city_code", "county_code"))
    if city:
        assert INDEX.by_code[city].parent_code == province
    if county and county != city:
        assert INDEX.by_code[county].parent_code == city
    if "recipient" in result.values:
        assert result.values["recipient"] in text
