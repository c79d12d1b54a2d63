"""The demo's promises about price, told through the services: 价保 days on the products, 买贵必赔 enrolled by
the demo seller's shop and by an ops campaign (双倍赔), coupons in every state, a competitor price feed with the
same products cheaper, the same products dearer and look-alikes that are other products, claims in every state,
and a price drop that pays 价保 by itself.

`setup` runs when the history starts, so every order of the history is bought under the promises it shows;
`story` runs a few hours before the demo's "now", when the feed is fresh (younger than 24 hours) for claims on
the last week's orders; the worker applies what falls due after it (价保 after the drop) on the way.
"""

import csv
import io
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, Count, When

from anxin.catalog import services as catalog
from anxin.catalog.models import SKU, Product
from anxin.checkout import services as checkouts
from anxin.core import clock
from anxin.core.errors import AnxinError
from anxin.coupons import rules as coupon_rules
from anxin.coupons import services as coupons
from anxin.coupons.models import Coupon
from anxin.guarantee.models import Claim, Enrollment, Offer, ProtectionPayout
from anxin.guarantee.services import claims, enrollment, feed
from anxin.orders.models import Order, OrderLine

STORY_BEFORE_END = timedelta(hours=8)
CAPTURED_BEFORE_STORY = timedelta(hours=2)
CLAIM_WINDOW = timedelta(days=6)  # lines paid this recently can still be claimed (7 days) at the story
CLAIMED_LINES = 7
# 价保 days by category: appliances 30, shoes, bags and boots 15, fresh and regional food none, the rest 7.
PROTECTION_DAYS = {"kitchen-appliances": 30, "home-appliances": 30, "care-appliances": 30, "shoes": 15, "bags": 15}
PROTECTION_DAYS |= {"football": 15, "fruit": 0, "specialty-food": 0}
DEFAULT_PROTECTION_DAYS = 7
CAMPAIGN_SHOPS = 2  # the shops after the demo seller's whose SKUs the campaign enrolls
FEED_COLUMNS = ("platform", "url", "title", "brand", "model", "spec", "price", "shipping", "price_type", "captured_at")
LIVE_STATES = (Order.State.PAID, Order.State.SHIPPED, Order.State.DELIVERED)


def setup(world: Any, seller_merchant_id: int) -> None:
    """At the history's start: 价保 days, the shop's enrollment and the campaign, coupons issued ahead."""
    for product in Product.objects.select_related("category").order_by("pk"):
        days = PROTECTION_DAYS.get(product.category.slug, DEFAULT_PROTECTION_DAYS)
        if days:
            catalog.update_product(world.staff[product.merchant_id], product.pk, {"price_protection_days": days})
    for sku_id in SKU.objects.filter(product__merchant_id=seller_merchant_id).values_list("pk", flat=True):
        enrollment.enroll_sku(world.staff[seller_merchant_id], sku_id)
    campaign = enrollment.create_campaign(
        world.ops,
        name="双12 买贵双倍赔",
        multiplier=2,
        starts_at=clock.now() + timedelta(minutes=1),
        ends_at=world.end + timedelta(days=10),
    )
    clock.advance(timedelta(minutes=2))
    others = [merchant_id for merchant_id in world.staff if merchant_id != seller_merchant_id][:CAMPAIGN_SHOPS]
    campaign_skus = SKU.objects.filter(product__merchant_id__in=others).values_list("pk", flat=True)
    enrollment.enroll_in_campaign(world.ops, campaign.pk, list(campaign_skus))
    buyer = world.main_buyer.user
    coupons.issue(buyer, 300, reason=coupon_rules.GOODWILL, key="demo:goodwill", valid_days=2)  # expires
    coupons.issue(
        buyer,
        500,
        reason=coupon_rules.CAMPAIGN,
        key="demo:shop",
        merchant_id=seller_merchant_id,
        threshold_fen=5000,
        valid_days=60,
    )


