"""The seller center: who may enter, dashboard, orders, shipping, production list, products, questions."""

from datetime import timedelta

import pytest

from anxin.catalog.models import SKU, PersonalizationQuestion, Product
from anxin.core import clock
from anxin.orders.models import Order
from tests import factories as f
from tests.web.helpers import paid_order

pytestmark = pytest.mark.django_db


def test_the_seller_center_is_for_merchant_staff_only(client):
    assert client.get("/seller/").status_code == 302
    for user in (f.buyer(), f.ops(), f.courier()):
        client.force_login(user)
        assert client.get("/seller/").status_code == 404
        assert client.get("/seller/production/").status_code == 404
    client.force_login(f.staff())
    assert client.get("/seller/").status_code == 200


def test_dashboard_counts_orders_to_ship_highlights_overdue_ones_and_shows_todays_sales(client):
    shop = f.merchant()
    late = paid_order(shop=shop, price_fen=10000)
    Order.objects.filter(pk=late.pk).update(ship_by=clock.now() - timedelta(hours=1))
    paid_order(shop=shop, price_fen=20000)
    client.force_login(f.staff(shop))
    r = client.get("/seller/")
    assert r.status_code == 200
    assert '<div class="n">2</div>' in r.text  # to ship
    assert "已超时" in r.text and 'class="overdue"' in r.text
    assert "¥300.00" in r.text


def test_another_merchants_order_is_not_found_in_the_seller_center(client):
    order = paid_order(answers_text="李雷")
    client.force_login(f.staff())
    assert client.get(f"/seller/orders/{order.pk}/").status_code == 404
    assert client.get(f"/seller/orders/{order.pk}/packing-slip/").status_code == 404
    r = client.post(f"/seller/orders/{order.pk}/", {"carrier": "顺丰", "tracking_number": "SF1234567890"})
    assert r.status_code == 404
    assert "李雷" not in client.get("/seller/production/").text
    order.refresh_from_db()
    assert order.state == "paid"


def test_order_list_filters_by_state(client):
    shop = f.merchant()
    paid_order(shop=shop)
    unpaid = paid_order(shop=shop, pay=False)
    client.force_login(f.staff(shop))
    r = client.get("/seller/orders/", {"state": "pending_payment"})
    assert r.status_code == 200
    assert unpaid.number in r.text and r.text.count("<tr") == 2


@pytest.mark.parametrize("count", [3, 30])
def test_seller_order_list_queries_do_not_grow_with_orders(client, django_assert_max_num_queries, count):
    shop = f.merchant()
    buyer = f.buyer()
    for i in range(count):
        paid_order(buyer, shop=shop, answers_text=f"名{i}" if i % 2 else "")
    client.force_login(f.staff(shop))
    with django_assert_max_num_queries(8):
        r = client.get("/seller/orders/")
    assert r.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/seller/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/seller/production/").status_code == 200


def test_ship_form_errors_are_shown_in_place_and_keep_what_was_typed(client):
    shop = f.merchant()
    order = paid_order(shop=shop)
    client.force_login(f.staff(shop))
    r = client.post(f"/seller/orders/{order.pk}/", {"carrier": "顺丰", "tracking_number": "x!"})
    assert r.status_code == 400
    assert "运单号须为" in r.text and 'value="顺丰"' in r.text
    order.refresh_from_db()
    assert order.state == "paid"


def test_order_detail_shows_the_personalization_and_ships(client):
    shop = f.merchant()
    order = paid_order(shop=shop, answers_text="韩梅梅")
    client.force_login(f.staff(shop))
    r = client.get(f"/seller/orders/{order.pk}/")
    assert "韩梅梅" in r.text and "确认发货" in r.text
    r = client.post(f"/seller/orders/{order.pk}/", {"carrier": "中通", "tracking_number": "zt-123456"})
    assert r.status_code == 302
    r = client.get(f"/seller/orders/{order.pk}/")
    assert "ZT-123456" in r.text and "商家已发货" in r.text and "确认发货" not in r.text
    assert "韩梅梅" not in client.get("/seller/production/").text


def test_staff_creates_a_product_with_a_sku_priced_in_yuan(client):
    shop = f.merchant()
    category = f.category()
    client.force_login(f.staff(shop))
    r = client.post(
        "/seller/products/new/",
        {"title": "刻字保温杯", "brand": "安心", "category": category.pk, "no_reason_return": "yes",
         "handling_hours": "24", "is_active": "on"},
    )  # fmt: skip
    assert r.status_code == 302
    product = Product.objects.get(title="刻字保温杯")
    assert product.merchant == shop
    r = client.post(
        f"/seller/products/{product.pk}/skus/",
        {"code": "CUP-1", "spec": "颜色: 白; 容量: 500ml", "price": "¥59.90", "stock": "12", "is_active": "on"},
    )
    assert r.status_code == 302
    sku = SKU.objects.get(product=product)
    assert sku.price_fen == 5990 and sku.spec == {"颜色": "白", "容量": "500ml"} and sku.stock.available == 12
    r = client.get("/seller/products/")
    assert "刻字保温杯" in r.text and "¥59.90" in r.text


def test_product_and_sku_errors_are_shown_in_place(client):
    shop = f.merchant()
    client.force_login(f.staff(shop))
    r = client.post(
        "/seller/products/new/", {"title": "", "brand": "安心", "no_reason_return": "yes", "handling_hours": "24"}
    )
    assert r.status_code == 400
    assert "请填写商品标题" in r.text and 'value="安心"' in r.text
    product = f.product(shop)
    r = client.post(f"/seller/products/{product.pk}/skus/", {"code": "X-1", "price": "十块", "stock": "1"})
    assert r.status_code == 400
    assert "请输入金额" in r.text and 'value="X-1"' in r.text


