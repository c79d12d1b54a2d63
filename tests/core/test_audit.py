"""`anxin audit` is clean on honest data and names each breach, exiting non-zero."""

import pytest
from django.core.management import call_command
from django.db import connection

from anxin.core.models import LedgerEntry
from anxin.inventory.models import Stock
from anxin.orders.models import OrderLine
from tests import factories as f

pytestmark = pytest.mark.django_db


def run_audit(capsys) -> tuple[int, str]:
    try:
        call_command("audit")
    except SystemExit as exc:
        return int(exc.code), capsys.readouterr().out
    return 0, capsys.readouterr().out


def test_a_clean_marketplace_passes(capsys):
    f.paid_checkout()
    f.placed_checkout()
    code, out = run_audit(capsys)
    assert code == 0, out
    assert "clean" in out


def test_an_unbalanced_ledger_transaction_is_named(capsys):
    f.paid_checkout()
    entry = LedgerEntry.objects.filter(amount_fen__lt=0).first()
    LedgerEntry.objects.filter(pk=entry.pk).update(amount_fen=entry.amount_fen + 1)
    code, out = run_audit(capsys)
    assert code == 1
    assert f"transaction {entry.transaction.idempotency_key} sums to 1 fen" in out


def test_held_stock_that_does_not_match_open_orders_is_named(capsys):
    checkout = f.placed_checkout()
    sku_id = checkout.orders.get().lines.get().sku_id
    Stock.objects.filter(sku_id=sku_id).update(allocated=5)
    code, out = run_audit(capsys)
    assert code == 1
    assert f"SKU {sku_id}: 5 allocated but 1 on open order lines" in out


def test_a_line_refunded_beyond_what_was_paid_is_named(capsys):
    line = f.paid_checkout().orders.get().lines.get()
    # The database refuses this too: switch its CHECK off, as a dropped constraint would, to see the audit catch it.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE orders_orderline DROP CONSTRAINT order_line_refund_within_paid")
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
    OrderLine.objects.filter(pk=line.pk).update(refunded_fen=line.total_fen + 1)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    code, out = run_audit(capsys)
    assert code == 1
    assert f"line {line.pk}: refunded {line.total_fen + 1}" in out


def test_escrow_that_does_not_match_paid_orders_is_named(capsys):
    order = f.paid_checkout().orders.get()
    order.__class__.objects.filter(pk=order.pk).update(state="completed")
    code, out = run_audit(capsys)
    assert code == 1
    assert "escrow holds" in out
