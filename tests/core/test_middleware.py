"""No control character reaches a view, from a query string, a form or a JSON body; oversized bodies get 413."""

import json

import pytest

from anxin.accounts.models import Address, User
from anxin.core.middleware import has_forbidden_control, json_field_with_control
from tests import factories as f
from tests.orders.helpers import assert_refused, row_counts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/?q=%00", "/api/products?q=%00", "/api/products?category=a%01b", "/ops/lookup/?q=%00"]
)
def test_a_nul_in_a_query_string_is_a_400_naming_the_parameter(url):
    response = f.Client().get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        body = response.json()
        assert body["code"] == "control_characters"
        assert set(body["fields"]) == {"q"} or set(body["fields"]) == {"category"}
    else:
        assert "控制字符" in response.content.decode()


def test_a_nul_in_a_json_body_is_refused_and_nothing_is_written():
    buyer = f.buyer()
    client = f.api_client(buyer)
    payload = {"recipient": "a\u0000b", "phone": "13800000000", "province_code": "330000",
               "city_code": "330100", "county_code": "330106", "street": "文三路 1 号"}  # fmt: skip
    response = f.post_json(client, "/api/addresses", payload)
    assert response.status_code == 400
    assert response.json()["code"] == "control_characters"
    assert response.json()["fields"] == {"recipient": "不能包含控制字符。"}
    assert Address.objects.count() == 0


def test_a_nul_in_a_login_name_is_refused_before_the_database_sees_it():
    response = f.post_json(f.Client(), "/api/auth/login", {"username": "bu\u0000yer", "password": "x"})
    assert response.status_code == 400 and response.json()["code"] == "control_characters"


def test_a_form_field_may_span_lines_but_holds_no_nul():
    before = User.objects.count()
    response = f.Client().post("/signup/", {"username": "new\x00one", "password1": "p", "password2": "p"})
    assert response.status_code == 400
    assert User.objects.count() == before


def test_an_escaped_backslash_before_u0000_is_text_not_a_control_character():
    assert json_field_with_control(json.dumps({"note": "C:\\u0000dir"}).encode()) is None
    assert json_field_with_control(json.dumps({"a": [{"b": "x\x07"}]}).encode()) == "a.0.b"
    assert json_field_with_control(json.dumps({"note": "line 1\nline 2\tend"}).encode()) is None


def test_line_breaks_are_allowed_only_where_text_may_span_lines():
    assert not has_forbidden_control("第一行\r\n第二行", allow_line_breaks=True)
    assert has_forbidden_control("第一行\n第二行", allow_line_breaks=False)
    assert has_forbidden_control("\x85", allow_line_breaks=True)  # C1 next-line


def test_a_body_over_the_limit_is_a_json_413_on_the_api(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = f.Client().post("/api/auth/login", data="x" * 2000, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_multipart_body_without_a_boundary_is_a_json_400_on_the_api():
    response = f.Client().post("/api/logistics/scans/import", data=b"x", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"


def test_every_answer_carries_the_security_headers():
    for response in (f.Client().get("/"), f.Client().get("/api/health")):
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_page_template_holds_an_inline_script_or_event_handler():
    """The policy refuses inline script, so a template with one would break in the browser."""
    import re
    from pathlib import Path

    import anxin

    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=\"", re.I)
    offenders = [
        str(path)
        for path in Path(anxin.__file__).parent.glob("*/templates/**/*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", "application/json-patch"]
)
def test_an_api_body_that_is_not_labelled_json_is_a_json_415_and_writes_nothing(content_type):
    buyer = f.buyer()
    sku = f.product(stock=5).skus.first()
    client = f.api_client(buyer)
    before = row_counts()
    body = json.dumps({"sku_id": sku.pk, "quantity": 1})
    response = client.post("/api/cart/lines", body, content_type=content_type)
    assert_refused(response, 415, "unsupported_media_type")
    assert row_counts() == before


def test_a_json_body_with_a_charset_and_a_post_without_a_body_still_pass():
    buyer = f.buyer()
    sku = f.product(stock=5).skus.first()
    client = f.api_client(buyer)
    body = json.dumps({"sku_id": sku.pk, "quantity": 1})
    assert client.post("/api/cart/lines", body, content_type="application/json; charset=utf-8").status_code == 201
    assert client.generic("POST", "/api/auth/logout").status_code == 204  # no body, no label


def test_pages_take_form_posts_as_before(client):
    buyer = f.buyer()
    response = client.post("/login/", {"username": buyer.username, "password": f.PASSWORD})
    assert response.status_code == 302
