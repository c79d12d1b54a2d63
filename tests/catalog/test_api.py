"""Browsing (public) and managing one's own products (merchant staff) through the API."""

import pytest

from anxin.catalog.models import Product
from anxin.core.models import Event
from anxin.inventory.models import Stock
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_search_finds_products_by_chinese_or_english_title_and_brand():
    f.product(title="定制足球鞋", title_en="Custom football boots", brand="飞驰")
    f.product(title="毛绒小熊")
    client = f.Client()
    assert [p["title"] for p in client.get("/api/products?q=足球").json()["items"]] == ["定制足球鞋"]
    assert [p["title"] for p in client.get("/api/products?q=football").json()["items"]] == ["定制足球鞋"]
    assert [p["title"] for p in client.get("/api/products?q=飞驰").json()["items"]] == ["定制足球鞋"]
    assert client.get("/api/products").json()["count"] == 2


def test_product_lists_are_paginated():
    shop = f.merchant()
    for _ in range(5):
        f.product(shop)
    page = f.Client().get("/api/products?limit=2&offset=2").json()
    assert page["count"] == 5
    assert len(page["items"]) == 2


def test_a_product_shows_its_skus_stock_and_questions():
    item = f.product(stock=7)
    f.text_question(item, label="印字", max_chars=12)
    body = f.Client().get(f"/api/products/{item.pk}").json()
    assert body["skus"][0]["available"] == 7
    assert body["questions"][0]["max_chars"] == 12


def test_an_inactive_product_is_not_found():
    item = f.product(is_active=False)
    assert f.Client().get(f"/api/products/{item.pk}").status_code == 404


def test_a_merchant_creates_a_product_with_a_sku_stock_and_questions():
    staff = f.staff()
    client = f.api_client(staff)
    category = f.category()
    created = f.post_json(client, "/api/seller/products", {"title": "香水", "category_id": category.pk})
    assert created.status_code == 201, created.content
    product_id = created.json()["id"]
    sku = f.post_json(
        client,
        f"/api/seller/products/{product_id}/skus",
        {"code": "P-50", "spec": {"容量": "50ml"}, "price_fen": 29900, "weight_g": 300, "stock": 20},
    )
    assert sku.status_code == 201, sku.content
    assert Stock.objects.get(sku_id=sku.json()["id"]).available == 20
    questions = [
        {"kind": "choice", "label": "香调", "min_select": 3, "max_select": 3,
         "options": [{"label": n, "price_delta_fen": 0} for n in "ABCDEFGHIJKL"]},
        {"kind": "text", "label": "留言", "required": False, "max_chars": 30},
    ]  # fmt: skip
    response = client.put(f"/api/seller/products/{product_id}/questions", questions, content_type="application/json")
    assert response.status_code == 200, response.content
    assert [q["label"] for q in response.json()] == ["香调", "留言"]
    assert len(response.json()[0]["options"]) == 12
    assert Product.objects.get(pk=product_id).merchant_id == staff.merchant_id


def test_more_than_five_questions_are_refused_and_nothing_changes():
    staff = f.staff()
    item = f.product(staff.merchant)
    f.text_question(item)
    questions = [{"kind": "text", "label": f"q{i}"} for i in range(6)]
    response = f.api_client(staff).put(
        f"/api/seller/products/{item.pk}/questions", questions, content_type="application/json"
    )
    assert response.status_code == 400
    assert item.questions.count() == 1


def test_a_price_change_is_recorded():
    staff = f.staff()
    item = f.product(staff.merchant, price_fen=1000)
    sku = item.skus.first()
    response = f.api_client(staff).patch(
        f"/api/seller/skus/{sku.pk}", '{"price_fen": 900}', content_type="application/json"
    )
    assert response.status_code == 200
    event = Event.objects.get(kind="sku.price_changed")
    assert event.data == {"before": 1000, "after": 900}


def test_stock_is_set_by_the_merchant():
    staff = f.staff()
    sku = f.product(staff.merchant, stock=1).skus.first()
    response = f.api_client(staff).put(
        f"/api/seller/skus/{sku.pk}/stock", '{"available": 40}', content_type="application/json"
    )
    assert response.json()["available"] == 40
    bad = f.api_client(staff).put(
        f"/api/seller/skus/{sku.pk}/stock", '{"available": -1}', content_type="application/json"
    )
    assert bad.status_code == 422
    assert Stock.objects.get(sku=sku).available == 40


def test_a_merchant_can_keep_a_product_from_remote_regions():
    staff = f.staff()
    item = f.product(staff.merchant)
    response = f.api_client(staff).patch(
        f"/api/seller/products/{item.pk}", '{"remote_deliverable": false}', content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["remote_deliverable"] is False
    item.refresh_from_db()
    assert item.remote_deliverable is False