def test_staff_edits_a_sku_price_and_stock(client):
    shop = f.merchant()
    product = f.product(shop, price_fen=1000, stock=1)
    sku = product.skus.first()
    client.force_login(f.staff(shop))
    r = client.get(f"/seller/skus/{sku.pk}/")
    assert 'value="10.00"' in r.text
    r = client.post(
        f"/seller/skus/{sku.pk}/",
        {"code": sku.code, "spec": "颜色: 红", "price": "12.5", "stock": "40", "is_active": "on"},
    )
    assert r.status_code == 302
    sku.refresh_from_db()
    assert sku.price_fen == 1250 and sku.stock.available == 40 and sku.spec == {"颜色": "红"}


def test_another_merchants_product_is_not_found(client):
    product = f.product()
    client.force_login(f.staff())
    assert client.get(f"/seller/products/{product.pk}/").status_code == 404
    assert client.get(f"/seller/products/{product.pk}/questions/").status_code == 404
    assert client.get(f"/seller/skus/{product.skus.first().pk}/").status_code == 404


def test_question_editor_adds_reorders_and_removes_questions(client):
    shop = f.merchant()
    product = f.product(shop)
    client.force_login(f.staff(shop))
    r = client.post(f"/seller/products/{product.pk}/questions/", {"rows": "0", "action": "add_text"})
    assert r.status_code == 200 and "q0_label" in r.text
    r = client.post(
        f"/seller/products/{product.pk}/questions/",
        {
            "rows": "2",
            "action": "save",
            "q0_kind": "text", "q0_label": "印字", "q0_required": "1", "q0_max_chars": "12",
            "q1_kind": "choice", "q1_label": "香调", "q1_required": "1", "q1_min_select": "2", "q1_max_select": "2",
            "q1_options": "玫瑰 | 0\n雪松 | 5.00\n琥珀 | 10",
        },
    )  # fmt: skip
    assert r.status_code == 302
    questions = list(PersonalizationQuestion.objects.filter(product=product).order_by("position"))
    assert [q.label for q in questions] == ["印字", "香调"]
    assert questions[0].max_chars == 12
    assert [(o.label, o.price_delta_fen) for o in questions[1].options.all()] == [
        ("玫瑰", 0),
        ("雪松", 500),
        ("琥珀", 1000),
    ]

    r = client.get(f"/seller/products/{product.pk}/questions/")
    assert "雪松 | 5.00" in r.text
    fields = {
        "rows": "2",
        "q0_kind": "text", "q0_label": "印字", "q0_required": "1", "q0_max_chars": "12",
        "q1_kind": "choice", "q1_label": "香调", "q1_min_select": "1", "q1_max_select": "1", "q1_options": "玫瑰 | 0",
    }  # fmt: skip
    r = client.post(f"/seller/products/{product.pk}/questions/", {**fields, "action": "up:1"})
    assert r.status_code == 200 and "尚未保存" in r.text
    assert r.text.index('value="香调"') < r.text.index('value="印字"')
    r = client.post(f"/seller/products/{product.pk}/questions/", {**fields, "action": "remove:0"})
    assert 'value="印字"' not in r.text
    r = client.post(
        f"/seller/products/{product.pk}/questions/",
        {"rows": "1", "action": "save", "q0_kind": "choice", "q0_label": "香调", "q0_min_select": "1",
         "q0_max_select": "1", "q0_options": "玫瑰 | 0"},
    )  # fmt: skip
    assert r.status_code == 302
    assert list(PersonalizationQuestion.objects.filter(product=product).values_list("label", flat=True)) == ["香调"]


def test_question_editor_shows_errors_beside_each_question_and_saves_nothing(client):
    shop = f.merchant()
    product = f.product(shop)
    f.text_question(product, label="旧问题")
    client.force_login(f.staff(shop))
    r = client.post(
        f"/seller/products/{product.pk}/questions/",
        {"rows": "2", "action": "save",
         "q0_kind": "text", "q0_label": "印字", "q0_max_chars": "500",
         "q1_kind": "choice", "q1_label": "香调", "q1_min_select": "3", "q1_max_select": "3",
         "q1_options": "玫瑰 | abc"},
    )  # fmt: skip
    assert r.status_code == 400
    assert "1 到 100" in r.text and "不是金额" in r.text
    assert 'value="印字"' in r.text
    r = client.post(
        f"/seller/products/{product.pk}/questions/",
        {"rows": "1", "action": "save", "q0_kind": "choice", "q0_label": "香调", "q0_min_select": "3",
         "q0_max_select": "3", "q0_options": "玫瑰 | 1"},
    )  # fmt: skip
    assert r.status_code == 400
    assert "最少/最多选择数不合理" in r.text
    assert list(product.questions.values_list("label", flat=True)) == ["旧问题"]


def test_shipping_an_order_twice_is_refused_with_a_message(client):
    shop = f.merchant()
    order = paid_order(shop=shop)
    client.force_login(f.staff(shop))
    assert (
        client.post(f"/seller/orders/{order.pk}/", {"carrier": "顺丰", "tracking_number": "SF1234567890"}).status_code
        == 302
    )
    r = client.post(f"/seller/orders/{order.pk}/", {"carrier": "顺丰", "tracking_number": "SF1234567890"})
    assert r.status_code == 409
    assert "不能进行这个操作" in r.text
