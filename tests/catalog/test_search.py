"""The catalog's search on the database in use (SQLite FTS5 or PostgreSQL's GIN index): matching, ranking,
sorts, filters, counts, and the index and sales the services keep."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from anxin.catalog import rules, search
from anxin.catalog import services as catalog
from anxin.catalog.models import DailySales, SearchDocument
from anxin.core import clock
from tests import factories as f

pytestmark = pytest.mark.django_db


def found(text: str = "", **asked) -> list[str]:
    return [p.title for p in search.results(rules.SearchRequest(text=text, **asked))]


def test_a_word_finds_the_longer_word_that_holds_it():
    shop = f.merchant()
    f.product(shop, title="专业足球鞋")
    f.product(shop, title="篮球")
    assert found("球鞋") == ["专业足球鞋"]
    assert found("足球鞋") == ["专业足球鞋"]


def test_every_word_of_a_query_must_match():
    shop = f.merchant()
    f.product(shop, title="红色保温杯", brand="Thermo")
    f.product(shop, title="蓝色保温杯", brand="Thermo")
    assert found("红色 thermo") == ["红色保温杯"]
    assert found("保温杯 thermo") == ["蓝色保温杯", "红色保温杯"]


def test_custom_finds_the_personalizable_products():
    shop = f.merchant()
    pen = f.product(shop, title="钢笔")
    f.text_question(pen, label="印字")
    f.product(shop, title="铅笔")
    assert found("定制") == ["钢笔"]
    assert found("custom") == ["钢笔"]


def test_title_matches_rank_above_description_matches():
    shop = f.merchant()
    f.product(shop, title="运动袜", description="适合搭配足球鞋穿")  # newer, matches only in its description
    older = f.product(shop, title="足球鞋")
    older.created_at = clock.now() - timedelta(days=30)
    older.save()
    assert found("球鞋") == ["足球鞋", "运动袜"]


def test_english_titles_brands_descriptions_and_specs_are_searched():
    shop = f.merchant()
    boots = f.product(shop, title="足球鞋", title_en="Football boots", brand="Kicks", description="草地专用")
    f.sku_of(boots, spec={"颜色": "荧光绿"})
    assert found("boots") == found("kicks") == found("草地") == found("荧光绿") == ["足球鞋"]


def test_a_query_of_punctuation_only_finds_nothing():
    f.product(title="足球鞋")
    assert found("！！") == []


def test_services_keep_the_index_when_titles_and_questions_change():
    staff = f.staff()
    product = catalog.create_product(staff, {"title": "保温杯", "category_id": f.category().pk})
    catalog.add_sku(staff, product.pk, {"code": "A", "price_fen": 5900})
    assert found("保温") == ["保温杯"]
    catalog.update_product(staff, product.pk, {"title": "咖啡杯"})
    assert found("保温") == [] and found("咖啡") == ["咖啡杯"]
    catalog.replace_questions(staff, product.pk, [{"kind": "text", "label": "刻名字", "max_chars": 8}])
    assert found("定制") == ["咖啡杯"]


def test_rebuild_indexes_every_product_again():
    product = f.product(title="足球鞋")
    SearchDocument.objects.all().delete()
    assert found("球鞋") == []
    assert search.rebuild() == 1
    assert found("球鞋") == [product.title]


def test_products_without_anything_to_buy_and_inactive_shops_are_left_out():
    shop = f.merchant()
    f.product(shop, title="足球鞋甲", is_active=False)
    closed = f.merchant()
    closed.is_active = False
    closed.save()
    f.product(closed, title="足球鞋乙")
    sold_out = f.product(shop, title="足球鞋丙")
    sold_out.skus.update(is_active=False)
    f.product(shop, title="足球鞋丁")
    assert found("球鞋") == ["足球鞋丁"]


def test_sorts_by_price_both_ways_and_newest():
    shop = f.merchant()
    f.product(shop, title="杯甲", price_fen=3000)
    f.product(shop, title="杯乙", price_fen=1000)
    f.product(shop, title="杯丙", price_fen=2000)
    assert found("杯", sort="price_up") == ["杯乙", "杯丙", "杯甲"]
    assert found("杯", sort="price_down") == ["杯甲", "杯丙", "杯乙"]
    assert found("杯", sort="newest") == ["杯丙", "杯乙", "杯甲"]


def test_sales_sort_counts_paid_units_of_the_last_30_days():
    shop = f.merchant()
    popular = f.product(shop, title="热卖杯")
    f.product(shop, title="新杯")
    old_hit = f.product(shop, title="旧款杯")
    f.paid_checkout(lines=[(popular.skus.first(), 3)])
    today = timezone.localdate(clock.now())
    DailySales.objects.create(product=old_hit, day=today - timedelta(days=30), units=99)  # outside the window
    assert DailySales.objects.get(product=popular).units == 3
    assert found("杯", sort="sales") == ["热卖杯", "旧款杯", "新杯"]  # ties: the newer product first
    assert [p.sales_30d for p in search.results(rules.SearchRequest(text="杯", sort="sales"))] == [3, 0, 0]


def test_unpaid_orders_are_not_sales():
    product = f.product(title="杯")
    f.placed_checkout(lines=[(product.skus.first(), 2)])
    assert not DailySales.objects.exists()


def test_record_sales_adds_up_within_a_day():
    product = f.product()
    day = timezone.localdate(clock.now())
    catalog.record_sales([(product.pk, 2), (product.pk, 1)], day)
    catalog.record_sales([(product.pk, 4)], day)
    assert DailySales.objects.get(product=product, day=day).units == 7


def test_filters_by_price_brand_shop_and_personalization():
    one, two = f.merchant(), f.merchant()
    cheap = f.product(one, title="杯一", price_fen=900, brand="A牌")
    f.product(one, title="杯二", price_fen=5000, brand="B牌")
    pen = f.product(two, title="杯三", price_fen=2000, brand="A牌")
    f.text_question(pen)
    assert found("杯", price_min_fen=1000, price_max_fen=5000, sort="price_up") == ["杯三", "杯二"]
    assert found("杯", brand="A牌", sort="price_up") == [cheap.title, pen.title]
    assert found(shop_slug=two.slug) == ["杯三"]
    assert found("杯", personalizable=True) == ["杯三"]


def test_free_shipping_filter_keeps_the_products_given():
    shop = f.merchant()
    free = f.product(shop, title="杯一")
    f.product(shop, title="杯二")
    ships_free = type(free).objects.filter(pk=free.pk).values("pk")
    assert [p.title for p in search.results(rules.SearchRequest(free_shipping=True), ships_free=ships_free)] == ["杯一"]


def test_counts_leave_their_own_filter_out_and_follow_the_others():
    one, two = f.merchant(name="甲店"), f.merchant(name="乙店")
    f.product(one, title="杯一", brand="A牌")
    f.product(one, title="杯二", brand="B牌")
    pen = f.product(two, title="杯三", brand="A牌")
    f.text_question(pen)
    f.product(two, title="碗", brand="C牌")
    counts = search.counts(rules.SearchRequest(text="杯", brand="A牌"))
    assert [(b.value, b.count) for b in counts.brands] == [("A牌", 2), ("B牌", 1)]
    assert sorted((s.label, s.count) for s in counts.shops) == [("乙店", 1), ("甲店", 1)]
    assert counts.personalizable == 1
    assert counts.free_shipping is None


def test_relevance_pages_slice_the_ranked_ids(django_assert_max_num_queries):
    shop = f.merchant()
    for i in range(30):
        f.product(shop, title=f"足球鞋{i:02d}")
    results = search.results(rules.SearchRequest(text="球鞋"))
    assert len(results) == 30
    with django_assert_max_num_queries(1):
        page = results[24:30]
    assert len(page) == 6 and results[0].title.startswith("足球鞋")


def test_the_search_index_command_rebuilds_and_says_how_many():
    f.product(title="足球鞋")
    SearchDocument.objects.all().delete()
    out = io.StringIO()
    call_command("search_index", stdout=out)
    assert "1 products indexed" in out.getvalue()
    assert found("球鞋") == ["足球鞋"]
