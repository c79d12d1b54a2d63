"""Home, search, paging, the product page, its personalization form and the live preview."""

import pytest

from anxin.checkout.models import CartLine
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


def test_product_page_shows_skus_stock_and_the_personalization_form(client):
    perfume = f.product(title="调香香水", price_fen=19900, stock=7)
    f.text_question(perfume, label="瓶身印字", max_chars=8, position=0)
    f.choice_question(perfume, [("玫瑰", 0), ("雪松", 500), ("琥珀", 1000)], label="香调", min_select=2, max_select=2)
    r = client.get(f"/p/{perfume.pk}/")
    assert r.status_code == 200
    assert "库存 7" in r.text
    assert 'maxlength="8"' in r.text and 'data-maxchars="8"' in r.text
    assert 'type="checkbox"' in r.text and "请选择 2 项" in r.text
    assert "+¥5.00" in r.text
    assert 'for="quantity"' in r.text


def test_single_choice_questions_are_radios(client):
    item = f.product()
    f.choice_question(item, [("红", 0), ("蓝", 0)], label="颜色", min_select=1, max_select=1)
    r = client.get(f"/p/{item.pk}/")
    assert 'type="radio"' in r.text and 'type="checkbox"' not in r.text


def test_preview_prices_the_chosen_options_and_shows_the_print_line(client):
    perfume = f.product(price_fen=19900)
    text = f.text_question(perfume, label="瓶身印字", max_chars=8)
    notes = f.choice_question(perfume, [("玫瑰", 0), ("雪松", 500), ("琥珀", 1000)], min_select=2, max_select=2)
    cedar, amber = [o.pk for o in notes.options.all()][1:]
    sku = perfume.skus.first()
    r = client.get(
        f"/p/{perfume.pk}/preview/",
        {"sku_id": sku.pk, "quantity": "2", f"q_{text.pk}": "小红", f"q_{notes.pk}": [cedar, amber]},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert "¥214.00" in r.text  # 199 + 5 + 10
    assert "¥428.00" in r.text
    assert "瓶身印字: 小红 · 香调: 雪松, 琥珀" in r.text
    assert "<html" not in r.text


def test_too_long_a_name_is_shown_beside_its_field_and_everything_typed_is_kept(client):
    boots = f.product(price_fen=39900)
    name = f.text_question(boots, label="鞋舌印字", max_chars=5, position=0)
    nickname = f.text_question(boots, label="鞋跟印字", max_chars=10, required=False, position=1)
    colour = f.choice_question(boots, [("金色", 0), ("银色", 200)], label="字色", position=2)
    silver = colour.options.last()
    client.force_login(f.buyer())
    r = client.post(
        f"/p/{boots.pk}/",
        {
            "sku_id": boots.skus.first().pk,
            "quantity": "3",
            f"q_{name.pk}": "ZHANGSANFENG",
            f"q_{nickname.pk}": "No.10",
            f"q_{colour.pk}": str(silver.pk),
        },
    )
    assert r.status_code == 400
    assert "最多 5 个字，现在是 12 个" in r.text
    assert f'id="q-{name.pk}-error"' in r.text
    assert 'value="ZHANGSANFENG"' in r.text and 'value="No.10"' in r.text
    assert f'value="{silver.pk}" checked' in r.text
    assert 'value="3"' in r.text
    assert not CartLine.objects.exists()


def test_wrong_number_of_choices_and_bad_quantity_are_reported(client):
    perfume = f.product()
    notes = f.choice_question(perfume, [("玫瑰", 0), ("雪松", 0), ("琥珀", 0)], min_select=2, max_select=2)
    client.force_login(f.buyer())
    r = client.post(
        f"/p/{perfume.pk}/",
        {"sku_id": perfume.skus.first().pk, "quantity": "many", f"q_{notes.pk}": [notes.options.first().pk]},
    )
    assert r.status_code == 400
    assert "须为 1" in r.text  # the quantity, beside its field
    r = client.post(
        f"/p/{perfume.pk}/",
        {"sku_id": perfume.skus.first().pk, "quantity": "1", f"q_{notes.pk}": [notes.options.first().pk]},
    )
    assert r.status_code == 400
    assert "请选择 2 项，现在选了 1 项" in r.text


def test_more_than_the_stock_is_refused_with_the_count_left(client):
    item = f.product(stock=2)
    client.force_login(f.buyer())
    r = client.post(f"/p/{item.pk}/", {"sku_id": item.skus.first().pk, "quantity": "5"})
    assert r.status_code == 409
    assert "库存不足" in r.text


def test_garbage_input_never_crashes_the_product_page(client):
    item = f.product()
    question = f.choice_question(item, [("A", 0)])
    client.force_login(f.buyer())
    r = client.post(f"/p/{item.pk}/", {"sku_id": "x", "quantity": "", f"q_{question.pk}": "not-an-id"})
    assert r.status_code == 400
    r = client.post(f"/p/{item.pk}/", {"sku_id": "999999", "quantity": "1", f"q_{question.pk}": "abc"})
    assert r.status_code == 400
    assert client.get(f"/p/{item.pk}/preview/", {"sku_id": "x", "quantity": "-3"}).status_code == 200


def test_adding_to_cart_needs_a_login(client):
    item = f.product()
    r = client.post(f"/p/{item.pk}/", {"sku_id": item.skus.first().pk, "quantity": "1"})
    assert r.status_code == 302 and r.url.startswith("/login/")


def test_staff_cannot_buy_and_sees_why(client):
    item = f.product()
    client.force_login(f.staff())
    r = client.post(f"/p/{item.pk}/", {"sku_id": item.skus.first().pk, "quantity": "1"})
    assert r.status_code == 403
    assert "权限" in r.text


def test_inactive_or_unknown_products_are_not_found(client):
    hidden = f.product(is_active=False)
    assert client.get(f"/p/{hidden.pk}/").status_code == 404
    assert client.get("/p/999999/").status_code == 404
