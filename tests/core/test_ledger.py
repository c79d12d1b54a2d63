import pytest

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
