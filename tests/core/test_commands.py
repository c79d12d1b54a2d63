"""The worker applies due deadlines; the API publishes its OpenAPI description and docs."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from anxin.core import clock
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_worker_once_applies_what_is_due(capsys):
    checkout = f.placed_checkout()
    clock.advance(timedelta(minutes=31))
    call_command("worker", "--once")
    assert "applied 1 deadline" in capsys.readouterr().out
    assert checkout.orders.get().state == "cancelled"


def test_openapi_describes_every_router():
    schema = f.Client().get("/api/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/checkouts",
        "/api/payments/callback",
        "/api/seller/orders",
        "/api/geo/regions",
        "/api/auth/login",
    ):
        assert path in paths


def test_api_docs_page_is_served():
    assert f.Client().get("/api/docs").status_code == 200


def test_health_answers_without_login():
    assert f.Client().get("/api/health").json()["status"] == "ok"


def test_openapi_declares_the_error_answers_of_every_operation():
    schema = f.Client().get("/api/openapi.json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message", "fields"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            assert {"400", "401"} <= declared, (method, path)
            if operation.get("security"):
                assert "403" in declared, (method, path)
            if "{" in path:
                assert "404" in declared, (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert "409" in declared, (method, path)
    checkout = schema["paths"]["/api/checkouts"]["post"]["responses"]
    assert checkout["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
