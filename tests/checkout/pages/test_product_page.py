"""The product page: SKUs, the personalization form and preview, add to cart, and the delivery offer."""

import re

import pytest

from anxin.checkout.models import CartLine
from anxin.core import clock
from anxin.shipping import queries as shipping_queries
from anxin.web.templatetags.anxin_web import promise_text
from tests import factories as f
from tests.fulfilment.helpers import (
    URUMQI,
    baoyou_product,
)

pytestmark = pytest.mark.django_db


def test_product_page_shows_the_fee_and_the_promise_to_the_buyers_default_address(client):
    item = f.product(f.merchant(province_code="330000"), price_fen=5900)
    buyer = f.buyer()
    f.address(buyer)  # Hangzhou
    client.force_login(buyer)
    r = client.get(f"/p/{item.pk}/")
    assert r.status_code == 200
    offer = shipping_queries.offer(item, item.skus.first(), "330000", clock.now())
    assert f"{offer.fee_fen / 100:.2f}" in r.text
    assert promise_text(offer.promise.earliest, offer.promise.latest) in r.text
    assert "中转仓" not in r.text


def test_a_remote_buyer_sees_the_hub_and_that_baoyou_is_still_free(client):
    item = baoyou_product()
    buyer = f.buyer()
    f.address(buyer, *URUMQI)
    client.force_login(buyer)
    r = client.get(f"/p/{item.pk}/")
    assert r.status_code == 200
    block = re.search(r'<div id="delivery".*?\n</div>', r.text, re.S).group(0)
    assert "包邮" in block and "西安市中转仓" in block and "偏远地区也包邮" in block
    assert "预计 " in block and "送达" in block


def test_a_product_not_for_remote_regions_shows_the_buyer_why_and_can_still_be_browsed(client):
    item = baoyou_product(remote_deliverable=False, title="大号冰箱")
    buyer = f.buyer()
    f.address(buyer, *URUMQI)
    client.force_login(buyer)
    r = client.get(f"/p/{item.pk}/")
    assert r.status_code == 200
    assert 'id="delivery-refusal"' in r.text
    assert "“大号冰箱”不支持配送到偏远地区" in r.text
    assert 'id="delivery-promise"' not in r.text


def test_the_delivery_offer_follows_the_chosen_sku_in_the_htmx_preview(client):
    item = baoyou_product()
    buyer = f.buyer()
    f.address(buyer, *URUMQI)
    client.force_login(buyer)
    r = client.post(f"/p/{item.pk}/preview/", {"sku_id": item.skus.first().pk}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert 'id="delivery" class="delivery" aria-live="polite" hx-swap-oob="true"' in r.text
    assert "西安市中转仓" in r.text


def test_anonymous_visitors_and_buyers_without_an_address_are_asked_for_a_region_or_an_address(client):
    item = f.product()
    r = client.get(f"/p/{item.pk}/")
    assert "选择配送地区，查看运费和预计送达时间" in r.text
    assert 'name="dest_province"' in r.text and "登录</a>后按您的收货地址计算" in r.text
    assert 'id="delivery-promise"' not in r.text
    client.force_login(f.buyer())
    r = client.get(f"/p/{item.pk}/")
    assert 'name="dest_province"' in r.text and "添加收货地址</a>" in r.text
    assert "/addresses/new/?next=" in r.text


def test_a_visitor_who_picks_a_province_and_city_sees_the_city_the_fee_and_the_promise(client):
    item = baoyou_product()
    r = client.post(
        f"/p/{item.pk}/preview/", {"sku_id": item.skus.first().pk, "dest_province": "650000", "dest_city": "650100"}
    )
    assert r.status_code == 200
    block = re.search(r'<div id="delivery".*?\n</div>', r.text, re.S).group(0)
    assert "配送至 新疆维吾尔自治区 乌鲁木齐市" in block
    assert "西安市中转仓" in block and 'id="delivery-promise"' in block
    assert '<option value="650100" selected>' in block


def test_a_buyer_can_quote_another_of_their_addresses_or_any_region(client):
    item = baoyou_product(remote_deliverable=False, title="大号冰箱")
    buyer = f.buyer()
    f.address(buyer)  # Hangzhou, the default
    urumqi = f.address(buyer, *URUMQI)
    client.force_login(buyer)
    r = client.get(f"/p/{item.pk}/")
    assert "配送至 浙江省 杭州市" in r.text and 'id="delivery-refusal"' not in r.text
    assert '<details class="destination">' in r.text  # the default address: the pickers stay folded
    r = client.post(f"/p/{item.pk}/preview/", {"sku_id": item.skus.first().pk, "dest_address": urumqi.pk})
    assert "无法配送至 新疆维吾尔自治区 乌鲁木齐市" in r.text and "不支持配送到偏远地区" in r.text
    assert '<details class="destination" open>' in r.text
    r = client.post(
        f"/p/{item.pk}/preview/", {"sku_id": item.skus.first().pk, "dest_address": "", "dest_province": "110000"}
    )
    assert "配送至 北京市" in r.text and 'id="delivery-promise"' in r.text
    r = client.post(
        f"/p/{item.pk}/preview/", {"sku_id": item.skus.first().pk, "dest_address": "", "dest_province": "99"}
    )
    assert r.status_code == 200 and "选择配送地区" in r.text  # garbage is no destination, never a 500


def test_product_page_queries_stay_bounded_with_a_delivery_offer(client, django_assert_max_num_queries):
    item = baoyou_product()
    buyer = f.buyer()
    f.address(buyer, *URUMQI)
    client.force_login(buyer)
    # a fixed count, whatever the product: the spec matrix adds two (its values, its dimensions), photos one,
    # the price badges (买贵必赔) one
    with django_assert_max_num_queries(20):
        assert client.get(f"/p/{item.pk}/").status_code == 200


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
    r = client.post(
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
    r = client.post(f"/p/{item.pk}/preview/", {"sku_id": "x", "quantity": "-3"})
    assert r.status_code == 400 and 'data-code="invalid_quantity"' in r.text


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
    r = client.post(f"/p/{item.pk}/", {"sku_id": item.skus.first().pk, "quantity": "1", "then": "buy"})
    assert r.status_code == 403 and "权限" in r.text


def test_inactive_or_unknown_products_are_not_found(client):
    hidden = f.product(is_active=False)
    assert client.get(f"/p/{hidden.pk}/").status_code == 404
    assert client.get("/p/999999/").status_code == 404


def test_the_destination_reads_city_first_in_english(client):
    item = baoyou_product()
    client.cookies["django_language"] = "en"
    r = client.post(
        f"/p/{item.pk}/preview/", {"sku_id": item.skus.first().pk, "dest_province": "650000", "dest_city": "650100"}
    )
    assert "Delivery to Ürümqi, Xinjiang" in r.text
