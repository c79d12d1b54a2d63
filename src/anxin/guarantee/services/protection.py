"""价保 (RULES §6): when a SKU's list price drops, the buyers who paid more within their window get the
difference, paid by the merchant, automatically and on a one-click claim, through one code path (`_pay`).

Each payment is one line, locked in the one lock order (checkout -> payment -> order -> line) and assessed
again under the lock, then paid once: a `ProtectionPayout` unique on (line, lowest price) and a payout whose
key (`protection:<line>:<lowest>`) names its ledger posting. So two workers, or a worker and a click, pay a
price drop once, and several drops pay down to the lowest price, never more."""

from django.db import transaction
from django.utils.translation import gettext as _

from anxin.catalog import services as catalog
from anxin.core import clock, events, ledger
from anxin.core.errors import Conflict, NotFound
from anxin.core.permissions import require_role
from anxin.core.rules import Message
from anxin.guarantee import rules_protection as rules
from anxin.guarantee.models import ProtectionPayout
from anxin.guarantee.queries import protection as queries
from anxin.orders import services as orders
from anxin.orders.models import OrderLine
from anxin.payments import services as payments

PRICE_DROPPED = catalog.PRICE_DROPPED
PAYOUT_REASON = "price_protection"


class NothingOwed(Conflict):
    """A line owed nothing now, with the reason in the buyer's words (its `code` is the rule's)."""

    def __init__(self, refusal: Message):
        super().__init__(refusal, code=refusal.code)


def protect_after_drop(sku_id: int) -> None:
    """The worker's handler of `catalog.price_dropped`: pay every line of the SKU the drop left owed. A line
    that another worker or the buyer's click paid in the meantime is owed nothing any more and is left."""
    for line_id in queries.owed_after_drop(sku_id, clock.now()):
        try:
            _pay(line_id, ProtectionPayout.Trigger.AUTO)
        except NothingOwed:
            continue


def claim_protection(buyer, order_id: int, line_id: int) -> ProtectionPayout:
    """申请价保: the buyer's own line (another's is 404) is paid what it is owed now, exactly as the worker
    would pay it; nothing owed is a 409 saying why (not lower, already paid, window over ...)."""
    require_role(buyer, "buyer")
    order = orders.own_order(buyer, order_id)
    if not order.lines.filter(pk=line_id).exists():
        raise NotFound(_("找不到这件商品。"))
    return _pay(line_id, ProtectionPayout.Trigger.BUYER, actor=buyer)


def _pay(line_id: int, trigger: str, *, actor=None) -> ProtectionPayout:
    """Pay what the line is owed now, once, or refuse with `NothingOwed`."""
    with transaction.atomic():
        order_id = OrderLine.objects.values_list("order_id", flat=True).get(pk=line_id)
        order = orders.lock_order(order_id)
        # The line only: locking its product too would wait on a merchant changing a price, who waits on
        # the price-drop deadline this worker holds.
        lines = OrderLine.objects.select_for_update(of=("self",)).select_related("product", "order")
        line = lines.get(pk=line_id)
        state = queries.assess_line(line, clock.now())
        if state is None:
            raise NothingOwed(rules.NOT_OFFERED)
        owed = state.assessment
        if owed.refusal is not None:
            raise NothingOwed(owed.refusal)
        payment = order.checkout.payment
        if payment is None:  # never for a paid order, which is all that can be owed
            raise NothingOwed(rules.NOT_ELIGIBLE)
        payer = ledger.merchant_payable(order.merchant_id)
        refund = payments.request_payout(
            payment,
            owed.owed_fen,
            key=rules.payout_key(line.pk, owed.lowest_fen),
            reason=PAYOUT_REASON,
            source=payer,
            detail={"order_id": order.pk, "line_id": line.pk, "lowest_unit_fen": owed.lowest_fen},
            actor=actor,
        )
        orders.record_compensation(line.pk, owed.owed_fen, paid_from=payer)
        payout = ProtectionPayout.objects.create(
            line=line,
            buyer_id=order.buyer_id,
            lowest_unit_fen=owed.lowest_fen,
            amount_fen=owed.owed_fen,
            trigger=trigger,
            refund=refund,
            created_at=clock.now(),
        )
        events.record(
            "protection.paid",
            payout,
            {
                "order_id": order.pk,
                "line_id": line.pk,
                "amount_fen": payout.amount_fen,
                "lowest_unit_fen": payout.lowest_unit_fen,
                "trigger": trigger,
                "refund_id": refund.pk,
            },
            actor=actor,
        )
    return payout
