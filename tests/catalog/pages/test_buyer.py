"""The storefront: categories, search, paging, bounded queries."""

import pytest

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
def test_home_page_queries_do_not_grow_with_products(client, django_assert_max_num_queries, count):
    shop = f.merchant()
    for _ in range(count):
        product = f.product(shop)
        f.text_question(product)
    client.force_login(f.buyer())
    with django_assert_max_num_queries(8):
        r = client.get("/")
    assert r.status_code == 200