def story(world: Any, seller_merchant_id: int) -> dict[str, int]:
    """The feed, the claims and ops' decisions, a price drop paid by 价保, and a coupon spent at checkout."""
    lines = _claimable_lines(world.main_buyer.user.pk)
    captured = clock.now() - CAPTURED_BEFORE_STORY
    listings = {line.pk: _listings(line, captured) for line in lines}
    _import_feed(world, [row for rows in listings.values() for row in rows.values()])
    told = _file_claims(world, lines, listings)
    told["price_drop"] = _drop_a_price(world, seller_merchant_id)
    told["coupon_checkout"] = _spend_a_coupon(world)
    return told


def _claimable_lines(main_buyer_id: int) -> list[OrderLine]:
    """Paid lines of enrolled SKUs bought in the last six days and not refunded: the demo buyer's first, so the
    `buyer` login sees several claims, then the latest."""
    now = clock.now()
    enrolled = Enrollment.objects.filter(starts_at__lte=now).values("sku_id")
    lines = OrderLine.objects.filter(
        order__paid_at__gte=now - CLAIM_WINDOW, order__state__in=LIVE_STATES, refunded_fen=0, sku_id__in=enrolled
    ).annotate(theirs=Case(When(order__buyer_id=main_buyer_id, then=0), default=1))
    ordered = lines.select_related("product__category", "order__buyer").order_by("theirs", "-order__paid_at", "pk")
    return list(ordered[:CLAIMED_LINES])


