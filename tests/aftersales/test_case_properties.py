"""Hypothesis drives buyer, merchant, ops, carrier and clock actions over the cases of one order's lines.

The state machine of `rules.ACTIONS` predicts every step: an action its taker may take from the case's state
must succeed; any other is refused with its code and leaves no trace. After every step: no line got back more
than was paid for it, no line has two open cases, no waiting case is left past its deadline once the worker
ran, and `anxin audit` finds nothing.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from anxin.aftersales import rules, services
from anxin.aftersales.models import Case, CaseLine
from anxin.core import audit, clock, config, deadlines, ledger
from anxin.core.errors import AnxinError
from anxin.core.models import Event, LedgerTransaction
from anxin.orders.models import OrderLine
from anxin.payments.models import Refund
from tests import factories as f
from tests import stateful
from tests.aftersales.conftest import scan_delivered, shipped, tracking

pytestmark = pytest.mark.django_db

ROLES = {"buyer": rules.BUYER, "staff": rules.MERCHANT, "ops": rules.OPS}
STEPS = [timedelta(hours=1), timedelta(hours=48), timedelta(days=7), timedelta(days=10)]
OPEN_REFUSALS = {
    "case_already_open",
    "too_many_cases",
    "nothing_to_refund",
    "window_passed",
    "not_fresh",
    "photo_required",
    "no_reason_needs_return",
    "reason_not_for_type",
    "already_shipped",
    "amount_above_limit",
}


class Cases(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        clock.freeze(clock.now().replace(microsecond=0))
        shop = f.merchant()
        items = [
            f.product(shop, price_fen=2000),
            f.product(shop, price_fen=90000),
            f.product(shop, price_fen=3000, is_fresh=True),
        ]
        self.order = f.paid_checkout(lines=[(item.skus.first(), 2) for item in items]).orders.get()
        shipped(self.order)
        scan_delivered(self.order.shipment.legs.get(number=1).tracking_number)
        self.people = {"buyer": self.order.buyer, "staff": f.staff(shop), "ops": f.ops()}
        self.lines = list(self.order.lines.order_by("pk"))
        self.open_legs: list[str] = []

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)
        clock.reset()
        config.invalidate()
        ledger.forget_cached_accounts()

    def _snapshot(self) -> tuple:
        return (
            list(Case.objects.order_by("pk").values_list("pk", "state", "refunded_fen", "due_at")),
            Refund.objects.count(),
            LedgerTransaction.objects.count(),
            Event.objects.count(),
        )

    def _refused(self, action, codes: set[str]) -> None:
        before = self._snapshot()
        with pytest.raises(AnxinError) as caught:
            action()
        assert caught.value.code in codes, caught.value.message
        assert self._snapshot() == before

    @rule(
        line=st.integers(0, 2),
        kind=st.sampled_from([k for k in rules.TYPES if k != rules.REFUND_UNSHIPPED]),
        reason=st.sampled_from(rules.REASONS),
        quantity=st.integers(1, 2),
        photo=st.booleans(),
    )
    def buyer_opens_a_case(self, line, kind, reason, quantity, photo):
        request = services.Request(kind=kind, reason=reason, lines={self.lines[line].pk: quantity})
        uploads = [f.upload()] if photo else []
        before = self._snapshot()
        try:
            services.open_case(self.people["buyer"], self.order.pk, request, uploads)
        except AnxinError as refused:
            assert refused.code in OPEN_REFUSALS, refused.message
            assert self._snapshot() == before

    @precondition(lambda self: Case.objects.exists())
    @rule(
        index=st.integers(0, 20),
        action=st.sampled_from(sorted(set(rules.ACTIONS) - set(rules.DEFAULTS.values()) | {"approve", "receive"})),
        who=st.sampled_from(sorted(ROLES)),
    )
    def someone_acts(self, index, action, who):
        cases = list(Case.objects.order_by("pk"))
        case = cases[index % len(cases)]
        takers, starts = rules.ACTIONS[action]
        legal = ROLES[who] in takers and case.state in starts
        if action == "ship_replacement":
            legal = legal and case.kind in rules.WITH_REPLACEMENT
        if action == "offer":
            legal = legal and case.asked_fen >= 2
        step = self._step(action, self.people[who], case)
        if legal:
            step()
        else:
            codes = {"illegal_transition", "not_your_turn", "invalid_offer"}
            self._refused(step, codes | ({"forbidden"} if action == "rule" and who != "ops" else set()))

    @precondition(lambda self: Case.objects.filter(state__in=list(rules.OPEN)).exists())
    @rule(index=st.integers(0, 20), data=st.data())
    def the_party_whose_turn_it_is_acts(self, index, data):
        """Most random steps are illegal; this one walks cases forward, so every state is reached."""
        cases = list(Case.objects.filter(state__in=list(rules.OPEN)).order_by("pk"))
        case = cases[index % len(cases)]
        possible = [
            (action, who)
            for action, (takers, starts) in sorted(rules.ACTIONS.items())
            for who, role in sorted(ROLES.items())
            if role in takers
            and case.state in starts
            and action not in rules.DEFAULTS.values()
            and (action != "ship_replacement" or case.kind in rules.WITH_REPLACEMENT)
            and (action != "offer" or case.asked_fen >= 2)
        ]
        if case.state == rules.RETURN_SHIPPED:
            possible.append(("receive", "staff"))
        if possible:
            action, who = data.draw(st.sampled_from(possible))
            self._step(action, self.people[who], case)()

    def _step(self, action: str, user, case: Case):
        pk = case.pk
        number = tracking()
        steps = {
            "approve": lambda: services.approve(user, pk),
            "reject": lambda: services.reject(user, pk, "不同意"),
            "offer": lambda: services.offer(user, pk, max(case.asked_fen // 2, 1)),
            "accept_offer": lambda: services.accept_offer(user, pk),
            "decline_offer": lambda: services.decline_offer(user, pk),
            "ship_return": lambda: self._shipped(services.ship_return, user, pk, number),
            "receive": lambda: services.receive(user, pk),
            "ship_replacement": lambda: self._shipped(services.ship_replacement, user, pk, number),
            "convert_to_refund": lambda: services.convert_to_refund(user, pk),
            "confirm_replacement": lambda: services.confirm_replacement(user, pk),
            "escalate": lambda: services.escalate(user, pk, "请平台处理"),
            "rule": lambda: services.rule(user, pk, ruling=("refund", "merchant", "abuse")[pk % 3], note="裁决"),
            "withdraw": lambda: services.withdraw(user, pk),
        }
        return steps[action]

    def _shipped(self, ship, user, pk: int, number: str) -> None:
        ship(user, pk, carrier="顺丰速运", tracking_number=number)
        self.open_legs.append(number)

    @precondition(lambda self: self.open_legs)
    @rule(index=st.integers(0, 20))
    def carrier_scans_a_leg_delivered(self, index):
        number = self.open_legs.pop(index % len(self.open_legs))
        assert scan_delivered(number) in {"return_delivered", "replacement_delivered", ""}

    @rule(step=st.sampled_from(STEPS))
    def time_passes_and_the_worker_runs(self, step):
        now = clock.advance(step)
        deadlines.run_due(limit=1000)
        late = Case.objects.filter(state__in=list(rules.DEFAULTS), due_at__lte=now)
        assert not late.exists(), list(late.values_list("number", "state", "due_at"))

    @invariant()
    def no_line_gets_back_more_than_was_paid(self):
        assert not OrderLine.objects.filter(refunded_fen__gt=F("total_fen")).exists()
        for case in Case.objects.exclude(refund=None).exclude(kind=rules.REFUND_UNSHIPPED).select_related("refund"):
            asked = dict(case.lines.values_list("order_line_id", "amount_fen"))
            granted = {int(k): v for k, v in case.refund.detail["lines"].items()}
            assert all(fen <= asked[line_id] for line_id, fen in granted.items())

    @invariant()
    def a_line_has_at_most_one_open_case_and_only_open_cases_hold_it(self):
        for line in CaseLine.objects.select_related("case"):
            assert line.open == (line.case.state in rules.OPEN)

    @invariant()
    def the_audit_finds_nothing(self):
        assert {name: problems for name, problems in audit.run_all().items() if problems} == {}


def test_random_case_histories_follow_the_state_machine_and_keep_every_invariant(settings):
    run_state_machine_as_test(
        Cases,
        settings=stateful.database_machine(examples=15, steps=25),
    )
