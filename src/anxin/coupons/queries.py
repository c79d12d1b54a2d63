"""Reads of coupons: a buyer's wallet (我的优惠券) and what a checkout may use."""

from django.db.models import QuerySet

from anxin.core import clock
from anxin.coupons import rules
from anxin.coupons.models import Coupon

TABS = (rules.AVAILABLE, rules.USED, rules.EXPIRED)


def wallet(buyer, tab: str = rules.AVAILABLE) -> QuerySet[Coupon]:
    """The buyer's coupons in one tab; "expired" also shows revoked ones, since neither can be used. An
    available coupon past its end that the worker has not yet expired is shown as expired."""
    now = clock.now()
    mine = Coupon.objects.filter(buyer=buyer).select_related("merchant")
    if tab == rules.USED:
        return mine.filter(state=rules.USED).order_by("-used_at", "-id")
    if tab == rules.EXPIRED:
        ended = mine.filter(state__in=[rules.EXPIRED, rules.REVOKED]) | mine.filter(
            state=rules.AVAILABLE, valid_to__lte=now
        )
        return ended.order_by("-valid_to", "-id")
    return usable(buyer)


def usable(buyer) -> QuerySet[Coupon]:
    """Coupons the buyer can apply now, those ending first first (the order the checkout weighs them in)."""
    now = clock.now()
    return (
        Coupon.objects.filter(buyer=buyer, state=rules.AVAILABLE, valid_from__lte=now, valid_to__gt=now)
        .select_related("merchant")
        .order_by("valid_to", "id")
    )


def candidates(buyer) -> list[rules.Candidate]:
    return [rules.Candidate(c.pk, c.issuer_kind, c.merchant_id, c.amount_fen, c.threshold_fen) for c in usable(buyer)]