def _listings(line: OrderLine, captured: datetime) -> dict[str, dict[str, str]]:
    """Three listings of the line's product on other platforms: the same product cheaper (京东), the same
    product dearer (天猫), and a look-alike of another brand and model (淘宝)."""
    product, unit = line.product, line.unit_price_fen
    same = {"title": product.title, "brand": product.brand, "model": "", "spec": _spec(line)}
    other = {
        "title": f"优品 {product.category.name} 通用款 X{line.pk}",
        "brand": "优品",
        "model": f"X{line.pk}",
        "spec": "",
    }
    return {
        "cheaper": _row("jd", f"https://item.jd.com/{100000 + line.pk}.html", same, unit * 9 // 10, captured),
        "dearer": _row("tmall", f"https://detail.tmall.com/item.htm?id={200000 + line.pk}", same, unit + 500, captured),
        "other": _row("taobao", f"https://item.taobao.com/item.htm?id={300000 + line.pk}", other, unit // 2, captured),
    }


def _spec(line: OrderLine) -> str:
    return " ".join(f"{name} {value}" for name, value in (line.spec or {}).items())


def _row(platform: str, url: str, text: dict[str, str], price_fen: int, captured: datetime) -> dict[str, str]:
    return {
        "platform": platform,
        "url": url,
        **text,
        "price": f"{max(price_fen, 1) / 100:.2f}",
        "shipping": "0",
        "price_type": "regular",
        "captured_at": captured.isoformat(),
    }


def _import_feed(world: Any, rows: Iterable[dict[str, str]]) -> None:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=FEED_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    feed.import_offers(io.BytesIO(text.getvalue().encode()), feed.new_import("competitor-prices.csv", by=world.ops))


def _evidence(line: OrderLine, listing: dict[str, str], **how: Any) -> claims.Evidence:
    """What the buyer says they saw: 10% below what they paid (the feed may say otherwise)."""
    seen = f"{line.unit_price_fen * 9 // 10 / 100:.2f}"
    return claims.Evidence(listing["platform"], listing["url"], listing["title"], seen, **how)


def _file_claims(world: Any, lines: list[OrderLine], listings: dict[int, dict[str, dict[str, str]]]) -> dict[str, int]:
    """One claim per line, each a different path: paid at once (to the payment, as a coupon), refused because
    the feed is not lower or the listing is another product, and three for a person, of which ops approve one
    and refuse one; the third waits in the queue."""
    plans = [
        ("cheaper", {}),
        ("cheaper", {"pay_to": Claim.PayTo.COUPON}),
        ("dearer", {}),
        ("other", {}),
        ("unknown", {}),
        ("unknown", {}),
        ("unknown", {}),
    ]
    filed: list[Claim] = []
    for line, (kind, how) in zip(lines, plans, strict=False):
        listing = listings[line.pk].get(kind) or _unknown_listing(line)
        try:
            filed.append(
                claims.open_claim(
                    line.order.buyer, line.order_id, line.pk, _evidence(line, listing, **how), [], f"demo-{line.pk}"
                )
            )
        except AnxinError:
            continue
    in_review = [claim for claim in filed if claim.state == Claim.State.REVIEW]
    clock.advance(timedelta(hours=2))
    if in_review:
        claims.approve(world.ops, in_review[0].pk)
    if len(in_review) > 1:
        claims.reject(world.ops, in_review[1].pk, "截图中的价格为会员价，不属于常规价")
    return {"claims": len(filed)}


def _unknown_listing(line: OrderLine) -> dict[str, str]:
    """A listing the feed does not know: the buyer's word only, so a person checks it."""
    url = f"https://mobile.yangkeduo.com/goods.html?goods_id={400000 + line.pk}"
    return {"platform": "pdd", "url": url, "title": line.product.title}


def _drop_a_price(world: Any, seller_merchant_id: int) -> int:
    """The demo seller lowers the price of a SKU bought in its 价保 window: the worker pays each buyer."""
    line = (
        OrderLine.objects.filter(
            product__merchant_id=seller_merchant_id,
            product__price_protection_days__gt=0,
            order__paid_at__gte=clock.now() - CLAIM_WINDOW,
            order__state__in=LIVE_STATES,
            refunded_fen=0,
        )
        .select_related("sku")
        .order_by("-order__paid_at")
        .first()
    )
    if line is None:
        return 0
    catalog.update_sku(world.staff[seller_merchant_id], line.sku_id, {"price_fen": line.sku.price_fen * 9 // 10})
    return 1


def _spend_a_coupon(world: Any) -> int:
    """Ops give the demo buyer a ¥10 coupon (from ¥99); the buyer spends it at once on one item."""
    main = world.main_buyer
    coupon = coupons.issue_by_ops(world.ops, main.user.username, 1000, 9900, 30, coupon_rules.CAMPAIGN, key="demo")
    sku = (
        SKU.objects.filter(
            is_active=True,
            product__is_active=True,
            price_fen__gte=12000,
            stock__available__gte=1,
            product__questions__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if sku is None:
        return 0
    try:
        line = checkouts.add_to_cart(main.user, sku.pk, 1)
        checkout = checkouts.place_order(
            main.user,
            address_id=main.address_id,
            idempotency_key="demo-coupon",
            line_ids=[line.pk],
            coupon_ids=[coupon.pk],
        )
        payment = checkouts.start_payment(main.user, checkout.pk)
        checkouts.simulate_provider_approval(main.user, payment.pk)
    except AnxinError:
        return 0
    return 1


def summary() -> dict[str, Any]:
    """What the demo holds of the price promises, for its closing report."""
    claims_by_state = dict(Claim.objects.values_list("state").annotate(n=Count("pk")).order_by("state"))
    coupons_by_state = dict(Coupon.objects.values_list("state").annotate(n=Count("pk")).order_by("state"))
    return {
        "enrolled_skus": Enrollment.objects.values("sku_id").distinct().count(),
        "offers": Offer.objects.count(),
        "claims_by_state": {state: claims_by_state.get(state, 0) for state in Claim.State.values},
        "coupons_by_state": {state: coupons_by_state.get(state, 0) for state in Coupon.State.values},
        "protection_payouts": ProtectionPayout.objects.count(),
    }
