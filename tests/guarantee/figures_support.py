"""Claims and 价保 payouts with known outcomes and times, for the programme's figures and their page."""

from datetime import datetime, timedelta

from django.utils import timezone

from anxin.core import clock, ledger
from anxin.guarantee.models import Claim
from tests.guarantee.protection_support import protected_order, run_worker, set_price

MINUTE = timedelta(minutes=1)
NOON = timezone.make_aware(datetime(2026, 11, 20, 12, 0))  # Beijing


def claim(order, state: str, *, after: timedelta | None, by: str = "", fen: int = 0, to: str = "", code: str = ""):
    """A claim filed now on the order's line, decided `after` later (None: still in review, due in 48 h)."""
    now = clock.now()
    return Claim.objects.create(
        buyer=order.buyer,
        order=order,
        line=order.lines.get(),
        key=f"k-{Claim.objects.count()}",
        platform="jd",
        url="https://item.jd.com/1.html",
        url_key="item.jd.com/1.html",
        title="同款",
        price_seen_fen=100,
        state=state,
        decided_by=by,
        decided_at=None if after is None else now + after,
        due_at=now + timedelta(hours=48) if after is None else None,
        compensation_fen=fen,
        charged_to=to,
        reason_code=code,
        created_at=now,
    )


def build_world() -> dict:
    """Four claims on 11-20 (Beijing) and one on 11-18; one price drop paying 价保 on two orders of one shop:
    A approved at once by the system, 500 fen from the platform;  B approved by ops after 3 h, 300 fen from
    the merchant;  C rejected at once (not lower);  D in review;  E (11-18) rejected at once (not enrolled)."""
    a, b, c, d, e = (protected_order(price_fen=10000, quantity=1) for _ in range(5))
    claim(a, "approved", after=MINUTE, by="auto", fen=500, to=ledger.PLATFORM_COMPENSATION)
    claim(b, "approved", after=timedelta(hours=3), by="ops", fen=300, to=ledger.merchant_payable(b.merchant_id))
    claim(c, "rejected", after=MINUTE, by="auto", code="claim_not_lower")
    claim(d, "review", after=None)
    clock.advance(-timedelta(days=2))
    claim(e, "rejected", after=MINUTE, by="auto", code="claim_not_enrolled")
    clock.advance(timedelta(days=2))
    set_price(b, 9000)  # b's line gets 1,000 fen of 价保 from its merchant, automatically
    run_worker()
    return {"a": a, "b": b}
