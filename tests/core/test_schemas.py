"""The API's input policies (`core.schemas`): bounded pages, strict numbers, aware times, for every endpoint."""

import json
import typing

import pytest

from anxin.api import api
from anxin.core.schemas import OFFSET_MAX, PAGE_LIMIT_MAX, Input
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"  # one past PostgreSQL's bigint


def _operations():
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                yield path, operation


def _body_types(operation) -> list[type]:
    """The schema classes an operation reads its JSON body into (a list body counts by its item)."""
    found = []
    for model in operation.models:
        if getattr(model, "__ninja_param_source__", None) != "body":
            continue
        for field in model.model_fields.values():
            annotation = field.annotation
            found.extend(typing.get_args(annotation) if typing.get_origin(annotation) is list else [annotation])
    return found


def test_every_json_body_is_read_by_a_strict_input_schema():
    bodies = [(path, kind) for path, operation in _operations() for kind in _body_types(operation)]
    assert len(bodies) > 15  # the check sees the API's bodies at all
    loose = [(path, kind.__name__) for path, kind in bodies if not issubclass(kind, Input)]
    assert loose == []


def test_every_list_of_the_api_takes_bounded_offset_and_limit():
    schema = api.get_openapi_schema()
    paged = []
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            reply = operation["responses"].get(200, {}).get("content", {}).get("application/json", {})
            if not reply.get("schema", {}).get("$ref", "").startswith("#/components/schemas/Paged"):
                continue
            params = {p["name"]: p["schema"] for p in operation.get("parameters", [])}
            assert (params["offset"]["minimum"], params["offset"]["maximum"]) == (0, OFFSET_MAX), path
            assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, PAGE_LIMIT_MAX), path
            paged.append(path)
    assert {"/api/products", "/api/addresses", "/api/orders", "/api/seller/orders"} <= set(paged)
    assert "/api/seller/production-list" in paged and "/api/seller/products" in paged


@pytest.mark.parametrize("query", [f"offset={HUGE}", f"limit={HUGE}", "offset=-1", "limit=0", "limit=101"])
def test_an_offset_or_limit_out_of_bounds_is_a_422_naming_it(query):
    response = f.Client().get(f"/api/products?{query}")
    body = assert_refused(response, 422, "invalid")
    assert query.split("=")[0] in body["fields"]


def test_the_largest_allowed_page_answers_an_empty_list():
    f.product()
    page = f.Client().get(f"/api/products?offset={OFFSET_MAX}&limit={PAGE_LIMIT_MAX}").json()
    assert (page["count"], page["items"]) == (1, [])


@pytest.mark.parametrize("url", ["/api/addresses", "/api/orders", "/api/seller/orders", "/api/seller/production-list"])
def test_private_lists_refuse_a_huge_offset_too(url):
    who = f.staff() if "seller" in url else f.buyer()
    assert_refused(f.api_client(who).get(f"{url}?offset={HUGE}"), 422, "invalid")


@pytest.mark.parametrize("quantity", ["3", True, 3.0])
def test_a_quantity_must_be_a_json_integer(quantity):
    buyer = f.buyer()
    sku, client = f.product(stock=5).skus.first(), f.api_client(buyer)
    before = row_counts()
    body = assert_refused(
        f.post_json(client, "/api/cart/lines", {"sku_id": sku.pk, "quantity": quantity}), 422, "invalid"
    )
    assert "quantity" in body["fields"]
    assert row_counts() == before


def test_a_boolean_must_be_a_json_boolean():
    buyer = f.buyer()
    body = {"recipient": "李雷", "phone": "13800000000", "province_code": "330000", "city_code": "330100"}
    body |= {"county_code": "330106", "street": "文三路 1 号", "is_default": 1}
    client = f.api_client(buyer)
    before = row_counts()
    assert "is_default" in assert_refused(f.post_json(client, "/api/addresses", body), 422, "invalid")["fields"]
    assert row_counts() == before


def test_ids_in_paths_and_numbers_in_query_strings_are_still_read_from_text():
    item = f.product()
    assert f.Client().get(f"/api/products/{item.pk}").status_code == 200
    assert f.Client().get("/api/products?limit=1&offset=0").json()["count"] == 1


def test_an_integer_body_field_takes_a_json_integer():
    buyer = f.buyer()
    sku = f.product(stock=5).skus.first()
    response = f.post_json(f.api_client(buyer), "/api/cart/lines", {"sku_id": sku.pk, "quantity": 2})
    assert response.status_code == 201, response.content
    assert json.loads(response.content)["lines"][0]["quantity"] == 2
