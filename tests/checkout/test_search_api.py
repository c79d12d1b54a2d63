"""The storefront's search in the API: `GET /api/products` (catalog) and `GET /api/search` with its 包邮
filter (here, beside the shipping it needs): typed parameters, pagination, and 4xx for bad values."""

import pytest

from anxin.core import clock
from anxin.shipping.models import FreeRule, ShippingTemplate
from tests import factories as f

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_search_matches_words_sorts_and_filters_as_the_page_does(client):
    shop = f.merchant()
    f.product(shop, title="专业足球鞋", price_fen=30000, brand="Kicks")
    pen = f.product(shop, title="钢笔", price_fen=9900)
    f.text_question(pen)
    f.product(shop, title="儿童球鞋", price_fen=12000)
    assert titles(client.get("/api/search", {"q": "球鞋", "sort": "price_up"})) == ["儿童球鞋", "专业足球鞋"]
    assert titles(client.get("/api/products", {"q": "定制"})) == ["钢笔"]
    assert titles(client.get("/api/search", {"price_min_fen": 10000, "brand": "Kicks"})) == ["专业足球鞋"]
    assert titles(client.get("/api/search", {"personalizable": "true"})) == ["钢笔"]
    hit = client.get("/api/search", {"q": "钢笔"}).json()["items"][0]
    assert (hit["price_from_fen"], hit["personalizable"], hit["sales_30d"]) == (9900, True, 0)


def test_free_to_keeps_the_products_that_ship_free_there(client):
    shop = f.merchant()
    template = ShippingTemplate.objects.create(merchant=shop, name="广东包邮", created_at=clock.now())
    FreeRule.objects.create(template=template, provinces=["44"], kind="always")
    f.product(shop, title="包邮杯", shipping_template=template)
    f.product(shop, title="运费杯")
    assert titles(client.get("/api/search", {"free_to": "440000"})) == ["包邮杯"]
    assert titles(client.get("/api/search", {"free_to": "330000"})) == []


def test_search_is_paginated_in_relevance_order(client):
    shop = f.merchant()
    for i in range(5):
        f.product(shop, title=f"足球鞋{i}")
    page = client.get("/api/search", {"q": "球鞋", "limit": 2, "offset": 4}).json()
    assert page["count"] == 5 and len(page["items"]) == 1


@pytest.mark.parametrize(
    "params,field",
    [
        ({"sort": "cheapest"}, "sort"),
        ({"price_min_fen": "abc"}, "price_min_fen"),
        ({"price_max_fen": -1}, "price_max_fen"),
        ({"q": "杯" * 101}, "q"),
        ({"limit": 1000}, "limit"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(client, params, field):
    r = client.get("/api/search", params)
    assert r.status_code == 422
    assert field in str(r.json()["fields"])


def test_a_minimum_above_the_maximum_or_an_unknown_province_is_400(client):
    f.product(title="杯")
    r = client.get("/api/search", {"price_min_fen": 500, "price_max_fen": 100})
    assert (r.status_code, r.json()["code"]) == (400, "invalid_price_range")
    r = client.get("/api/search", {"free_to": "990000"})
    assert (r.status_code, r.json()["code"]) == (400, "unknown_province")
