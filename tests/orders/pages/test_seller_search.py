"""The seller's order search (number, buyer, product, dates, state) and the CSV export of exactly what it
finds: streamed, with a BOM for Excel, formulas defused, money in yuan, never another shop's orders."""

import csv
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from anxin.core import clock
from anxin.orders.models import Order
from tests import factories as f

pytestmark = pytest.mark.django_db


def order_of(shop, *, title="商品", buyer=None, price_fen=10000):
    sku = f.product(shop, title=title, price_fen=price_fen).skus.first()
    return f.paid_checkout(buyer, lines=[(sku, 2)]).orders.get()


@pytest.fixture
def shop_orders(client):
    shop = f.merchant()
    hanmeimei = f.buyer(username="hanmeimei")
    boots = order_of(shop, title="定制足球鞋", buyer=hanmeimei)
    clock.advance(timedelta(days=3))
    perfume = order_of(shop, title="香水礼盒")
    foreign = order_of(f.merchant(), title="定制足球鞋", buyer=hanmeimei)
    client.force_login(f.staff(shop))
    return boots, perfume, foreign


def numbers(response) -> set[str]:
    return {number for number in Order.objects.values_list("number", flat=True) if number in response.text}


def test_the_search_finds_by_product_buyer_number_and_never_another_shops(client, shop_orders):
    boots, perfume, foreign = shop_orders
    assert numbers(client.get("/seller/orders/", {"product": "足球"})) == {boots.number}
    assert numbers(client.get("/seller/orders/", {"buyer": "HANMEI"})) == {boots.number}
    assert numbers(client.get("/seller/orders/", {"buyer": "李雷"})) == {boots.number, perfume.number}
    assert numbers(client.get("/seller/orders/", {"number": perfume.number[-6:]})) == {perfume.number}
    assert numbers(client.get("/seller/orders/", {"state": "shipped"})) == set()
    assert foreign.number not in client.get("/seller/orders/").text


def test_the_search_by_dates_counts_local_days_inclusive(client, shop_orders):
    boots, perfume, _ = shop_orders
    first_day = f"{timezone.localtime(boots.created_at):%Y-%m-%d}"
    r = client.get("/seller/orders/", {"placed_from": first_day, "placed_to": first_day})
    assert numbers(r) == {boots.number}
    assert "找到 1 个订单" in r.text
    later = client.get("/seller/orders/", {"placed_from": f"{timezone.localtime(perfume.created_at):%Y-%m-%d}"})
    assert numbers(later) == {perfume.number}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"placed_from": "2026-12-05", "placed_to": "2026-12-01"}, "结束日期不能早于开始日期"),
        ({"placed_from": "1999-01-01"}, "2020 年到 2100 年"),
        ({"placed_to": "not a day"}, "日期"),
        ({"buyer": "x" * 41}, "41"),
        ({"state": "lost"}, "lost"),
    ],
)
def test_a_search_that_is_no_search_is_answered_with_its_message_and_no_orders(client, shop_orders, query, message):
    r = client.get("/seller/orders/", query)
    assert r.status_code == 400
    assert message in r.text
    assert numbers(r) == set()
    assert client.get("/seller/orders/export.csv", query).status_code == 400


def rows_of(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_export_streams_exactly_the_filtered_orders_of_the_shop_in_yuan(client, shop_orders):
    boots, perfume, foreign = shop_orders
    r = client.get("/seller/orders/export.csv", {"product": "香水"})
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["Content-Disposition"].startswith('attachment; filename="orders-')
    header, *rows = rows_of(r)
    assert header[0] == "订单号" and "订单金额（元）" in header
    assert [row[0] for row in rows] == [perfume.number]
    row = dict(zip(header, rows[0], strict=True))
    assert (row["商品"], row["件数"], row["商品金额（元）"]) == ("香水礼盒 × 2", "2", "200.00")
    everything = rows_of(client.get("/seller/orders/export.csv"))
    assert {row[0] for row in everything[1:]} == {boots.number, perfume.number}


def test_cells_that_look_like_formulas_are_kept_as_text(client):
    shop = f.merchant()
    order_of(shop, title='=HYPERLINK("http://evil")', buyer=f.buyer(username="@buyer"))
    client.force_login(f.staff(shop))
    header, row = rows_of(client.get("/seller/orders/export.csv"))
    cells = dict(zip(header, row, strict=True))
    assert cells["商品"].startswith("'=HYPERLINK")
    assert cells["买家"] == "'@buyer"
    assert cells["订单金额（元）"] == "200.00"


def test_the_export_is_for_merchant_staff_only(client):
    assert client.get("/seller/orders/export.csv").status_code == 302
    client.force_login(f.buyer())
    assert client.get("/seller/orders/export.csv").status_code == 404
