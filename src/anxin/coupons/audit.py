"""Coupon invariants: every coupon used on a paid checkout funded once with what it took, none in use twice,
orders' discounts equal to what their coupons took."""

from collections import defaultdict

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from anxin.core import ledger
from anxin.core.audit import check
from anxin.core.models import LedgerEntry, LedgerTransaction
from anxin.coupons.models import Coupon
from anxin.coupons.services import funded_key
from anxin.orders.models import Checkout, Order


@check(
    "coupons: every used coupon of a paid checkout is funded once",
    _("优惠券：已付款结算单上的每张券都由发券方出资一次"),
)
def used_coupons_funded() -> list[str]:
    used = Coupon.objects.filter(state=Coupon.State.USED, checkout__state=Checkout.State.PAID).values_list(
        "pk", "checkout_id", "used_fen"
    )
    keys = {funded_key(pk, checkout_id): (pk, fen) for pk, checkout_id, fen in used}
    funded = dict(
        LedgerEntry.objects.filter(
            transaction__idempotency_key__in=list(keys), account__code=ledger.ESCROW
        ).values_list("transaction__idempotency_key", "amount_fen")
    )
    return [
        f"coupon {pk}: took {fen} fen but its funding into escrow is {-funded.get(key, 0)} fen"
        for key, (pk, fen) in sorted(keys.items(), key=lambda item: item[1])
        if -funded.get(key, 0) != fen
    ]


@check("coupons: no coupon is in use on two checkouts", _("优惠券：没有一张券同时用在两笔结算上"))
def no_coupon_used_twice() -> list[str]:
    """A coupon's fundings whose checkout still has an order not cancelled: at most one."""
    live_checkouts = set(
        Order.objects.exclude(state=Order.State.CANCELLED).values_list("checkout_id", flat=True).distinct()
    )
    uses: dict[int, int] = defaultdict(int)
    for key, coupon_id in LedgerTransaction.objects.filter(kind="coupon_funded").values_list(
        "idempotency_key", "subject_id"
    ):
        if int(key.rsplit(":", 1)[1]) in live_checkouts:
            uses[coupon_id] += 1
    return [f"coupon {pk} is funded on {n} checkouts still open" for pk, n in sorted(uses.items()) if n > 1]


@check("coupons: each checkout's discounts equal what its coupons took", _("优惠券：每笔结算的优惠等于所用券的抵扣"))
def discounts_match_coupons() -> list[str]:
    taken = dict(
        Coupon.objects.filter(state=Coupon.State.USED)
        .values("checkout_id")
        .annotate(total=Sum("used_fen"))
        .values_list("checkout_id", "total")
    )
    discounts = dict(
        Order.objects.filter(discount_fen__gt=0)
        .exclude(state=Order.State.CANCELLED)
        .values("checkout_id")
        .annotate(total=Sum("discount_fen"))
        .values_list("checkout_id", "total")
    )
    # A checkout partly cancelled keeps its platform coupon in use while the cancelled order's part went back
    # to the issuer with its refund: only checkouts with nothing cancelled must match exactly.
    partly = set(Order.objects.filter(state=Order.State.CANCELLED).values_list("checkout_id", flat=True))
    return [
        f"checkout {pk}: orders discounted {discounts.get(pk, 0)} fen, its coupons took {taken.get(pk, 0)} fen"
        for pk in sorted(set(taken) | set(discounts))
        if pk not in partly and discounts.get(pk, 0) != taken.get(pk, 0)
    ]
