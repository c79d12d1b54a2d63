"""The page helpers every app's pages share: the role and NotFound decorators, a safe `next`, the yuan field."""

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from anxin.core.errors import AnxinError, NotFound
from anxin.core.pages import (
    FIGURES_MAX_DAYS,
    MAX_PAGE,
    Days,
    DaysForm,
    YuanField,
    apply_error,
    bar_chart,
    chosen_days,
    int_or_raw,
    not_found_is_404,
    page_number,
    role_required,
    safe_next,
    shown_time,
    yuan_or_error,
    yuan_to_fen,
)
from tests import factories as f


@not_found_is_404
def finds_nothing(request):
    raise NotFound("找不到这个订单。")


@not_found_is_404
def refuses(request):
    raise AnxinError("不行", code="nope")


@role_required("ops")
def ops_page(request, order_id):
    if order_id == 0:
        raise NotFound("找不到这个订单。")
    return HttpResponse(f"order {order_id}")


def request_by(user=None, path="/x/"):
    request = RequestFactory().get(path)
    request.user = user or type("Anonymous", (), {"is_authenticated": False})()
    return request


def test_a_services_not_found_is_the_404_page_and_other_errors_go_on():
    with pytest.raises(Http404):
        finds_nothing(request_by())
    with pytest.raises(AnxinError) as refused:
        refuses(request_by())
    assert refused.value.code == "nope"


@pytest.mark.django_db
def test_role_required_sends_anonymous_people_to_log_in_and_hides_the_page_from_other_roles():
    response = ops_page(request_by(path="/ops/orders/3/"), order_id=3)
    assert response.status_code == 302 and response.url.startswith("/login/") and "next=/ops/orders/3/" in response.url
    with pytest.raises(Http404):
        ops_page(request_by(f.buyer()), order_id=3)
    assert ops_page(request_by(f.ops()), order_id=3).content == b"order 3"
    with pytest.raises(Http404):
        ops_page(request_by(f.ops()), order_id=0)


def test_safe_next_keeps_this_sites_paths_only():
    factory = RequestFactory()
    assert safe_next(factory.get("/", {"next": "/cart/"}), "/home/") == "/cart/"
    assert safe_next(factory.get("/", {"next": "https://evil.example/"}), "/home/") == "/home/"
    assert safe_next(factory.post("/", {"next": "//evil.example/"}), "/home/") == "/home/"
    assert safe_next(factory.get("/"), "/home/") == "/home/"


def test_int_or_raw_leaves_text_that_is_not_a_number_for_the_service_to_name():
    assert int_or_raw(" 12 ") == 12
    assert int_or_raw("12a") == "12a" and int_or_raw(None) is None


@pytest.mark.parametrize(
    ("typed", "fen"), [("12.3", 1230), ("¥12.30", 1230), ("1,299", 129900), ("0.05", 5), ("-1", -100), ("  ", None)]
)
def test_yuan_is_read_into_fen_the_same_way_everywhere(typed, fen):
    assert yuan_to_fen(typed) == fen


@pytest.mark.parametrize("typed", ["三块", "12.345", "1e3", "9" * 21])
def test_text_that_is_not_money_is_refused_with_an_example(typed):
    with pytest.raises(forms.ValidationError) as refused:
        yuan_to_fen(typed)
    assert "请输入金额" in refused.value.messages[0]


def test_a_limit_is_named_in_yuan():
    with pytest.raises(forms.ValidationError) as refused:
        yuan_to_fen("100001", limit_fen=10_000_000)
    assert refused.value.messages[0] == "金额不能超过 ¥100,000。"
    errors: dict[str, str] = {}
    assert yuan_or_error("8", errors, "fee", limit_fen=10_000_000) == 800 and errors == {}
    assert yuan_or_error("x", errors, "fee") is None and "请输入金额" in errors["fee"]


class PriceForm(forms.Form):
    price = YuanField(required=False)
    fee = YuanField(limit_fen=1000)


