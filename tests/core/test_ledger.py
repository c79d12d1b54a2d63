import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from anxin.core import ledger
from anxin.core.models import LedgerEntry, LedgerTransaction

pytestmark = pytest.mark.django_db


def pay(amount: int, key: str = "t1"):
    return ledger.post(
        key, "payment_received", [ledger.Line(ledger.PROVIDER_CLEARING, amount), ledger.Line(ledger.ESCROW, -amount)]
    )


def test_a_balanced_transaction_moves_money_between_accounts():
    pay(1000)
    assert ledger.balance(ledger.PROVIDER_CLEARING) == 1000
    assert ledger.balance(ledger.ESCROW) == -1000


def test_the_same_key_posts_once():
    first = pay(1000)
    again = pay(1000)
    assert again.pk == first.pk
    assert LedgerTransaction.objects.count() == 1
    assert ledger.balance(ledger.ESCROW) == -1000


def test_an_unbalanced_transaction_is_refused_and_writes_nothing():
    with pytest.raises(ledger.UnbalancedTransaction):
        ledger.post("bad", "x", [ledger.Line(ledger.ESCROW, 100), ledger.Line(ledger.PROVIDER_CLEARING, -99)])
    assert LedgerEntry.objects.count() == 0


def test_a_transaction_that_moves_nothing_is_refused():
    with pytest.raises(ledger.UnbalancedTransaction):
        ledger.post("zero", "x", [ledger.Line(ledger.ESCROW, 100), ledger.Line(ledger.ESCROW, -100)])


def test_unbalanced_transactions_are_found_by_the_audit_query():
    txn = pay(500)
    assert ledger.unbalanced_transactions() == []
    LedgerEntry.objects.filter(transaction=txn, amount_fen=-500).update(amount_fen=-400)
    assert ledger.unbalanced_transactions() == [("t1", 100)]


def test_the_same_key_with_other_lines_is_refused_and_writes_nothing():
    first = pay(1000)
    with pytest.raises(ledger.KeyReused) as refused:
        pay(999)
    assert (refused.value.status, refused.value.code) == (409, "ledger_key_reused")
    assert list(LedgerTransaction.objects.values_list("pk", flat=True)) == [first.pk]
    assert ledger.balance(ledger.ESCROW) == -1000


def test_the_same_key_with_another_kind_is_refused():
    pay(1000)
    with pytest.raises(ledger.KeyReused):
        ledger.post("t1", "refund", [ledger.Line(ledger.PROVIDER_CLEARING, 1000), ledger.Line(ledger.ESCROW, -1000)])
    assert LedgerEntry.objects.count() == 2


def test_a_replay_with_the_same_lines_in_another_order_is_the_same_transaction():
    first = pay(700)
    again = ledger.post(
        "t1", "payment_received", [ledger.Line(ledger.ESCROW, -700), ledger.Line(ledger.PROVIDER_CLEARING, 700)]
    )
    assert again.pk == first.pk


THREADS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_one_key_make_one_transaction():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent inserts on one unique key need PostgreSQL; CI runs this with DATABASE_URL set")
    start = threading.Barrier(THREADS)

    def post(_):
        try:
            start.wait()
            with transaction.atomic():
                txn = ledger.post(
                    "race",
                    "payment_received",
                    [ledger.Line(ledger.PROVIDER_CLEARING, 500), ledger.Line(ledger.ESCROW, -500)],
                )
                time.sleep(0.2)  # hold the first insert uncommitted, so the others meet it on the unique index
            return txn.pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        ids = set(pool.map(post, range(THREADS)))
    assert len(ids) == 1
    assert LedgerTransaction.objects.count() == 1
    assert LedgerEntry.objects.count() == 2
    assert ledger.balance(ledger.ESCROW) == -500
