"""After-sales cases (RULES §5): the only code that changes them.

Every step goes through `_advance`, which checks the step against the state machine in `rules`, moves the
case, arms (or clears) the deadline of its new state and records the event, in the caller's transaction.
Money moves through `orders.refund_lines` (one refund per case, key `aftersales:<case>`), so a case can never
give back more than was paid for its lines less what they already got.

Locks, in this order: the return or replacement leg (when a scan or a person confirms it) -> the case ->
checkout -> payment -> order (`orders.refund_lines`). A new case locks its order the same way first.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anxin.aftersales import queries, rules
from anxin.aftersales.models import Case, CaseEntry, CaseLine, Evidence
from anxin.core import clock, deadlines, events, images, ledger
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.permissions import require_login, require_role
from anxin.core.text import clean_text
from anxin.fulfilment import services as fulfilment
from anxin.geo.data import REMOTE_PROVINCE_CODES
from anxin.orders import rules as order_rules
from anxin.orders import services as orders
from anxin.orders.models import Order, OrderLine
from anxin.payments import services as payments
from anxin.payments.models import Refund

DUE = "aftersales.due"
EVIDENCE_FOLDER = "aftersales"
ROLE_OF = {"buyer": rules.BUYER, "merchant_staff": rules.MERCHANT, "ops": rules.OPS}


# --- who is asking -----------------------------------------------------------------------------------------


def role_of(user) -> str:
    """The case-side a person acts for; anyone else has no case to see."""
    role = ROLE_OF.get(require_login(user).role)
    if role is None:
        raise NotFound(_("找不到这个售后单。"))
    return role


def visible_case(user, case_id: int, *, lock: bool = False) -> Case:
    """The case if `user` is its buyer, staff of its merchant, or ops; otherwise 404, as if it did not exist."""
    query = queries.cases_visible_to(user).filter(pk=case_id)
    if lock:
        deadlines.hold(DUE, case_id)
    case = (query.select_for_update(of=("self",)) if lock else query).first()  # the refund join is an outer one
    if case is None:
        raise NotFound(_("找不到这个售后单。"))
    return case


# --- opening a case ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What a buyer asks for, as the form or the API sent it (checked by `open_case`)."""

    kind: Any
    reason: Any
    lines: Mapping[Any, Any]  # order line id -> quantity
    amount_fen: Any = None
    description: Any = ""


def open_case(buyer, order_id: int, request: Request, uploads: Iterable[Any] = ()) -> Case:
    """A buyer asks for after-sales on lines of one of their orders. Refused requests write nothing and keep
    no file; an unshipped cancel and 坏了包退 within its limits are approved and refunded on the spot."""
    require_role(buyer, "buyer")
    kind = _choice(request.kind, rules.TYPES, "kind")
    unshipped_without_reason = kind == rules.REFUND_UNSHIPPED and request.reason in (None, "")
    reason = rules.OTHER if unshipped_without_reason else _choice(request.reason, rules.REASONS, "reason")
    description = clean_text(
        request.description, field="description", max_length=rules.DESCRIPTION_MAX, required=False, multiline=True
    )
    uploads = list(uploads)
    _refuse_evidence_count(0, len(uploads))
    _refuse(rules.rotten_photo_problem(reason, len(uploads)), "images")
    owned_order = orders.own_order(buyer, order_id)
    stored: list[images.StoredImage] = []
    with images.discarding_on_failure(stored):
        stored.extend(images.store_image(upload, folder=f"{EVIDENCE_FOLDER}/{owned_order.pk}") for upload in uploads)
        with transaction.atomic():
            order = orders.lock_order(owned_order.pk)
            asked = _asked_lines(order, kind, reason, request.lines, request.amount_fen)
            case = _create(order, buyer, kind, reason, description, asked)
            if stored:
                _add_entry(case, buyer, rules.BUYER, description, stored)
            _decide_at_once(case, asked, photos=len(stored))
    return case


