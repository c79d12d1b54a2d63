"""The spec matrix through the seller API: read it, replace it whole, and clear 4xx answers that change nothing."""

import json

import pytest

from anxin.catalog.models import SKU, SpecDimension
from tests import factories as f

pytestmark = pytest.mark.django_db

MATRIX = {
    "dimensions": [
        {"name": "颜色", "name_en": "Colour", "values": [{"name": "白蓝", "name_en": "White-blue"}, {"name": "黑"}]},
        {"name": "尺码", "values": [{"name": "37"}, {"name": "38"}]},
    ],
    "skus": [
        {"values": ["白蓝", "37"], "price_fen": 19900, "stock": 3, "code": "WB37"},
        {"values": ["白蓝", "38"], "price_fen": 19900, "stock": 0, "code": "WB38"},
        {"values": ["黑", "37"], "price_fen": 20900, "stock": 8, "code": "B37", "weight_g": 800},
        {"values": ["黑", "38"], "price_fen": 20900, "stock": 2, "code": "B38", "is_active": False},
    ],
}


def _put(client, product_id: int, body):
    return client.put(f"/api/seller/products/{product_id}/specs", json.dumps(body), content_type="application/json")


@pytest.fixture
def owner():
    staff = f.staff()
    return f.api_client(staff), f.product(staff.merchant)


def test_the_seller_replaces_and_reads_back_the_matrix(owner):
    client, product = owner
    response = _put(client, product.pk, MATRIX)
    assert response.status_code == 200, response.content
    body = client.get(f"/api/seller/products/{product.pk}/specs").json()
    assert body == response.json()
    colour = body["dimensions"][0]
    assert (colour["name"], colour["name_en"]) == ("颜色", "Colour")
    assert [(v["name"], v["name_en"]) for v in colour["values"]] == [("白蓝", "White-blue"), ("黑", "")]
    rows = [{key: row[key] for key in ("values", "code", "price_fen", "stock", "is_active")} for row in body["skus"]]
    assert rows == [
        {"values": ["白蓝", "37"], "code": "WB37", "price_fen": 19900, "stock": 3, "is_active": True},
        {"values": ["白蓝", "38"], "code": "WB38", "price_fen": 19900, "stock": 0, "is_active": True},
        {"values": ["黑", "37"], "code": "B37", "price_fen": 20900, "stock": 8, "is_active": True},
        {"values": ["黑", "38"], "code": "B38", "price_fen": 20900, "stock": 2, "is_active": False},
    ]
    public = f.Client().get(f"/api/products/{product.pk}").json()
    assert {s["code"]: s["spec_en"] for s in public["skus"]}["WB37"] == {"Colour": "White-blue", "尺码": "37"}
    assert public["dimensions"] == [{k: d[k] for k in ("id", "name", "name_en", "values")} for d in body["dimensions"]]
    ids = {v["name"]: v["id"] for d in public["dimensions"] for v in d["values"]}
    assert {s["code"]: s["value_ids"] for s in public["skus"]}["B37"] == [ids["黑"], ids["37"]]
    assert "B38" not in {s["code"] for s in public["skus"]}  # not on sale


@pytest.mark.parametrize(
    "body,status,field",
    [
        ({**MATRIX, "skus": [{**MATRIX["skus"][0], "price_fen": "199"}]}, 422, "price_fen"),
        ({**MATRIX, "dimensions": []}, 422, "dimensions"),
        ({**MATRIX, "skus": MATRIX["skus"] + [MATRIX["skus"][0]]}, 400, "skus.4.values"),
        ({**MATRIX, "skus": [{**MATRIX["skus"][0], "values": ["红", "37"]}]}, 400, "skus.0.values"),
        ({**MATRIX, "skus": [{**MATRIX["skus"][0], "stock": -1}]}, 422, "stock"),
    ],
)
def test_a_bad_matrix_is_answered_with_its_field_and_changes_nothing(owner, body, status, field):
    client, product = owner
    before = list(SKU.objects.filter(product=product).values())
    response = _put(client, product.pk, body)
    assert response.status_code == status, response.content
    answer = response.json()
    assert field in json.dumps(answer, ensure_ascii=False)
    if status == 400:
        assert answer["code"] == "invalid_spec_matrix" and field in answer["fields"]
    assert list(SKU.objects.filter(product=product).values()) == before
    assert not SpecDimension.objects.filter(product=product).exists()


def test_another_shops_matrix_is_not_found(owner):
    _client, product = owner
    rival = f.api_client(f.staff())
    assert rival.get(f"/api/seller/products/{product.pk}/specs").status_code == 404
    assert _put(rival, product.pk, MATRIX).status_code == 404
    assert not SpecDimension.objects.filter(product=product).exists()
