"""The programme's figures for the ops console: how many claims, how fast and by whom they were decided, what
the guarantee and price protection paid and who paid it, which SKUs buyers claim most.

A fixed number of aggregate queries whatever the number of claims; days are local (Beijing) days."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from anxin.catalog.models import Merchant
from anxin.core import ledger
from anxin.core.stats import median_seconds
from anxin.guarantee.models import Claim, ProtectionPayout

TOP_SKUS = 10


@dataclass(frozen=True)
class Payer:
    """Who paid: the platform's compensation account or a merchant (by name)."""

    account: str
    label: str
    claims_fen: int = 0
    protection_fen: int = 0

    @property
    def total_fen(self) -> int:
        return self.claims_fen + self.protection_fen


@dataclass(frozen=True)
class SkuClaims:
    sku_id: int
    title: str
    claims: int
    approved: int
    paid_fen: int


@dataclass(frozen=True)
class Figures:
    claims: int
    decided: int
    decided_auto: int
    approved: int
    rejected: int
    in_review: int
    overdue: int  # in review past its 48 hours now
    paid_fen: int  # 买贵必赔 compensation of approved claims
    median_decision_seconds: float | None
    median_manual_seconds: float | None  # of the claims a person decided
    claims_per_day: list[tuple[date, int]]
    rejected_by_reason: list[tuple[str, int]]  # reason code -> claims, most first
    top_skus: list[SkuClaims]
    protection_payouts: int
    protection_fen: int
    protection_auto: int  # paid by the worker after a price drop, not on the buyer's click
    protection_per_day: list[tuple[date, int]]  # fen per day
    payers: list[Payer]

    @property
    def auto_share(self) -> float | None:
        return self.decided_auto / self.decided if self.decided else None


def _per_day(rows: QuerySet, field: str, value: Count | Sum, days: list[date]) -> list[tuple[date, int]]:
    zone = timezone.get_current_timezone()
    counted = dict(
        rows.annotate(day=TruncDate(field, tzinfo=zone)).values("day").annotate(n=value).values_list("day", "n")
    )
    return [(day, counted.get(day) or 0) for day in days]


def _payer_label(account: str, merchants: Mapping[int, str]) -> str:
    merchant_id = ledger.payable_merchant_id(account)
    if merchant_id is not None:
        return merchants.get(merchant_id, account)
    if account == ledger.PLATFORM_COMPENSATION:
        return _("平台赔付账户")
    return account


def _payers(claims: QuerySet[Claim], payouts: QuerySet[ProtectionPayout]) -> list[Payer]:
    """Money paid grouped by who paid it: claims by their `charged_to`, price protection by the line's merchant
    (RULES §6: the merchant pays 价保)."""
    by_claims = dict(
        claims.filter(state=Claim.State.APPROVED)
        .values("charged_to")
        .annotate(fen=Sum("compensation_fen"))
        .values_list("charged_to", "fen")
    )
    by_protection = {
        ledger.merchant_payable(merchant_id): fen
        for merchant_id, fen in payouts.values("line__order__merchant_id")
        .annotate(fen=Sum("amount_fen"))
        .values_list("line__order__merchant_id", "fen")
    }
    accounts = set(by_claims) | set(by_protection)
    ids = {ledger.payable_merchant_id(account) for account in accounts} - {None}
    merchants = dict(Merchant.objects.filter(pk__in=ids).values_list("pk", "name"))
    payers = [
        Payer(account, _payer_label(account, merchants), by_claims.get(account) or 0, by_protection.get(account) or 0)
        for account in accounts
    ]
    return sorted(payers, key=lambda payer: (-payer.total_fen, payer.label))


def _top_skus(claims: QuerySet[Claim]) -> list[SkuClaims]:
    approved = Q(state=Claim.State.APPROVED)
    rows = (
        claims.values("line__sku_id", "line__title")
        .annotate(
            claims=Count("pk"), approved=Count("pk", filter=approved), paid=Sum("compensation_fen", filter=approved)
        )
        .order_by("-claims", "line__sku_id")[:TOP_SKUS]
    )
    return [
        SkuClaims(row["line__sku_id"], row["line__title"], row["claims"], row["approved"], row["paid"] or 0)
        for row in rows
    ]


def figures(since: datetime, until: datetime, days: list[date], now: datetime) -> Figures:
    """The claims filed and the price protection paid in [since, until)."""
    claims = Claim.objects.filter(created_at__gte=since, created_at__lt=until)
    decided = claims.exclude(state=Claim.State.REVIEW)
    counts = claims.aggregate(
        claims=Count("pk"),
        decided=Count("pk", filter=~Q(state=Claim.State.REVIEW)),
        decided_auto=Count("pk", filter=~Q(state=Claim.State.REVIEW) & Q(decided_by="auto")),
        approved=Count("pk", filter=Q(state=Claim.State.APPROVED)),
        rejected=Count("pk", filter=Q(state=Claim.State.REJECTED)),
        in_review=Count("pk", filter=Q(state=Claim.State.REVIEW)),
        overdue=Count("pk", filter=Q(state=Claim.State.REVIEW, due_at__lt=now)),
        paid_fen=Sum("compensation_fen", filter=Q(state=Claim.State.APPROVED)),
    )
    payouts = ProtectionPayout.objects.filter(created_at__gte=since, created_at__lt=until)
    protection = payouts.aggregate(
        n=Count("pk"), fen=Sum("amount_fen"), auto=Count("pk", filter=Q(trigger=ProtectionPayout.Trigger.AUTO))
    )
    rejected = (
        claims.filter(state=Claim.State.REJECTED)
        .values("reason_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason_code")
        .values_list("reason_code", "n")
    )
    return Figures(
        claims=counts["claims"],
        decided=counts["decided"],
        decided_auto=counts["decided_auto"],
        approved=counts["approved"],
        rejected=counts["rejected"],
        in_review=counts["in_review"],
        overdue=counts["overdue"],
        paid_fen=counts["paid_fen"] or 0,
        median_decision_seconds=median_seconds(decided, "created_at", "decided_at"),
        median_manual_seconds=median_seconds(decided.filter(decided_by="ops"), "created_at", "decided_at"),
        claims_per_day=_per_day(claims, "created_at", Count("pk"), days),
        rejected_by_reason=list(rejected),
        top_skus=_top_skus(claims),
        protection_payouts=protection["n"],
        protection_fen=protection["fen"] or 0,
        protection_auto=protection["auto"],
        protection_per_day=_per_day(payouts, "created_at", Sum("amount_fen"), days),
        payers=_payers(claims, payouts),
    )
