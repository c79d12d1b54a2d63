"""The ops console: orders by state, payments, ledger balances, the last audit the worker ran, and lookup."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anxin.core import audit, clock
from anxin.core.models import AuditRun
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


def test_the_ops_console_is_for_ops_only(client):
    assert client.get("/ops/").status_code == 302
    for user in (f.buyer(), f.staff(), f.courier()):
        client.force_login(user)
        assert client.get("/ops/").status_code == 404
        assert client.get("/ops/lookup/").status_code == 404


def test_dashboard_shows_orders_by_state_payments_balances_and_the_audit(client):
    order = paid_order(price_fen=15000)
    audit.run_and_store()  # what the worker does every 10 minutes
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


def test_dashboard_says_the_audit_has_not_run_yet_and_does_not_run_it(client):
    client.force_login(f.ops())
    r = client.get("/ops/")
    assert r.status_code == 200
    assert "尚未运行" in r.text and "全部通过" not in r.text
    assert AuditRun.objects.count() == 0


def test_dashboard_shows_the_last_runs_breaches_and_when_it_ran(client):
    audit.run_and_store()
    clock.advance(timedelta(minutes=10))
    ran_at = clock.now()
    AuditRun.objects.create(ran_at=ran_at, problems={"stock: never negative": ["SKU 7 has -1"], "ledger: ok": []})
    client.force_login(f.ops())
    r = client.get("/ops/")
    assert "1 处异常" in r.text and "SKU 7 has -1" in r.text
    assert timezone.localtime(ran_at).strftime("%Y-%m-%d %H:%M") in r.text
    assert AuditRun.objects.count() == 2
