"""Coupons: the only code that issues, uses, gives back, expires and revokes them (RULES §13).

A coupon is locked (`select_for_update`) and marked used inside the checkout's placing transaction, after
the buyer's cart and before the checkout (locks: cart -> coupons -> checkout -> payment -> orders), so one
coupon in two checkouts at once is used by one and refused to the other. Its part of the price is posted
from its issuer into escrow when the checkout's payment arrives (`fund`).
"""

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anxin.accounts.models import User
from anxin.core import clock, deadlines, events, ledger
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.permissions import require_role
from anxin.coupons import rules
from anxin.coupons.models import Coupon
from anxin.orders import services as order_services
from anxin.orders.models import Checkout, Order

EXPIRE = "coupons.expire"


# --- issuing -------------------------------------------------------------------------------------------------


def issue(
    buyer,
    amount_fen: int,
    *,
    reason: str,
    key: str,
    merchant_id: int | None = None,
    threshold_fen: int = 0,
    valid_days: int = 30,
    actor=None,
) -> Coupon:
    """Give `buyer` a coupon, inside the caller's transaction: the platform's (no `merchant_id`) or a shop's.
    The same `key` returns the coupon it first issued, so a retried compensation never gives two."""
    existing = Coupon.objects.filter(key=key).first()
    if existing is not None:
        return existing
    _check_terms(amount_fen, threshold_fen, valid_days, reason)
    now = clock.now()
    try:
        with transaction.atomic():
            coupon = Coupon.objects.create(
                buyer=buyer,
                issuer_kind=rules.MERCHANT if merchant_id else rules.PLATFORM,
                merchant_id=merchant_id,
                amount_fen=amount_fen,
                threshold_fen=threshold_fen,
                valid_from=now,
                valid_to=rules.valid_to(now, valid_days),
                reason=reason,
                key=key,
                created_at=now,
                issued_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        return Coupon.objects.get(key=key)
    events.record(
        "coupon.issued",
        coupon,
        {"buyer_id": buyer.pk, "amount_fen": amount_fen, "reason": reason, "merchant_id": merchant_id},
        actor=actor,
    )
    deadlines.schedule_new(EXPIRE, coupon.pk, coupon.valid_to)
    return coupon


def _check_terms(amount_fen: Any, threshold_fen: Any, valid_days: Any, reason: str) -> None:
    fields = {}
    if not _whole(amount_fen) or not 0 < amount_fen <= rules.MAX_AMOUNT_FEN:
        fields["amount"] = _("面额须为 0.01 到 100000 元")
    if not _whole(threshold_fen) or not 0 <= threshold_fen <= rules.MAX_AMOUNT_FEN:
        fields["threshold"] = _("门槛须为 0 到 100000 元")
    if not _whole(valid_days) or not 1 <= valid_days <= rules.MAX_VALID_DAYS:
        fields["valid_days"] = _("有效天数须为 1 到 365")
    if reason not in rules.REASONS:
        fields["reason"] = _("未知的发券原因")
    if fields:
        raise AnxinError(_("优惠券信息有误，请按提示修改。"), code="invalid_coupon", fields=fields)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _hand_issued(reason: str) -> None:
    if reason not in rules.HAND_ISSUED_REASONS:
        raise AnxinError(
            _("只能发放活动券或客服补偿券。"), code="invalid_coupon", fields={"reason": _("未知的发券原因")}
        )


def _buyer_named(username: Any) -> User:
    buyer = User.objects.filter(username=str(username or "").strip(), role=User.Role.BUYER).first()
    if buyer is None:
        raise NotFound(_("找不到这个买家。"), code="buyer_not_found", fields={"buyer": _("没有这个买家")})
    return buyer


def issue_by_ops(
    staff, buyer_username: Any, amount_fen: Any, threshold_fen: Any, valid_days: Any, reason: str, *, key: str
) -> Coupon:
    """Ops give a buyer a platform coupon (a campaign, goodwill), charged to the platform's campaigns.
    `key` is the form's or the API call's own id, so a form sent twice issues once."""
    require_role(staff, "ops")
    terms = (amount_fen, threshold_fen, valid_days, reason)
    return _issue_by_hand(staff, buyer_username, terms, key=f"ops:{staff.pk}:{key}", merchant_id=None)


def issue_by_merchant(
    staff, buyer_username: Any, amount_fen: Any, threshold_fen: Any, valid_days: Any, reason: str, *, key: str
) -> Coupon:
    """A merchant gives a buyer a coupon for its own shop, paid from what the platform owes it."""
    require_role(staff, "merchant_staff")
    terms = (amount_fen, threshold_fen, valid_days, reason)
    key = f"merchant:{staff.merchant_id}:{staff.pk}:{key}"
    return _issue_by_hand(staff, buyer_username, terms, key=key, merchant_id=staff.merchant_id)


def _issue_by_hand(
    staff, buyer_username: Any, terms: tuple[Any, Any, Any, str], *, key: str, merchant_id: int | None
) -> Coupon:
    """What ops and a shop's staff share once their role is checked: a hand-issued reason, a buyer by login."""
    amount_fen, threshold_fen, valid_days, reason = terms
    _hand_issued(reason)
    buyer = _buyer_named(buyer_username)
    with transaction.atomic():
        return issue(
            buyer,
            amount_fen,
            reason=reason,
            key=key,
            merchant_id=merchant_id,
            threshold_fen=threshold_fen,
            valid_days=valid_days,
            actor=staff,
        )


def revoke(staff, coupon_id: int) -> Coupon:
    """Ops (any coupon) or a shop's staff (its own) withdraw a coupon not yet used."""
    require_role(staff, "ops", "merchant_staff")
    with transaction.atomic():
        query = Coupon.objects.select_for_update().filter(pk=coupon_id)
        if staff.role != "ops":
            query = query.filter(merchant_id=staff.merchant_id)
        coupon = query.first()
        if coupon is None:
            raise NotFound(_("找不到这张优惠券。"))
        if coupon.state != Coupon.State.AVAILABLE:
            raise Conflict(_("只有未使用的优惠券可以作废。"), code="coupon_not_available")
        coupon.state = Coupon.State.REVOKED
        coupon.save(update_fields=["state"])
        events.record("coupon.revoked", coupon, {}, actor=staff)
        deadlines.cancel(EXPIRE, coupon.pk)
    return coupon


# --- at checkout ----------------------------------------------------------------------------------------------


def lock_chosen(buyer, coupon_ids: Sequence[int]) -> list[Coupon]:
    """The coupons a buyer chose, locked: each their own, usable now; one platform coupon, one per shop."""
    ids = sorted(set(coupon_ids))
    if not ids:
        return []
    coupons = list(Coupon.objects.select_for_update().filter(pk__in=ids, buyer=buyer).order_by("pk"))
    missing = set(ids) - {c.pk for c in coupons}
    if missing:
        raise NotFound(
            _("找不到所选的优惠券。"),
            code="coupon_not_found",
            fields={f"coupons.{pk}": _("不存在") for pk in sorted(missing)},
        )
    now = clock.now()
    gone = [
        c for c in coupons if c.state != Coupon.State.AVAILABLE or not rules.is_valid_at(c.valid_from, c.valid_to, now)
    ]
    if gone:
        raise Conflict(
            _("所选的优惠券已使用或已失效，请重新选择。"),
            code="coupon_unavailable",
            fields={f"coupons.{c.pk}": c.get_state_display() for c in gone},
        )
    platform = [c for c in coupons if c.issuer_kind == rules.PLATFORM]
    shops = [c.merchant_id for c in coupons if c.issuer_kind == rules.MERCHANT]
    if len(platform) > 1 or len(shops) != len(set(shops)):
        raise AnxinError(_("每次结算最多使用一张平台券，每个店铺的订单最多使用一张店铺券。"), code="too_many_coupons")
    return coupons


def _by_shop(coupons: Sequence[Coupon]) -> dict[int, Coupon]:
    return {c.merchant_id: c for c in coupons if c.merchant_id is not None}


def allocate(coupons: Sequence[Coupon], orders: Sequence[rules.OrderGoods]) -> rules.Allocation:
    """How the chosen coupons take off the orders' goods; a coupon whose threshold is not met, whose shop has
    no order here, or that would take nothing, is refused."""
    goods = {order.merchant_id: order.goods_fen for order in orders}
    platform = next((c for c in coupons if c.issuer_kind == rules.PLATFORM), None)
    shop = _by_shop(coupons)
    unfit = [c for m, c in shop.items() if m not in goods or not rules.meets_threshold(c.threshold_fen, goods[m])]
    if platform is not None and not rules.meets_threshold(platform.threshold_fen, sum(goods.values())):
        unfit.append(platform)
    allocation = rules.allocate(
        orders, {m: c.amount_fen for m, c in shop.items()}, platform.amount_fen if platform else 0
    )
    unfit += [c for m, c in shop.items() if c not in unfit and not allocation.merchant_used.get(m)]
    if platform is not None and platform not in unfit and not allocation.platform_used:
        unfit.append(platform)
    if unfit:
        raise AnxinError(
            _("所选的优惠券不适用于这笔订单（未达到使用门槛或不是本店的券）。"),
            code="coupon_not_applicable",
            fields={f"coupons.{c.pk}": _("不适用") for c in unfit},
        )
    return allocation


def funding(
    coupons: Sequence[Coupon], orders: Sequence[rules.OrderGoods], allocation: rules.Allocation
) -> list[dict[str, int]]:
    """Per order: ledger account -> fen of its discount that account pays (`Order.discount_funding`)."""
    platform = next((c for c in coupons if c.issuer_kind == rules.PLATFORM), None)
    shop = _by_shop(coupons)
    result: list[dict[str, int]] = []
    for index, order in enumerate(orders):
        parts: dict[str, int] = {}
        if order.merchant_id in shop:
            parts[shop[order.merchant_id].funding_account] = allocation.merchant_used[order.merchant_id]
        if platform is not None and allocation.platform_by_order[index]:
            account = platform.funding_account
            parts[account] = parts.get(account, 0) + allocation.platform_by_order[index]
        result.append(parts)
    return result


def mark_used(
    coupons: Sequence[Coupon], checkout: Checkout, orders: Sequence[Order], allocation: rules.Allocation
) -> None:
    """The chosen coupons are used on the checkout just placed (a shop's on its order), with what each took."""
    now = clock.now()
    by_merchant = {order.merchant_id: order for order in orders}
    for coupon in coupons:
        coupon.state, coupon.checkout, coupon.used_at = Coupon.State.USED, checkout, now
        if coupon.merchant_id is not None:
            coupon.order = by_merchant[coupon.merchant_id]
            coupon.used_fen = allocation.merchant_used[coupon.merchant_id]
        else:
            coupon.used_fen = allocation.platform_used
    Coupon.objects.bulk_update(coupons, ["state", "checkout", "order", "used_fen", "used_at"])
    for coupon in coupons:
        events.record(
            "coupon.used", coupon, {"checkout_id": checkout.pk, "used_fen": coupon.used_fen}, actor=checkout.buyer
        )


def funded_key(coupon_id: int, checkout_id: int) -> str:
    """One funding per use: a coupon given back by a cancelled order and used again is funded again."""
    return f"coupon:{coupon_id}:funded:{checkout_id}"


def fund(checkout: Checkout) -> None:
    """The checkout is paid: each coupon used on it pays its part into escrow from its issuer's account, so
    escrow holds the orders' full value and settlement pays the merchant as for any order."""
    for coupon in Coupon.objects.filter(checkout=checkout, state=Coupon.State.USED).order_by("pk"):
        ledger.post(
            funded_key(coupon.pk, checkout.pk),
            "coupon_funded",
            [ledger.Line(coupon.funding_account, coupon.used_fen), ledger.Line(ledger.ESCROW, -coupon.used_fen)],
            subject=coupon,
        )


# --- given back, expired ----------------------------------------------------------------------------------------


def give_back(orders: list[Order]) -> None:
    """Orders cancelled before shipping give back their coupons (RULES §13): a shop's coupon of the order; the
    platform's once every order of its checkout is cancelled. Each returns to the buyer if still valid. Its
    part of any refund went back to its issuer with the refund."""
    if not orders:
        return
    checkout_ids = {order.checkout_id for order in orders}
    still_open = set(
        Order.objects.filter(checkout_id__in=checkout_ids)
        .exclude(state=Order.State.CANCELLED)
        .values_list("checkout_id", flat=True)
    )
    used = Coupon.objects.select_for_update().filter(state=Coupon.State.USED, checkout_id__in=checkout_ids)
    order_ids = {order.pk for order in orders}
    now = clock.now()
    returned = [
        c
        for c in used.order_by("pk")
        if (c.order_id in order_ids) or (c.issuer_kind == rules.PLATFORM and c.checkout_id not in still_open)
    ]
    for coupon in returned:
        checkout_id = coupon.checkout_id
        coupon.state = rules.state_after_return(coupon.valid_to, now)
        coupon.checkout, coupon.order, coupon.used_fen, coupon.used_at = None, None, 0, None
        coupon.save(update_fields=["state", "checkout", "order", "used_fen", "used_at"])
        events.record("coupon.returned", coupon, {"checkout_id": checkout_id, "state": coupon.state})


def register_order_hooks() -> None:
    order_services.on_cancelled(give_back)


def expire(coupon_id: int) -> None:
    """The worker's handler at a coupon's end: an unused coupon expires (a used one keeps its history)."""
    now = clock.now()
    if Coupon.objects.filter(pk=coupon_id, state=Coupon.State.AVAILABLE, valid_to__lte=now).update(
        state=Coupon.State.EXPIRED
    ):
        events.record("coupon.expired", Coupon.objects.get(pk=coupon_id), {})