def _choice(value: Any, allowed: Iterable[str], field: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        message = _("请选择售后类型。") if field == "kind" else _("请选择售后原因。")
        raise AnxinError(message, code=f"invalid_{field}", fields={field: message})
    return value


def _refuse(problem, field: str) -> None:
    if problem is not None:
        raise AnxinError(problem, code=problem.code, fields={field: problem})


def _refuse_evidence_count(existing: int, adding: int) -> None:
    if existing + adding > rules.MAX_EVIDENCE:
        message = _("凭证图片最多 %(n)d 张。") % {"n": rules.MAX_EVIDENCE}
        raise AnxinError(message, code="too_many_images", fields={"images": message})


@dataclass(frozen=True)
class _Asked:
    lines: dict[int, tuple[OrderLine, int, int]]  # line id -> (line, quantity, fen)
    personalised: bool
    made: bool

    @property
    def total_fen(self) -> int:
        return sum(fen for _line, _q, fen in self.lines.values())


def _asked_lines(order: Order, kind: str, reason: str, wanted: Mapping[Any, Any], amount: Any) -> _Asked:
    """The lines asked for, each checked against the rules as they stand now (windows, limits, open cases)."""
    quantities = _quantities(wanted)
    by_id = {line.pk: line for line in order.lines.select_related("product").order_by("pk")}
    if kind == rules.REFUND_UNSHIPPED:
        quantities = {line_id: line.quantity for line_id, line in by_id.items()}  # the whole order is cancelled
    if not quantities:
        raise AnxinError(_("请选择要售后的商品。"), code="no_lines", fields={"lines": _("请选择要售后的商品。")})
    if set(quantities) - set(by_id):
        raise NotFound(_("这个订单中没有这件商品。"), fields={"lines": _("这个订单中没有这件商品。")})
    now = clock.now()
    counts = queries.case_counts([*quantities])
    for line_id in quantities:
        facts = queries.line_facts(order, by_id[line_id], counts.get(line_id, (0, False)))
        problem = rules.line_problem(facts) or rules.type_problem(kind, facts, now)
        _refuse(problem or rules.reason_problem(reason, kind, facts, now), "lines" if problem else "reason")
    asked = [
        rules.AskedLine(
            line_id,
            quantity,
            by_id[line_id].quantity,
            by_id[line_id].unit_price_fen,
            queries.refundable(by_id[line_id]),
        )
        for line_id, quantity in quantities.items()
    ]
    try:
        amounts = rules.line_amounts(asked, None if amount in (None, "") else _fen(amount))
    except rules.Refused as refused:
        raise AnxinError(refused.problem, code=refused.problem.code, fields={"amount_fen": refused.problem}) from None
    chosen = [by_id[line_id] for line_id in quantities]
    return _Asked(
        {line_id: (by_id[line_id], quantities[line_id], amounts.lines.get(line_id, 0)) for line_id in quantities},
        personalised=any(line.answers for line in chosen),
        made=any(line.answers and line.made_at for line in chosen),
    )


def _quantities(wanted: Mapping[Any, Any]) -> dict[int, int]:
    try:
        return {int(line_id): int(quantity) for line_id, quantity in dict(wanted).items() if int(quantity) > 0}
    except (TypeError, ValueError):
        message = _("数量须是整数。")
        raise AnxinError(message, code="invalid_quantity", fields={"lines": message}) from None


def _fen(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise AnxinError(_("金额须是整数分。"), code="invalid_amount", fields={"amount_fen": _("金额须是整数分。")})
    try:
        return int(value)
    except ValueError:
        raise AnxinError(
            _("金额须是整数分。"), code="invalid_amount", fields={"amount_fen": _("金额须是整数分。")}
        ) from None


def _create(order: Order, buyer, kind: str, reason: str, description: str, asked: _Asked) -> Case:
    now = clock.now()
    case = Case.objects.create(
        number=queries.new_case_number(now),
        order=order,
        buyer=buyer,
        merchant_id=order.merchant_id,
        kind=kind,
        reason=reason,
        state=rules.PENDING_MERCHANT,
        description=description,
        asked_fen=max(asked.total_fen, 1),
        created_at=now,
        state_since=now,
        due_at=rules.due_at(rules.PENDING_MERCHANT, now),
    )
    try:
        with transaction.atomic():
            CaseLine.objects.bulk_create(
                [
                    CaseLine(case=case, order_line=line, quantity=q, amount_fen=fen)
                    for line, q, fen in asked.lines.values()
                ]
            )
    except IntegrityError:
        raise Conflict(_("这件商品已有一个处理中的售后申请，请在那里继续。"), code="case_already_open") from None
    events.record(
        "case.opened",
        case,
        {"kind": kind, "reason": reason, "asked_fen": case.asked_fen, "order_id": order.pk},
        actor=buyer,
    )
    return case


def _decide_at_once(case: Case, asked: _Asked, *, photos: int) -> None:
    """No merchant needed (unshipped cancel, 坏了包退): approved and refunded now; otherwise the merchant has
    48 hours. A made personalised line goes to the merchant, and the buyer is told why."""
    if rules.approved_at_once(case.kind, case.reason, amount_fen=case.asked_fen, photos=photos, made=asked.made):
        case.approved_at_once = True
        _advance(case, "approve", actor=None, role=rules.NOBODY)
        return
    assert case.due_at is not None  # a new case waits for its merchant
    deadlines.schedule_new(DUE, case.pk, case.due_at)
    if case.kind == rules.REFUND_UNSHIPPED and asked.made:
        events.record("case.needs_merchant", case, {"why": "personalised_made"})


# --- the state machine ---------------------------------------------------------------------------------------


def _check(case: Case, action: str, role: str) -> None:
    try:
        rules.check_action(action, kind=case.kind, state=case.state, role=role)
    except rules.Refused as refused:
        raise Conflict(refused.problem, code=refused.problem.code) from None


def _advance(case: Case, action: str, *, actor, role: str, **detail: Any) -> Case:
    """Take `action` on a locked case: check it, apply its effect, move to the new state with its deadline."""
    _check(case, action, role)
    new_state = EFFECTS[action](case, actor, detail)
    _enter(case, new_state)
    events.record(f"case.{action}", case, {"state": new_state, "by": role or "system", **_plain(detail)}, actor=actor)
    return case


def _plain(detail: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in detail.items() if isinstance(value, str | int | bool) or value is None}


def _enter(case: Case, state: str) -> None:
    now = clock.now()
    case.state, case.state_since, case.due_at = state, now, rules.due_at(state, now)
    if state in rules.FINAL:
        case.closed_at = now
        case.lines.update(open=False)
    case.save()
    if rules.is_defaulted(state) and case.due_at is not None:
        deadlines.schedule(DUE, case.pk, case.due_at)
    else:
        deadlines.cancel(DUE, case.pk)


def _approve(case: Case, actor, detail: dict) -> str:
    state = rules.after_approval(case.kind)
    case.auto_approved = detail.get("auto", False)
    if state == rules.REFUNDED:
        _refund(case, case_amounts(case), actor=actor)
    return state


def _reject(case: Case, actor, detail: dict) -> str:
    """A rejection after 极速退款 (the return came back wrong) goes straight to ops: the buyer already has the
    money, so would never escalate, and the platform that advanced it must decide who bears it."""
    case.reject_reason = detail["why"]
    if _outstanding_advance(case) is not None:
        return _escalate(case, actor, detail)
    return rules.REJECTED


def _offer(case: Case, actor, detail: dict) -> str:
    case.offer_fen = detail["offer_fen"]
    return rules.OFFERED


def _accept_offer(case: Case, actor, detail: dict) -> str:
    _refund(case, rules.scale(case_amounts(case), case.offer_fen or 0), actor=actor)
    return rules.REFUNDED


def _decline_offer(case: Case, actor, detail: dict) -> str:
    for field, value in _quiet_changes("decline_offer").items():
        setattr(case, field, value)
    return rules.QUIET_DEFAULTS[rules.OFFERED]


def _quiet_changes(action: str) -> dict[str, Any]:
    """What a default that moves no money changes besides the state (one place for both ways of applying it)."""
    return {"offer_fen": None, "reject_reason": _("买家未接受协商方案。")} if action == "decline_offer" else {}


def _ship_return(case: Case, actor, detail: dict) -> str:
    case.return_leg = detail["leg"]
    standing = queries.standing(case.buyer_id, clock.now())
    if rules.instant_refund_eligible(
        kind=case.kind, personalised=_personalised(case), amount_fen=case.asked_fen, standing=standing
    ):
        case.instant = True
        _refund(case, case_amounts(case), actor=actor, advance=True)
    return rules.RETURN_SHIPPED


def _receive(case: Case, actor, detail: dict) -> str:
    state = rules.after_receipt(case.kind)
    if case.refund_id is not None and case.instant:
        _recover_advance(case, actor)
    elif state == rules.REFUNDED:
        _refund(case, case_amounts(case), actor=actor)
    if case.kind == rules.RETURN_REFUND:
        _pay_postage(case)
    return state


def _ship_replacement(case: Case, actor, detail: dict) -> str:
    case.replacement_leg = detail["leg"]
    return rules.REPLACEMENT_SHIPPED


def _replacement_overdue(case: Case, actor, detail: dict) -> str:
    return rules.QUIET_DEFAULTS[rules.AWAITING_REPLACEMENT]


def _convert_to_refund(case: Case, actor, detail: dict) -> str:
    _refund(case, case_amounts(case), actor=actor)
    return rules.REFUNDED


def _confirm_replacement(case: Case, actor, detail: dict) -> str:
    if case.kind == rules.EXCHANGE:
        _pay_postage(case)
    return rules.COMPLETED


def _escalate(case: Case, actor, detail: dict) -> str:
    case.escalated_at = clock.now()
    return rules.ARBITRATION


def _rule(case: Case, actor, detail: dict) -> str:
    case.ruling, case.ruling_note, case.ruled_at = detail["ruling"], detail["note"], clock.now()
    advanced = _outstanding_advance(case)
    if advanced is not None:
        return _rule_on_advance(case, advanced, actor, detail)
    if case.ruling != Case.Ruling.REFUND:
        return rules.CLOSED
    _refund(case, rules.scale(case_amounts(case), detail["amount_fen"]), actor=actor)
    if detail.get("charge_fen"):
        _charge_merchant(case, detail["charge_fen"])
    return rules.REFUNDED


def _rule_on_advance(case: Case, advanced: Refund, actor, detail: dict) -> str:
    """A ruling on a case refunded by 极速退款: the refund stands (the buyer has it). For the buyer, the merchant
    pays it back to the platform as on receipt, with 退货补运费; for the merchant, the platform bears it."""
    if case.ruling != Case.Ruling.REFUND:
        orders.bear_advance(advanced, actor=actor)
        case.advance_recovered_at = clock.now()
        return rules.CLOSED
    _recover_advance(case, actor)
    _pay_postage(case)
    if detail.get("charge_fen"):
        _charge_merchant(case, detail["charge_fen"])
    return rules.REFUNDED


def _outstanding_advance(case: Case) -> Refund | None:
    """The case's 极速退款 while the platform has neither recovered nor borne it."""
    return case.refund if case.instant and case.advance_recovered_at is None else None


def _close(case: Case, actor, detail: dict) -> str:
    return rules.CLOSED


EFFECTS = {
    "approve": _approve,
    "reject": _reject,
    "offer": _offer,
    "accept_offer": _accept_offer,
    "decline_offer": _decline_offer,
    "ship_return": _ship_return,
    "receive": _receive,
    "ship_replacement": _ship_replacement,
    "replacement_overdue": _replacement_overdue,
    "convert_to_refund": _convert_to_refund,
    "confirm_replacement": _confirm_replacement,
    "escalate": _escalate,
    "rule": _rule,
    "withdraw": _close,
    "close_unreturned": _close,
    "close_unescalated": _close,
}


def _personalised(case: Case) -> bool:
    return any(answers for answers in case.lines.values_list("order_line__answers", flat=True))


def case_amounts(case: Case) -> dict[int, int]:
    return dict(case.lines.order_by("pk").values_list("order_line_id", "amount_fen"))


# --- money ---------------------------------------------------------------------------------------------------


def _refund(case: Case, amounts: Mapping[int, int], *, actor, advance: bool = False) -> None:
    """The case's one refund. An unshipped cancel cancels the order (its lines and shipping, stock released)."""
    order = case.order
    if case.kind == rules.REFUND_UNSHIPPED:
        orders.cancel(order.pk, reason=Order.CancelReason.BUYER, actor=actor)
        refund = payments.refund_by_key(order_rules.refund_key(order.pk, "cancel"))
        if refund is None:  # nothing was left to give back
            return
    else:
        amounts = {line_id: fen for line_id, fen in amounts.items() if fen}
        refund = orders.refund_lines(
            order,
            amounts,
            key=f"aftersales:{case.pk}",
            reason=f"aftersales_{case.reason}",
            actor=actor,
            advance=advance,
        )
    case.refund, case.refunded_fen = refund, refund.amount_fen


def _recover_advance(case: Case, actor) -> None:
    if case.refund is not None and case.advance_recovered_at is None:
        orders.recover_advance(case.refund, actor=actor)
        case.advance_recovered_at = clock.now()


def _pay_postage(case: Case) -> None:
    """退货补运费 when the return completes: the merchant pays for its own fault, else the platform's shipping
    insurance, at the fixed amount for where the buyer sent it from."""
    order = case.order
    payment = order.checkout.payment
    if payment is None or case.postage_fen:
        return
    amount = rules.return_postage_fen(
        from_province=order.province_code,
        to_province=queries.merchant_province(case.merchant_id),
        remote_provinces=REMOTE_PROVINCE_CODES,
    )
    by_merchant = rules.postage_paid_by_merchant(case.reason)
    source = ledger.merchant_payable(case.merchant_id) if by_merchant else ledger.PLATFORM_SHIPPING_INSURANCE
    payments.request_payout(
        payment,
        amount,
        key=f"aftersales:{case.pk}:postage",
        reason="return_postage",
        source=source,
        detail={"case_id": case.pk},
    )
    case.postage_fen, case.postage_by_merchant = amount, by_merchant


def _charge_merchant(case: Case, amount_fen: int) -> None:
    """A ruling may charge the merchant beyond the refund: compensation from its payable to the buyer."""
    payment = case.order.checkout.payment
    if payment is not None:
        payments.request_payout(
            payment,
            amount_fen,
            key=f"aftersales:{case.pk}:charge",
            reason="aftersales_ruling",
            source=ledger.merchant_payable(case.merchant_id),
            detail={"case_id": case.pk},
        )


# --- what people do ------------------------------------------------------------------------------------------


def _act(user, case_id: int, action: str, **detail: Any) -> Case:
    role = role_of(user)
    with transaction.atomic():
        case = visible_case(user, case_id, lock=True)
        return _advance(case, action, actor=user, role=role, **detail)


def approve(staff, case_id: int) -> Case:
    return _act(staff, case_id, "approve")


def reject(staff, case_id: int, why: Any, uploads: Iterable[Any] = ()) -> Case:
    text = clean_text(why, field="why", max_length=200)
    return _with_evidence(staff, case_id, text, uploads, lambda user, pk: _act(user, pk, "reject", why=text))


def offer(staff, case_id: int, offer_fen: Any) -> Case:
    amount = _fen(offer_fen)
    role = role_of(staff)
    with transaction.atomic():
        case = visible_case(staff, case_id, lock=True)
        _check(case, "offer", role)
        problem = rules.offer_problem(amount, case.asked_fen)
        if problem is not None:
            raise AnxinError(problem, code=problem.code, fields={"offer_fen": problem})
        return _advance(case, "offer", actor=staff, role=role, offer_fen=amount)


def accept_offer(buyer, case_id: int) -> Case:
    return _act(buyer, case_id, "accept_offer")


def decline_offer(buyer, case_id: int) -> Case:
    return _act(buyer, case_id, "decline_offer")


def withdraw(buyer, case_id: int) -> Case:
    return _act(buyer, case_id, "withdraw")


def escalate(buyer, case_id: int, text: Any, uploads: Iterable[Any] = ()) -> Case:
    why = clean_text(text, field="text", max_length=rules.MESSAGE_MAX, multiline=True)
    return _with_evidence(buyer, case_id, why, uploads, lambda user, pk: _act(user, pk, "escalate"))


def convert_to_refund(buyer, case_id: int) -> Case:
    return _act(buyer, case_id, "convert_to_refund")


def confirm_replacement(buyer, case_id: int) -> Case:
    return _act(buyer, case_id, "confirm_replacement")


def ship_return(buyer, case_id: int, *, carrier: Any, tracking_number: Any) -> Case:
    """The buyer sends the goods back: a return leg the carriers scan. An eligible case is refunded now."""
    return _ship(buyer, case_id, "ship_return", "return", carrier, tracking_number)


def ship_replacement(staff, case_id: int, *, carrier: Any, tracking_number: Any) -> Case:
    return _ship(staff, case_id, "ship_replacement", "replacement", carrier, tracking_number)


def _ship(user, case_id: int, action: str, purpose: str, carrier: Any, tracking_number: Any) -> Case:
    role = role_of(user)
    with transaction.atomic():
        case = visible_case(user, case_id, lock=True)
        _check(case, action, role)
        leg = fulfilment.open_after_sales_leg(
            case.order_id, purpose=purpose, carrier=carrier, tracking_number=tracking_number, actor=user
        )
        return _advance(case, action, actor=user, role=role, leg=leg, tracking_number=leg.tracking_number)


def receive(staff, case_id: int) -> Case:
    """The merchant confirms the return arrived: through the return leg, as a delivery scan would."""
    role = role_of(staff)
    case = visible_case(staff, case_id)
    _check(case, "receive", role)
    assert case.return_leg_id is not None  # a case waiting for its return has its leg
    fulfilment.mark_leg_delivered(case.return_leg_id, at=clock.now(), actor=staff)
    case.refresh_from_db()
    return case


def rule(staff, case_id: int, *, ruling: Any, note: Any, amount_fen: Any = None, charge_fen: Any = None) -> Case:
    """Ops decide an escalated case, finally: refund (all or part) and maybe charge the merchant, or close."""
    require_role(staff, "ops")
    choice = _choice_of(ruling, Case.Ruling.values, "ruling")
    why = clean_text(note, field="note", max_length=200)
    with transaction.atomic():
        case = visible_case(staff, case_id, lock=True)
        amount = case.asked_fen if amount_fen in (None, "") else _fen(amount_fen)
        if choice == Case.Ruling.REFUND and not 0 < amount <= case.asked_fen:
            message = _("裁决退款金额须大于 0 且不超过申请金额。")
            raise AnxinError(message, code="amount_above_limit", fields={"amount_fen": message})
        if choice == Case.Ruling.REFUND and _outstanding_advance(case) is not None and amount != case.asked_fen:
            message = _("这笔售后已极速退款，裁决支持买家时退款金额即已退金额。")
            raise Conflict(message, code="instant_refund_stands", fields={"amount_fen": message})
        charge = 0 if charge_fen in (None, "") else _fen(charge_fen)
        if charge < 0:
            raise AnxinError(_("金额须是整数分。"), code="invalid_amount", fields={"charge_fen": _("金额须是整数分。")})
        return _advance(
            case, "rule", actor=staff, role=rules.OPS, ruling=choice, note=why, amount_fen=amount, charge_fen=charge
        )


def _choice_of(value: Any, allowed: Iterable[str], field: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise AnxinError(_("请选择裁决结果。"), code=f"invalid_{field}", fields={field: _("请选择裁决结果。")})
    return value


def add_message(user, case_id: int, text: Any, uploads: Iterable[Any] = ()) -> CaseEntry:
    """Either side (or ops) adds words and pictures to an open case's timeline."""
    cleaned = clean_text(text, field="text", max_length=rules.MESSAGE_MAX, required=False, multiline=True)
    uploads = list(uploads)
    if not cleaned and not uploads:
        raise AnxinError(
            _("请填写留言或上传图片。"), code="empty_message", fields={"text": _("请填写留言或上传图片。")}
        )
    role = role_of(user)
    case = visible_case(user, case_id)
    if not case.is_open:
        raise Conflict(_("售后单已结束，不能再留言。"), code="case_closed")
    _refuse_evidence_count(case.evidence.count(), len(uploads))
    stored: list[images.StoredImage] = []
    with images.discarding_on_failure(stored):
        stored.extend(images.store_image(upload, folder=f"{EVIDENCE_FOLDER}/{case.order_id}") for upload in uploads)
        with transaction.atomic():
            locked = visible_case(user, case_id, lock=True)
            _refuse_evidence_count(locked.evidence.count(), len(stored))
            entry = _add_entry(locked, user, role, cleaned, stored)
            events.record("case.message", locked, {"by": role, "images": len(stored)}, actor=user)
    return entry


def _with_evidence(user, case_id: int, text: str, uploads: Iterable[Any], step) -> Case:
    """A step that carries words and pictures (a rejection, an escalation): both land, or neither."""
    uploads = list(uploads)
    case = visible_case(user, case_id)
    _refuse_evidence_count(case.evidence.count(), len(uploads))
    stored: list[images.StoredImage] = []
    with images.discarding_on_failure(stored):
        stored.extend(images.store_image(upload, folder=f"{EVIDENCE_FOLDER}/{case.order_id}") for upload in uploads)
        with transaction.atomic():
            moved = step(user, case_id)
            _add_entry(moved, user, role_of(user), text, stored)
    return moved


def _add_entry(case: Case, user, role: str, text: str, stored: list[images.StoredImage]) -> CaseEntry:
    now = clock.now()
    entry = CaseEntry.objects.create(case=case, author=user, role=role, text=text, created_at=now)
    Evidence.objects.bulk_create(
        [
            Evidence(
                case=case,
                entry=entry,
                role=role,
                image=s.original,
                image_large=s.large,
                image_small=s.small,
                created_at=now,
            )
            for s in stored
        ]
    )
    return entry


# --- what the worker and the carriers do ---------------------------------------------------------------------


def apply_default(case_id: int) -> None:
    """The deadline of a waiting state passed: the worker takes the state's default (silence favours the buyer).
    A case that moved on meanwhile, or whose time was moved, is left alone."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or not rules.is_defaulted(case.state) or case.due_at is None or case.due_at > clock.now():
        return
    action = rules.DEFAULTS[case.state]
    _advance(case, action, actor=None, role=rules.NOBODY, auto=True)


@deadlines.bulk_handler(DUE)
def apply_quiet_defaults(case_ids: list[int]) -> set[int]:
    """The defaults that move no money (a return never sent, a rejection never escalated, a late replacement,
    an offer never answered), many cases at once: a few set-based queries instead of a round of queries a
    case. Returns the cases left for `apply_default` one by one: those whose default refunds."""
    now = clock.now()
    due = (
        Case.objects.select_for_update()
        .filter(pk__in=case_ids, due_at__lte=now, state__in=list(rules.DEFAULTS))
        .order_by("pk")
        .values_list("pk", "state")
    )
    by_state: dict[str, list[int]] = {}
    for pk, state in due:
        by_state.setdefault(state, []).append(pk)
    for state, ids in by_state.items():
        if state in rules.QUIET_DEFAULTS:
            _enter_many(ids, rules.DEFAULTS[state], rules.QUIET_DEFAULTS[state], now)
    return {pk for state, ids in by_state.items() if state not in rules.QUIET_DEFAULTS for pk in ids}


def _enter_many(ids: list[int], action: str, state: str, now: datetime) -> None:
    """`_enter` and its event for many cases taking the same quiet default."""
    due = rules.due_at(state, now)
    changes: dict[str, Any] = {"state": state, "state_since": now, "due_at": due, **_quiet_changes(action)}
    if state in rules.FINAL:
        changes["closed_at"] = now
        CaseLine.objects.filter(case_id__in=ids).update(open=False)
    Case.objects.filter(pk__in=ids).update(**changes)
    if due is not None and rules.is_defaulted(state):
        deadlines.schedule_many(DUE, dict.fromkeys(ids, due))
    events.record_many(f"case.{action}", [Case(pk=pk) for pk in ids], {"state": state, "by": "system", "auto": True})


@orders.on_paid_cancel
def cancel_paid_order(buyer, order_id: int) -> None:
    """取消订单 on a paid order is a `refund_unshipped` case of the whole order (issue 2's button, RULES §3)."""
    open_case(buyer, order_id, Request(kind=rules.REFUND_UNSHIPPED, reason="", lines={}))


@fulfilment.on_leg_delivered("return")
def return_delivered(leg_id: int, at: datetime, actor) -> None:
    """The return's delivery scan (or the merchant's "received") is the merchant's receipt."""
    case = _case_of_leg(Case.objects.filter(return_leg_id=leg_id, state=rules.RETURN_SHIPPED))
    if case is not None:
        _advance(case, "receive", actor=actor, role=rules.NOBODY, confirmed_by=getattr(actor, "role", ""))


@fulfilment.on_leg_delivered("replacement")
def replacement_delivered(leg_id: int, at: datetime, actor) -> None:
    case = _case_of_leg(Case.objects.filter(replacement_leg_id=leg_id, state=rules.REPLACEMENT_SHIPPED))
    if case is not None:
        _advance(case, "confirm_replacement", actor=actor, role=rules.NOBODY, confirmed_by=getattr(actor, "role", ""))


def _case_of_leg(waiting) -> Case | None:
    """The case a delivered leg moves, locked after its deadline (the worker's order, as `visible_case`)."""
    case_id = waiting.values_list("pk", flat=True).first()
    if case_id is None:
        return None
    deadlines.hold(DUE, case_id)
    return waiting.select_for_update().filter(pk=case_id).first()