def test_the_yuan_field_cleans_into_fen_and_puts_its_errors_beside_the_field():
    form = PriceForm({"price": "¥12.80", "fee": "5"})
    assert form.is_valid() and form.cleaned_data == {"price": 1280, "fee": 500}
    form = PriceForm({"price": "", "fee": "11"})
    assert not form.is_valid()
    assert "price" not in form.errors and form.errors["fee"] == ["金额不能超过 ¥10。"]
    form = PriceForm({"price": "abc", "fee": ""})
    assert not form.is_valid() and "请输入金额" in form.errors["price"][0] and "fee" in form.errors


def test_apply_error_puts_each_field_message_beside_its_field_and_the_rest_on_top():
    form = PriceForm({"price": "1", "fee": "1"})
    form.is_valid()
    apply_error(form, AnxinError("价格不对", fields={"price_fen": "太低", "other": "别的"}), {"price_fen": "price"})
    assert form.errors["price"] == ["太低"] and form.non_field_errors() == ["别的"]
    form = PriceForm({"price": "1", "fee": "1"})
    form.is_valid()
    apply_error(form, AnxinError("不行"))
    assert form.non_field_errors() == ["不行"]


@pytest.mark.parametrize(
    ("raw", "number"),
    [(None, 1), ("", 1), ("3", 3), ("0", 1), ("abc", 1), ("9223372036854775808", 1), ("9" * 5000, 1), ("١٢", 1),
     ("10000", MAX_PAGE), ("20000", MAX_PAGE)],
)  # fmt: skip
def test_a_page_number_is_bounded_and_anything_else_is_the_first_page(raw, number):
    assert page_number(raw) == number


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["9223372036854775808", "-1", "1e309", "9" * 5000])
def test_the_storefront_answers_any_page_number(page):
    assert f.Client().get(f"/?page={page}").status_code == 200


def test_a_time_past_the_calendars_edge_in_local_time_is_shown_as_stored():
    edge = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    assert shown_time(edge) == datetime(9999, 12, 31, 23, 0)
    assert shown_time(datetime(2026, 1, 1, 0, 0, tzinfo=UTC)) == datetime(2026, 1, 1, 8, 0)  # Beijing
    assert shown_time(None) is None


TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        ({}, date(2026, 11, 5), TODAY),  # the last 30 days up to today
        ({"end": "2026-11-30"}, date(2026, 11, 1), date(2026, 11, 30)),
        ({"start": "2026-11-28", "end": "2026-11-29"}, date(2026, 11, 28), date(2026, 11, 29)),
        ({"start": "2026-11-29", "end": "2026-11-28"}, date(2026, 11, 5), TODAY),  # wrong: the default, with errors
    ],
)
def test_the_figures_days_are_both_ends_included_with_a_default(query, first, last):
    assert chosen_days(DaysForm(query), TODAY) == Days(first, last)


def test_a_range_longer_than_the_limit_is_refused_beside_the_end_field():
    form = DaysForm({"start": "2025-01-01", "end": "2026-12-01"})
    assert not form.is_valid() and str(FIGURES_MAX_DAYS) in form.errors["end"][0]


def test_days_run_from_beijing_midnight_to_the_midnight_after_the_last():
    days = Days(date(2026, 11, 30), date(2026, 12, 1))
    assert days.since == datetime(2026, 11, 29, 16, 0, tzinfo=UTC)
    assert days.until == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert days.dates() == [date(2026, 11, 30), date(2026, 12, 1)]


def test_a_bar_chart_draws_each_row_in_proportion_to_the_largest():
    chart = bar_chart("paid", "赔付", [("甲", 200, "¥2.00"), ("乙", 50, "¥0.50"), ("丙", 0, "¥0.00")], "无")
    assert [(bar["label"], bar["pct"], bar["text"]) for bar in chart["bars"]] == [
        ("甲", 100, "¥2.00"),
        ("乙", 25, "¥0.50"),
        ("丙", 0, "¥0.00"),
    ]
    assert chart["height"] == 3 * chart["row_px"] + 8 and chart["empty"] == "无"
