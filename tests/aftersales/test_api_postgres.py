"""PostgreSQL: after-sales money moves once, however many callers race for it.

- The same refund request sent 20 times at once with one `Idempotency-Key`: one refund, 20 identical answers.
- Two workers and the merchant acting on the same case the moment its deadline passes: one outcome, one refund.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from anxin.aftersales import rules, services
from anxin.aftersales.models import Case, Evidence
from anxin.core import clock, deadlines
from anxin.core.errors import AnxinError
from anxin.core.models import Deadline, Event
from anxin.fulfilment import services as fulfilment
from anxin.payments.models import Refund
from tests import factories as f
from tests.aftersales.conftest import ask, delivered, paid_order, tracking
from tests.postgres import at_once, require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CALLERS = 20


@pytest.fixture(autouse=True)
def _needs_postgres():
    require_postgres()
    fulfilment.ensure_builtin_carriers()


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def canonical(body: Any) -> str:
    """An answer as comparable text (PostgreSQL's jsonb keeps a stored answer's keys in its own order)."""
    return json.dumps(body, sort_keys=True)


def test_an_accepted_offer_sent_twenty_times_with_one_key_refunds_once():
    case = ask(delivered(paid_order()), rules.REFUND_ONLY, rules.NOT_AS_DESCRIBED)
    services.offer(f.staff(case.merchant), case.pk, 1000)
    clients = [f.api_client(case.buyer) for _ in range(CALLERS)]

    def accept(i: int):
        response = f.post_json(clients[i], f"/api/aftersales/{case.pk}/accept-offer", **{"Idempotency-Key": "take-it"})
        return response.status_code, canonical(response.json())

    answers = at_once(CALLERS, accept)
    assert {status for status, _body in answers} == {200}, answers
    assert len({body for _status, body in answers}) == 1
    assert Refund.objects.count() == 1
    case.refresh_from_db()
    assert (case.state, case.refunded_fen) == (rules.REFUNDED, 1000)
    assert Event.objects.filter(kind="case.accept_offer", subject_id=case.pk).count() == 1
    call_command("audit")  # exits non-zero on any breach


def test_a_rotten_refund_opened_twenty_times_with_one_key_makes_one_case_one_refund_and_keeps_one_photo():
    order = delivered(paid_order(is_fresh=True, price_fen=5000))
    line = order.lines.get()
    clients = [f.api_client(order.buyer) for _ in range(CALLERS)]
    photo = f.picture()

    def open_rotten(i: int):
        form = {"kind": "refund_only", "reason": "rotten", "lines": f'{{"{line.pk}": 2}}', "images": [f.upload(photo)]}
        response = clients[i].post(
            f"/api/orders/{order.pk}/aftersales/images", form, headers={"Idempotency-Key": "rotten-1"}
        )
        return response.status_code, canonical(response.json())

    answers = at_once(CALLERS, open_rotten)
    assert {status for status, _body in answers} == {201}, answers
    assert len({body for _status, body in answers}) == 1
    assert (Case.objects.count(), Refund.objects.count(), Evidence.objects.count()) == (1, 1, 1)
    assert len(stored_files()) == 3  # the duplicates' pictures were discarded with their refusals
    call_command("audit")


def waiting_for_approval() -> tuple[Case, str]:
    return ask(delivered(paid_order()), rules.REFUND_ONLY, rules.QUALITY), "approve"


def waiting_for_receipt() -> tuple[Case, str]:
    """A return above ¥1,500 (no instant refund): the merchant's receipt, or its silence, refunds it."""
    case = ask(delivered(paid_order(price_fen=75001)), rules.RETURN_REFUND, rules.NO_REASON)
    services.approve(f.staff(case.merchant), case.pk)
    return services.ship_return(case.buyer, case.pk, carrier="顺丰速运", tracking_number=tracking()), "receive"


@pytest.mark.parametrize("waiting", [waiting_for_approval, waiting_for_receipt], ids=["approve", "receive"])
def test_two_workers_and_the_merchant_at_the_deadline_make_one_outcome_and_one_refund(waiting):
    case, action = waiting()
    staff = f.staff(case.merchant)
    assert case.due_at is not None and case.refund_id is None
    clock.advance(case.due_at - clock.now())  # the very moment the merchant's time runs out

    def act(i: int) -> str:
        if i == 2:
            try:
                getattr(services, action)(staff, case.pk)
                return "merchant"
            except AnxinError as refused:
                return refused.code
        return f"worker:{deadlines.run_due(limit=10)}"

    outcomes = at_once(3, act)
    case.refresh_from_db()
    refunds = Refund.objects.exclude(key__endswith=":postage")  # 退货补运费 is paid out as a refund row too
    assert (case.state, refunds.count()) == (rules.REFUNDED, 1), outcomes
    assert Refund.objects.filter(key__endswith=":postage").count() == (action == "receive")
    assert Event.objects.filter(kind=f"case.{action}", subject_id=case.pk).count() == 1
    deadline = Deadline.objects.get(kind=services.DUE, subject_id=case.pk)
    assert deadline.state in {Deadline.State.DONE, Deadline.State.CANCELLED}, outcomes
    assert not Deadline.objects.filter(attempts__gt=0).exists(), outcomes  # nobody deadlocked nor failed
    call_command("audit")
