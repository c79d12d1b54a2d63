"""买贵必赔 claims in tests: an order of an enrolled SKU, the feed's offer of the same product (or another),
and the evidence a buyer sends. Enrollment and feed rows are made directly, as their own services would."""

from datetime import timedelta

from anxin.core import clock
from anxin.guarantee import platforms
from anxin.guarantee.models import Campaign, Enrollment, Offer, OfferCapture
from anxin.guarantee.services import claims
from anxin.orders.models import Order
from tests import factories as f

TITLE = "索尼 WH-1000XM5 无线降噪耳机 黑色"
BRAND = "索尼"
URL = "https://item.jd.com/100012345.html"


def enroll(sku, *, multiplier: int = 1, source: str = Enrollment.Source.MERCHANT, starts_at=None) -> Enrollment:
    now = clock.now()
    campaign = None
    if source == Enrollment.Source.CAMPAIGN:
        campaign = Campaign.objects.create(
            name="双倍赔",
            multiplier=multiplier,
            starts_at=now - timedelta(days=30),
            ends_at=now + timedelta(days=30),
            created_by=f.ops(),
            created_at=now,
        )
    return Enrollment.objects.create(
        sku=sku,
        source=source,
        campaign=campaign,
        multiplier=multiplier,
        starts_at=starts_at or now - timedelta(days=10),
        created_by=f.ops(),
        created_at=now,
    )


def enrolled_order(
    *, price_fen: int = 10000, quantity: int = 2, buyer=None, enrolled: bool = True, **enrollment
) -> Order:
    """A paid order of one line of an enrolled SKU titled like the feed's offer."""
    item = f.product(price_fen=price_fen, title=TITLE, brand=BRAND)
    if enrolled:
        enroll(item.skus.get(), **enrollment)
    return f.paid_checkout(buyer, lines=[(item.skus.get(), quantity)]).orders.get()


def offer(
    *,
    price_fen: int = 9000,
    shipping_fen: int = 0,
    price_type: str = "regular",
    title: str = TITLE,
    model: str = "WH-1000XM5",
    url: str = URL,
    age: timedelta = timedelta(hours=1),
) -> Offer:
    """The feed's listing with one capture `age` old."""
    captured_at = clock.now() - age
    listing = Offer.objects.create(
        platform="jd",
        url=platforms.url_key(url),  # as the feed import keeps it
        title=title,
        brand=BRAND,
        model=model,
        price_fen=price_fen,
        shipping_fen=shipping_fen,
        price_type=price_type,
        captured_at=captured_at,
    )
    OfferCapture.objects.create(
        offer=listing, price_fen=price_fen, shipping_fen=shipping_fen, price_type=price_type, captured_at=captured_at
    )
    return listing


def evidence(**changes) -> claims.Evidence:
    fields = {
        "platform": "jd",
        "url": URL,
        "title": TITLE,
        "price_seen": "90.00",
        "spec_text": "",
        "pay_to": "original",
    }
    return claims.Evidence(**{**fields, **changes})


def file(order: Order, *, key: str = "c-1", screenshots=(), buyer=None, **changes):
    return claims.open_claim(
        buyer or order.buyer, order.pk, order.lines.get().pk, evidence(**changes), list(screenshots), key
    )
