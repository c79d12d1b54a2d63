"""The seller center's catalog: products, SKUs priced in yuan, stock and personalization questions."""

import pytest

from anxin.catalog import services as catalog
from anxin.catalog.models import SKU, PersonalizationQuestion, Product
from anxin.core.errors import AnxinError
from anxin.core.models import Event
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_product_form_sets_remote_deliverable(client):
    item = f.product(f.merchant())
    client.force_login(f.staff(item.merchant))
    page = client.get(f"/seller/products/{item.pk}/")
    assert 'name="remote_deliverable"' in page.text and "平台默认运费" in page.text
    data = {"title": item.title, "category": item.category_id, "no_reason_return": "yes", "handling_hours": "48"}
    assert client.post(f"/seller/products/{item.pk}/", {**data, "is_active": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.remote_deliverable is False
    client.post(f"/seller/products/{item.pk}/", {**data, "remote_deliverable": "on"})
    item.refresh_from_db()
    assert item.remote_deliverable is True


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


def test_a_refused_stock_leaves_the_sku_price_unchanged_too():
    """The SKU form saves through one service call, so its two changes are one transaction."""
    shop = f.merchant()
    sku = f.product(shop, price_fen=1000, stock=5).skus.first()
    events_before = Event.objects.count()
    with pytest.raises(AnxinError) as refused:
        catalog.save_sku(f.staff(shop), sku.pk, {"price_fen": 2000}, stock=-1)
    assert refused.value.code == "invalid_stock"
    sku.refresh_from_db()
    assert sku.price_fen == 1000 and sku.stock.available == 5
    assert Event.objects.count() == events_before
