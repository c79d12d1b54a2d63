"""PostgreSQL: the same claim sent 20 times at once is one claim and one payout; claims from one buyer racing
each other never pass the caps."""

import pytest

from anxin.core import clock, config
from anxin.guarantee.models import Claim
from anxin.guarantee.services import claims
from anxin.payments.models import Refund
from tests import factories as f
from tests.guarantee.claims_support import enrolled_order, file, offer
from tests.guarantee.protection_support import assert_audit_clean
from tests.postgres import at_once, require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    require_postgres()
    clock.freeze()
    yield


def test_the_same_claim_sent_20_times_at_once_is_one_claim_and_one_payout():
    order = enrolled_order(price_fen=10000, quantity=2)
    offer(price_fen=9000)
    claims = at_once(20, lambda i: file(order, key="same").pk)
    assert len(set(claims)) == 1
    assert Claim.objects.count() == 1 and Claim.objects.get().state == "approved"
    assert list(Refund.objects.filter(kind="payout").values_list("amount_fen", flat=True)) == [2000]
    assert order.lines.get().compensated_fen == 2000
    assert_audit_clean()


def test_20_keys_on_one_line_at_once_pay_the_line_once():
    order = enrolled_order()
    offer(price_fen=9000)

    def claim(i: int) -> str:
        try:
            return file(order, key=f"k{i}").state
        except Exception as refused:  # noqa: BLE001 (a refusal is an answer here)
            return getattr(refused, "code", "error")

    states = at_once(20, claim)
    assert states.count("approved") == 1, states
    assert Refund.objects.filter(kind="payout").count() == 1
    assert_audit_clean()


def test_one_buyers_claims_racing_on_many_orders_stay_under_the_money_cap():
    config.set_value("guarantee.max_paid_fen", 3000)
    buyer = f.buyer()
    orders = [enrolled_order(buyer=buyer) for _ in range(4)]
    for i in range(4):
        offer(url=f"https://item.jd.com/{i}.html")

    def claim(i: int) -> int:
        return file(orders[i], key=f"c{i}", url=f"https://item.jd.com/{i}.html").compensation_fen

    paid = at_once(4, claim)
    assert sum(paid) <= 3000, paid


def test_two_ops_deciding_one_claim_at_once_and_the_worker_at_its_deadline_give_one_decision():
    order = enrolled_order(price_fen=10000, quantity=1)
    claim = file(order, price_seen="90.00")  # not in the feed: a person decides
    assert claim.state == "review"
    ops = f.ops()

    def decide(i: int) -> str:
        try:
            if i == 2:
                claims.review_due(claim.pk)
                return "worker"
            done = claims.approve(ops, claim.pk) if i == 0 else claims.reject(ops, claim.pk, "会员价")
            return done.state
        except Exception as refused:  # noqa: BLE001 (a refusal is an answer here)
            return getattr(refused, "code", repr(refused))

    answers = at_once(3, decide)
    assert sorted(answers) == sorted([*{"approved", "rejected"} & set(answers), "claim_not_in_review", "worker"])
    decided = Claim.objects.get(pk=claim.pk)
    assert decided.state in {"approved", "rejected"}
    assert Refund.objects.filter(kind="payout").count() == (1 if decided.state == "approved" else 0)
    assert_audit_clean()
