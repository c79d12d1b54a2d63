"""The ops console: orders by state, payments, ledger balances, the audit, and lookup."""

import pytest

from tests import factories as f
from tests.web.helpers import paid_order

pytestmark = pytest.mark.django_db


def test_the_ops_console_is_for_ops_only(client):
    assert client.get("/ops/").status_code == 302
    for user in (f.buyer(), f.staff(), f.courier()):
        client.force_login(user)
        assert client.get("/ops/").status_code == 404
        assert client.get("/ops/lookup/").status_code == 404


def test_dashboard_shows_orders_by_state_payments_balances_and_the_audit(client):
    order = paid_order(price_fen=15000)
    client.force_login(f.ops())
    r = client.get("/ops/")
    assert r.status_code == 200
    assert "待发货" in r.text and order.number in r.text
    assert "escrow" in r.text and "-¥150.00" in r.text
    assert "全部通过" in r.text
    r = client.get("/ops/", {"state": "completed"})
    assert order.number not in r.text


def test_lookup_finds_orders_by_number_buyer_or_merchant(client):
    buyer = f.buyer(username="lookup-buyer")
    shop = f.merchant(name="查询小店")
    mine = paid_order(buyer)
    theirs = paid_order(shop=shop)
    client.force_login(f.ops())
    r = client.get("/ops/lookup/", {"q": mine.number})
    assert mine.number in r.text and theirs.number not in r.text
    r = client.get("/ops/lookup/", {"q": "lookup-buyer"})
    assert mine.number in r.text and theirs.number not in r.text
    r = client.get("/ops/lookup/", {"q": "查询小店"})
    assert theirs.number in r.text and mine.number not in r.text
    r = client.get(f"/ops/orders/{mine.pk}/")
    assert r.status_code == 200 and "付款成功" in r.text
    assert client.get("/ops/orders/999999/").status_code == 404
