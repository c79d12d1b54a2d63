"""The seller's ship form (a select of known carriers), the one correction of a tracking number, and the bulk
shipping page with its report per line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anxin.fulfilment.models import Leg
from tests import factories as f
from tests.orders.helpers import row_counts
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def test_the_ship_form_offers_the_known_carriers_and_their_formats(client):
    shop = f.merchant()
    order = paid_order(shop=shop)
    client.force_login(f.staff(shop))
    r = client.get(f"/seller/orders/{order.pk}/")
    assert '<select name="carrier"' in r.text and '<option value="顺丰速运">顺丰速运</option>' in r.text
    assert "SF1234567890123" in r.text


def test_a_number_in_the_wrong_format_is_shown_with_an_example_and_nothing_ships(client):
    shop = f.merchant()
    order = paid_order(shop=shop)
    client.force_login(f.staff(shop))
    r = client.post(f"/seller/orders/{order.pk}/", {"carrier": "圆通速递", "tracking_number": "SF1234567890123"})
    assert r.status_code == 400
    assert "这不是圆通速递的运单号格式，例如 YT1234567890123" in r.text
    order.refresh_from_db()
    assert order.state == "paid"


def test_the_seller_corrects_a_number_once_and_then_the_form_is_gone(client):
    shop = f.merchant()
    order = paid_order(shop=shop)
    client.force_login(f.staff(shop))
    client.post(f"/seller/orders/{order.pk}/", {"carrier": "顺丰速运", "tracking_number": "SF1000000000001"})
    r = client.get(f"/seller/orders/{order.pk}/")
    assert "更正运单号" in r.text
    r = client.post(f"/seller/orders/{order.pk}/", {"section": "tracking_fix", "tracking_number": "YT1"})
    assert r.status_code == 400 and "运单号" in r.text
    assert Leg.objects.get(shipment__order=order).tracking_number == "SF1000000000001"
    r = client.post(f"/seller/orders/{order.pk}/", {"section": "tracking_fix", "tracking_number": "SF1000000000002"})
    assert r.status_code == 302
    r = client.get(f"/seller/orders/{order.pk}/")
    assert "SF1000000000002" in r.text and "原为 SF1000000000001" in r.text
    assert 'name="section" value="tracking_fix"' not in r.text
    before = row_counts()
    r = client.post(f"/seller/orders/{order.pk}/", {"section": "tracking_fix", "tracking_number": "SF1000000000003"})
    assert r.status_code == 409 and "只能更正一次" in r.text
    assert row_counts() == before


def upload(text: str | bytes, name: str = "ship.csv") -> dict:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return {"csv_file": SimpleUploadedFile(name, data, content_type="text/csv")}


def test_the_bulk_page_ships_a_file_and_reports_each_line(client):
    shop = f.merchant()
    order, other = paid_order(shop=shop), paid_order(shop=shop)
    client.force_login(f.staff(shop))
    assert client.get("/seller/orders/bulk-ship/").status_code == 200
    text = f"\ufeff订单号,快递公司,运单号\n{order.number},顺丰,SF3000000000001\n{other.number},SF,781234567890\n"
    r = client.post("/seller/orders/bulk-ship/", upload(text))
    assert r.status_code == 200
    assert "已发货 1 单 · 之前已发货 0 单 · 未发货 1 单" in r.text
    assert "这不是顺丰速运的运单号格式" in r.text
    r = client.post("/seller/orders/bulk-ship/", upload(text))
    assert "已发货 0 单 · 之前已发货 1 单 · 未发货 1 单" in r.text
    order.refresh_from_db(), other.refresh_from_db()
    assert (order.state, other.state) == ("shipped", "paid")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("订单号,快递公司,运单号\n".encode("utf-16"), "NUL"),
        ("订单号,快递公司,运单号\n".encode("gbk"), "UTF-8"),
        (b"", "请选择"),
    ],
)
def test_a_file_that_cannot_be_read_is_answered_in_words_and_nothing_ships(client, data, message):
    shop = f.merchant()
    order = paid_order(shop=shop)
    client.force_login(f.staff(shop))
    before = row_counts()
    r = client.post("/seller/orders/bulk-ship/", upload(data) if data else {})
    assert r.status_code == 400
    assert message in r.text
    assert row_counts() == before
    order.refresh_from_db()
    assert order.state == "paid"
