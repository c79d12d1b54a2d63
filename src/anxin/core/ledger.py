"""Double-entry ledger: every movement of money is a balanced transaction with a unique idempotency key.

Sign convention: positive amounts are debits, negative amounts credits; each transaction sums to zero.
Accounts used by the core:
- `provider_clearing` (asset): money held for us by the payment provider;
- `escrow` (liability): buyers' payments held until their order completes or is refunded;
- `merchant:<id>:payable` (liability): what the platform owes a merchant;
- `platform:subsidy` (expense): what the platform pays for remote regions' second leg (hub -> buyer);
- `carriers:payable` (liability): what the platform owes carriers for those legs;
- `refunds:payable` (liability): refunds and payouts granted to buyers that the provider has not yet confirmed;
- `platform:advances` (asset): 极速退款 the platform paid a buyer before the merchant received the return,
  recovered from escrow (or the merchant's payable) on receipt;
- `platform:shipping_insurance` (expense): 退货补运费 the platform's shipping insurance pays;
- `platform:compensation` (expense): 买贵必赔 compensation and coupons issued to make good a broken promise;
- `platform:campaigns` (expense): coupons the platform gives away in campaigns and as goodwill.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from anxin.core import clock
from anxin.core.errors import AnxinError, Conflict
from anxin.core.models import LedgerAccount, LedgerEntry, LedgerTransaction

PROVIDER_CLEARING = "provider_clearing"
ESCROW = "escrow"
PLATFORM_SUBSIDY = "platform:subsidy"
CARRIERS_PAYABLE = "carriers:payable"
REFUNDS_PAYABLE = "refunds:payable"
PLATFORM_ADVANCES = "platform:advances"
PLATFORM_ADVANCE_LOSSES = "platform:advance_losses"
PLATFORM_SHIPPING_INSURANCE = "platform:shipping_insurance"
PLATFORM_COMPENSATION = "platform:compensation"
PLATFORM_CAMPAIGNS = "platform:campaigns"

ACCOUNT_NAMES = {
    PROVIDER_CLEARING: "Payment provider clearing",
    ESCROW: "Buyer payments held in escrow",
    PLATFORM_SUBSIDY: "Platform subsidy (remote-region leg 2)",
    CARRIERS_PAYABLE: "Owed to carriers",
    REFUNDS_PAYABLE: "Refunds owed to buyers, not yet confirmed by the provider",
    PLATFORM_ADVANCES: "Instant refunds advanced by the platform, to recover",
    PLATFORM_ADVANCE_LOSSES: "Instant refunds the platform bore after ruling for the merchant",
    PLATFORM_SHIPPING_INSURANCE: "Return postage paid by the platform's shipping insurance",
    PLATFORM_COMPENSATION: "Compensation for broken promises (price guarantee, coupons that make good)",
    PLATFORM_CAMPAIGNS: "Coupons the platform funds in campaigns and as goodwill",
}

_account_ids: dict[str, int] = {}


def merchant_payable(merchant_id: int) -> str:
    return f"merchant:{merchant_id}:payable"


def payable_merchant_id(code: str) -> int | None:
    """The merchant whose payable `code` is (`merchant:12:payable` -> 12), None for any other account."""
    head, _sep, rest = code.partition(":")
    merchant_id, _sep, tail = rest.partition(":")
    return int(merchant_id) if head == "merchant" and tail == "payable" and merchant_id.isdigit() else None


@dataclass(frozen=True)
class Line:
    account: str
    amount_fen: int


class UnbalancedTransaction(AnxinError):
    code = "ledger_unbalanced"


class KeyReused(Conflict):
    """A key names one movement of money: the same key with other lines is a bug in the caller, not a retry."""

    code = "ledger_key_reused"


def account_id(code: str) -> int:
    """The id of the named account, created on first use.

    Ids are cached per process only once the transaction that saw them commits, so a rolled-back creation
    never leaves a cached id pointing at nothing (accounts are never deleted).
    """
    if code in _account_ids:
        return _account_ids[code]
    name = ACCOUNT_NAMES.get(code, code.replace(":", " ").replace("_", " "))
    account, _ = LedgerAccount.objects.get_or_create(code=code, defaults={"name": name})
    transaction.on_commit(lambda: _account_ids.setdefault(code, account.pk))
    return account.pk


def forget_cached_accounts() -> None:
    """For tests that flush the database (a production database never deletes an account)."""
    _account_ids.clear()


def post(
    key: str,
    kind: str,
    lines: Iterable[Line],
    *,
    memo: str = "",
    subject: models.Model | None = None,
) -> LedgerTransaction:
    """Post a balanced transaction once per key.

    A retry (same key, same kind and lines) returns the first transaction; the same key with anything else is
    refused, since posting it would hide a different movement of money behind the first. Two concurrent
    posts of one key meet on the unique index: the loser's insert is rolled back to a savepoint and it
    re-reads the winner's transaction, so neither sees an IntegrityError.
    """
    entries = _entries(key, lines)
    existing = _posted(key)
    if existing is not None:
        return _same_or_refused(existing, kind, entries)
    try:
        with transaction.atomic():
            return _create(key, kind, entries, memo=memo, subject=subject)
    except IntegrityError:
        existing = _posted(key)
        if existing is None:
            raise
        return _same_or_refused(existing, kind, entries)


def _entries(key: str, lines: Iterable[Line]) -> dict[str, int]:
    merged: dict[str, int] = defaultdict(int)
    for line in lines:
        merged[line.account] += int(line.amount_fen)
    entries = {account: amount for account, amount in merged.items() if amount}
    if sum(entries.values()) != 0:
        raise UnbalancedTransaction(f"ledger transaction {key} does not balance: {dict(merged)}")
    if not entries:
        raise UnbalancedTransaction(f"ledger transaction {key} moves no money")
    return entries


def _posted(key: str) -> LedgerTransaction | None:
    return LedgerTransaction.objects.filter(idempotency_key=key).first()


def _same_or_refused(existing: LedgerTransaction, kind: str, entries: dict[str, int]) -> LedgerTransaction:
    posted = dict(existing.entries.values_list("account__code", "amount_fen"))
    if existing.kind != kind or posted != entries:
        raise KeyReused(
            _("记账编号 %(key)s 已用于另一笔不同的资金变动。") % {"key": existing.idempotency_key},
            fields={"key": existing.idempotency_key},
        )
    return existing


def _create(
    key: str, kind: str, entries: dict[str, int], *, memo: str, subject: models.Model | None
) -> LedgerTransaction:
    txn = LedgerTransaction.objects.create(
        idempotency_key=key,
        kind=kind,
        memo=memo[:200],
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        at=clock.now(),
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(transaction=txn, account_id=account_id(account), amount_fen=amount)
        for account, amount in entries.items()
    )
    return txn


def balance(code: str) -> int:
    """The account's balance in fen (debits minus credits)."""
    total = LedgerEntry.objects.filter(account__code=code).aggregate(total=Sum("amount_fen"))["total"]
    return total or 0


def balances() -> dict[str, int]:
    rows = LedgerEntry.objects.values("account__code").annotate(total=Sum("amount_fen")).order_by("account__code")
    return {row["account__code"]: row["total"] for row in rows}


def unbalanced_transactions() -> list[tuple[str, int]]:
    """Keys and sums of every transaction whose entries do not sum to zero (the audit's first check)."""
    rows = (
        LedgerEntry.objects.values("transaction__idempotency_key")
        .annotate(total=Sum("amount_fen"))
        .exclude(total=0)
        .order_by("transaction__idempotency_key")
    )
    return [(row["transaction__idempotency_key"], row["total"]) for row in rows]
