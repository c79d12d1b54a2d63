"""The storefront and the shop pages: categories, search, filters and sorts in the URL, counts, bad
parameters, paging, bounded queries."""

import re

import pytest

from anxin.core import clock
from anxin.shipping.models import FreeRule, ShippingTemplate
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_home_lists_categories_and_products_with_price_and_badges(client):
    shop = f.merchant()
    fruit = f.category(slug="fruit")
    f.product(shop, title="新鲜草莓", price_fen=2990, is_fresh=True, category=fruit)
    pen = f.product(shop, title="刻字钢笔", price_fen=12800)
    f.text_question(pen)
    r = client.get("/")
    assert r.status_code == 200
    assert fruit.name in r.text
    assert "新鲜草莓" in r.text and "¥29.90" in r.text and "鲜" in r.text
    assert "刻字钢笔" in r.text and "可定制" in r.text


def test_search_matches_chinese_and_english_titles_and_brands(client):
    shop = f.merchant()
    f.product(shop, title="定制足球鞋", title_en="Custom football boots", brand="Kicks")
    f.product(shop, title="保温杯", title_en="Vacuum flask", brand="Thermo")
    assert "定制足球鞋" in client.get("/", {"q": "足球"}).text
    r = client.get("/", {"q": "football"})
    assert "定制足球鞋" in r.text and "保温杯" not in r.text
    r = client.get("/", {"q": "thermo"})
    assert "保温杯" in r.text and "定制足球鞋" not in r.text
    assert "没有找到相关商品" in client.get("/", {"q": "不存在的东西"}).text


def test_category_filter_shows_only_that_category(client):
    shop = f.merchant()
    fruit = f.category(slug="fruit")
    f.product(shop, title="芒果", category=fruit)
    f.product(shop, title="台灯")
    r = client.get("/", {"c": "fruit"})
    assert "芒果" in r.text and "台灯" not in r.text


def test_home_pages_through_many_products_and_survives_bad_page_numbers(client):
    shop = f.merchant()
    for i in range(30):
        f.product(shop, title=f"商品甲{i:02d}")
    first = client.get("/")
    assert first.text.count('class="product-card"') == 24
    second = client.get("/", {"page": "2"})
    assert second.text.count('class="product-card"') == 6
    assert client.get("/", {"page": "abc"}).status_code == 200
    assert client.get("/", {"page": "999"}).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("query", [{}, {"q": "商品", "free": "1", "custom": "1"}])
def test_home_page_queries_do_not_grow_with_products(client, django_assert_max_num_queries, count, query):
    shop = f.merchant()
    for _ in range(count):
        product = f.product(shop, brand="牌子")
        f.text_question(product)
    buyer = f.buyer()
    f.address(buyer)
    client.force_login(buyer)
    with django_assert_max_num_queries(16):
        r = client.get("/", query)
    assert r.status_code == 200


def titles(response) -> list[str]:
    return re.findall(r'<div class="title">([^<]*)</div>', response.text)


def free_template(shop, provinces: list[str]) -> ShippingTemplate:
    template = ShippingTemplate.objects.create(merchant=shop, name="包邮", created_at=clock.now())
    FreeRule.objects.create(template=template, provinces=provinces, kind="always")
    return template


def test_filters_and_sort_live_in_the_query_string(client):
    shop = f.merchant()
    f.product(shop, title="杯甲", price_fen=1000, brand="A牌")
    f.product(shop, title="杯乙", price_fen=3000, brand="A牌")
    f.product(shop, title="杯丙", price_fen=4000, brand="B牌")
    r = client.get("/", {"q": "杯", "brand": "A牌", "min": "5", "max": "50", "sort": "price_down"})
    assert titles(r) == ["杯乙", "杯甲"]
    assert "“杯”：2 件商品" in r.text
    assert "sort=price_up" in r.text and "brand=A%E7%89%8C" in r.text  # sort links keep the filters
    assert re.search(r'<option value="B牌"[^>]*>B牌 \(1\)</option>', r.text)  # the brand count ignores brand


def test_price_filter_reads_yuan_as_people_type_it(client):
    shop = f.merchant()
    f.product(shop, title="杯甲", price_fen=1990)
    f.product(shop, title="杯乙", price_fen=2010)
    assert titles(client.get("/", {"max": "¥19.90"})) == ["杯甲"]


def test_custom_filter_and_its_count(client):
    shop = f.merchant()
    pen = f.product(shop, title="钢笔")
    f.text_question(pen)
    f.product(shop, title="铅笔")
    r = client.get("/", {"custom": "1"})
    assert titles(r) == ["钢笔"]
    assert '可定制</label>\n      <span class="muted small">(1)</span>' in r.text


def cups_free_to_guangdong() -> None:
    shop = f.merchant()
    f.product(shop, title="包邮杯", shipping_template=free_template(shop, ["44"]))
    f.product(shop, title="运费杯")


def test_free_shipping_uses_the_buyers_default_address(client):
    cups_free_to_guangdong()
    buyer = f.buyer()
    f.address(buyer, "440000", "440300", "440305")
    client.force_login(buyer)
    r = client.get("/", {"free": "1"})
    assert titles(r) == ["包邮杯"]
    assert '<option value="440000" selected>' in r.text


def test_free_shipping_to_a_chosen_province(client):
    cups_free_to_guangdong()
    assert titles(client.get("/", {"free": "1", "to": "440000"})) == ["包邮杯"]
    assert titles(client.get("/", {"free": "1", "to": "330000"})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "cheapest"},
        {"min": "abc"},
        {"max": "1e9"},
        {"min": "50", "max": "10"},
        {"to": "999999", "free": "1"},
        {"shop": "no such/shop"},
        {"c": "../etc"},
        {"q": "杯" * 101},
        {"brand": "牌" * 61},
    ],
)
def test_bad_parameters_are_left_out_with_a_note_never_an_error(client, params):
    shop = f.merchant()
    f.product(shop, title="杯甲", price_fen=2000)
    r = client.get("/", params)
    assert r.status_code == 200
    assert "以下条件有误，已忽略" in r.text
    assert titles(r) == ["杯甲"]


def test_shop_page_shows_its_products_promises_and_searches_within(client):
    shop = f.merchant(name="安心鞋店")
    shop.description = "专做足球鞋"
    shop.save()
    template = free_template(shop, [])
    boots = f.product(shop, title="足球鞋", shipping_template=template, handling_hours=24)
    f.text_question(boots)
    f.product(shop, title="袜子", shipping_template=template, handling_hours=24)
    f.product(f.merchant(), title="别家足球鞋")
    r = client.get(f"/shop/{shop.slug}/")
    assert r.status_code == 200
    assert "安心鞋店" in r.text and "专做足球鞋" in r.text and "浙江省发货" in r.text
    for badge in ["24小时发货", "7天无理由退货", "偏远地区包邮", "支持定制"]:
        assert f'<li class="badge badge-promise">{badge}</li>' in r.text
    assert sorted(titles(r)) == sorted(["袜子", "足球鞋"])
    assert titles(client.get(f"/shop/{shop.slug}/", {"q": "球鞋"})) == ["足球鞋"]


def test_shop_page_of_an_unknown_or_closed_shop_is_not_found(client):
    closed = f.merchant()
    closed.is_active = False
    closed.save()
    assert client.get("/shop/no-such-shop/").status_code == 404
    assert client.get(f"/shop/{closed.slug}/").status_code == 404


def test_product_page_links_to_its_shop(client):
    product = f.product()
    assert f'href="/shop/{product.merchant.slug}/"' in client.get(f"/p/{product.pk}/").text
