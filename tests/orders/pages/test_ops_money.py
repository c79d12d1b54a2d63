"""The ops console's money pages: the ledger with account names (shop names for payables) in a sensible order,
the payments page with its filters, and the audit's check names in the page's language."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from anxin.core import audit, clock, ledger
from anxin.payments.models import Payment
from tests import factories as f
from tests.pages_helpers import paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops_client(client):
    client.force_login(f.ops())
    return client


def test_the_ledger_names_each_account_platform_first_then_shops_by_name(ops_client):
    for name in ("乙店", "甲店"):
        shop = f.merchant(name=name)
        ledger.post(
            f"test:{name}",
            "test",
            [ledger.Line(ledger.merchant_payable(shop.pk), -500), ledger.Line(ledger.ESCROW, 500)],
        )
    paid_order(price_fen=15000)
    r = ops_client.get("/ops/ledger/")
    assert r.status_code == 200
    text = r.text
    assert "托管（买家已付、订单未结算）" in text and "支付渠道清算" in text
    assert text.index("支付渠道清算") < text.index("应付商家：乙店") < text.index("应付商家：甲店")
    assert "-¥5.00" in text


def test_payments_filter_by_state_dates_amount_and_buyer(ops_client):
    clock.freeze(datetime(2026, 12, 3, 16, 31, tzinfo=UTC))  # 00:31 in Beijing: the UTC date is a day behind
    rich = paid_order(f.buyer(username="rich-buyer"), price_fen=90000)
    small = paid_order(f.buyer(username="small-buyer"), price_fen=1000)
    unpaid = paid_order(f.buyer(username="late-buyer"), price_fen=5000, pay=False)
    r = ops_client.get("/ops/payments/")
    assert r.status_code == 200
    assert rich.number in r.text and small.number in r.text
    r = ops_client.get("/ops/payments/", {"low": "100", "state": "succeeded"})
    assert rich.number in r.text and small.number not in r.text
    r = ops_client.get("/ops/payments/", {"buyer": "small"})
    assert small.number in r.text and rich.number not in r.text
    today = timezone.localdate(clock.now())  # the page's dates are Beijing days, as its fields say
    r = ops_client.get("/ops/payments/", {"start": str(today + timedelta(days=1))})
    assert rich.number not in r.text and "没有符合条件的支付。" in r.text
    r = ops_client.get("/ops/payments/", {"start": str(today), "end": str(today)})
    assert rich.number in r.text
    assert Payment.objects.count() == 2 and unpaid.number not in r.text  # no payment was started for it


@pytest.mark.parametrize(
    "query,message",
    [
        ({"low": "abc"}, "请输入金额，例如 12.80。"),
        ({"low": "50", "high": "10"}, "最高金额不能低于最低金额。"),
        ({"start": "2026-12-02", "end": "2026-12-01"}, "结束日期不能早于开始日期。"),
        ({"state": "stolen"}, "stolen"),
    ],
)
def test_bad_payment_filters_are_named_and_show_no_list(ops_client, query, message):
    paid_order()
    r = ops_client.get("/ops/payments/", query)
    assert r.status_code == 400 and message in r.text
    assert 'id="payments"' not in r.text


def test_payments_are_paged(ops_client):
    for _n in range(3):
        paid_order()
    r = ops_client.get("/ops/payments/", {"page": "2"})
    assert r.status_code == 200 and "共 3 笔支付" in r.text


def test_audit_check_names_are_in_the_page_language(ops_client):
    audit.run_and_store()
    r = ops_client.get("/ops/")
    assert "账本：每笔交易借贷平衡" in r.text and "ledger: every transaction balances" not in r.text
    ops_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = ops_client.get("/ops/")
    assert "Ledger: every transaction balances" in r.text
