"""After-sales cases under /api/: the buyer's, the merchant's and ops' views and steps of a case.

Every step is one service call with the services' permissions: a case of another party answers 404. The steps
that move money (open, accept-offer, ship-return, convert-to-refund, rule) take an `Idempotency-Key`: a retry
with the same key answers what the first call answered and moves nothing again. Pictures come as multipart on
the endpoints ending in `/images` (the only API bodies that are not JSON).
"""

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from ninja import Field, File, Form, Router, Schema, UploadedFile

from anxin.aftersales import queries, rules, services
from anxin.aftersales.models import Case, CaseEntry, Evidence
from anxin.core import clock, events, idempotency
from anxin.core.errors import translate
from anxin.core.images import image_url
from anxin.core.permissions import require_role
from anxin.core.rules import Message
from anxin.core.schemas import Input, paginate
from anxin.orders import services as orders

router = Router(tags=["aftersales"])

IMAGES = File(None, description="Up to 8 pictures (multipart field `images`, repeated): JPEG, PNG or WebP.")
IMAGES_TEXT = Form("", max_length=rules.MESSAGE_MAX, description="words to go with the pictures")


# --- what is answered ------------------------------------------------------------------------------------


class CaseLineOut(Schema):
    order_line_id: int
    title: str
    quantity: int
    amount_fen: int

    @staticmethod
    def resolve_title(line) -> str:
        return line.order_line.title


class EvidenceOut(Schema):
    id: int
    role: str
    url: str
    large_url: str
    small_url: str

    @staticmethod
    def resolve_url(evidence: Evidence) -> str:
        return image_url(evidence.image)

    @staticmethod
    def resolve_large_url(evidence: Evidence) -> str:
        return image_url(evidence.image_large)

    @staticmethod
    def resolve_small_url(evidence: Evidence) -> str:
        return image_url(evidence.image_small)


class EntryOut(Schema):
    """A message on the case, with its pictures."""

    id: int
    role: str
    text: str
    created_at: datetime
    images: list[EvidenceOut]

    @staticmethod
    def resolve_images(entry: CaseEntry) -> list:
        return list(entry.images.all())


class CaseEventOut(Schema):
    kind: str
    at: datetime
    data: dict[str, Any]


class CaseOut(Schema):
    """A case as lists show it: where it stands, who acts next and by when, and the money."""

    id: int
    number: str
    order_id: int
    order_number: str
    merchant_id: int
    kind: str
    reason: str
    state: str
    next_actor: str = Field(..., description="buyer, merchant or ops; empty once the case is closed")
    due_at: datetime | None = Field(..., description="when the next actor must have acted")
    overdue: bool
    state_since: datetime
    asked_fen: int
    offer_fen: int | None
    refunded_fen: int
    refund_state: str | None = Field(..., description="requested (退款中) until the provider confirms: succeeded")
    instant: bool
    auto_approved: bool
    approved_at_once: bool
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_order_number(case: Case) -> str:
        return case.order.number

    @staticmethod
    def resolve_overdue(case: Case) -> bool:
        return case.due_at is not None and case.due_at < clock.now()

    @staticmethod
    def resolve_refund_state(case: Case) -> str | None:
        return case.refund.state if case.refund is not None else None


class CaseDetailOut(CaseOut):
    """A case with its lines, its conversation and every step it took (the timeline)."""

    description: str
    reject_reason: str
    ruling: str
    ruling_note: str
    postage_fen: int
    postage_by_merchant: bool
    return_tracking_number: str
    replacement_tracking_number: str
    escalated_at: datetime | None
    ruled_at: datetime | None
    lines: list[CaseLineOut]
    entries: list[EntryOut]
    timeline: list[CaseEventOut]

    @staticmethod
    def resolve_return_tracking_number(case: Case) -> str:
        return case.return_leg.tracking_number if case.return_leg is not None else ""

    @staticmethod
    def resolve_replacement_tracking_number(case: Case) -> str:
        return case.replacement_leg.tracking_number if case.replacement_leg is not None else ""

    @staticmethod
    def resolve_lines(case: Case) -> list:
        return list(case.lines.select_related("order_line").order_by("pk"))

    @staticmethod
    def resolve_entries(case: Case) -> list:
        return list(case.entries.prefetch_related("images"))

    @staticmethod
    def resolve_timeline(case: Case) -> list:
        return list(events.for_subject(case))


class ChoiceOut(Schema):
    """A type or reason: allowed now, or the code and sentence that say why not."""

    code: str
    allowed: bool
    why_not_code: str
    why_not: str


class LineOptionsOut(Schema):
    line_id: int
    title: str
    quantity: int
    kinds: list[ChoiceOut]
    reasons: list[ChoiceOut]


class OptionsOut(Schema):
    order_id: int
    lines: list[LineOptionsOut]


# --- what is sent ----------------------------------------------------------------------------------------


class OpenIn(Input):
    kind: str = Field(..., max_length=20, description="refund_unshipped, refund_only, return_refund, exchange, resend")
    reason: str = Field("", max_length=20, description="one of the nine reasons; may be empty for refund_unshipped")
    lines: dict[str, int] = Field(..., description="order line id -> quantity (all lines for refund_unshipped)")
    amount_fen: int | None = Field(None, description="less than the lines' worth; default: all of it")
    description: str = Field("", max_length=rules.DESCRIPTION_MAX)


class OpenFormIn(Schema):
    """The same request as a multipart form, for a case that needs its photo at once (坏了包退)."""

    kind: str = Field("", max_length=20, description="missing: the service's `invalid_kind`")
    reason: str = Field("", max_length=20)
    lines: str = Field("{}", max_length=2000, description='order line ids and quantities as JSON, e.g. {"12": 1}')
    amount_fen: int | None = None
    description: str = Field("", max_length=rules.DESCRIPTION_MAX)


class RejectIn(Input):
    why: str = Field(..., max_length=200)


class OfferIn(Input):
    offer_fen: int = Field(..., description="a partial refund: more than 0, less than asked")


class TextIn(Input):
    text: str = Field(..., max_length=rules.MESSAGE_MAX)


class CaseShipIn(Input):
    carrier: str = Field(..., max_length=40)
    tracking_number: str = Field(..., max_length=40)


class RuleIn(Input):
    ruling: Literal["refund", "merchant", "abuse"]
    note: str = Field(..., max_length=200)
    amount_fen: int | None = Field(None, description="refund: at most what was asked; default: all of it")
    charge_fen: int | None = Field(None, description="refund: compensation charged to the merchant on top")


# --- reads -----------------------------------------------------------------------------------------------


@router.get("/aftersales", response=list[CaseOut])
@paginate
def my_cases(request: HttpRequest, state: str = ""):
    """The caller's cases, newest first: a buyer's own, a shop's for its staff, every case for ops."""
    services.role_of(request.auth)
    cases = queries.cases_visible_to(request.auth).order_by("-created_at", "-pk")
    return cases.filter(state=state[:24]) if state else cases


@router.get("/aftersales/{case_id}", response=CaseDetailOut)
def case_detail(request: HttpRequest, case_id: int):
    return services.visible_case(request.auth, case_id)


@router.get("/orders/{order_id}/aftersales/options", response=OptionsOut, tags=["orders"])
def options(request: HttpRequest, order_id: int):
    """What 申请售后 offers on each line of the buyer's order now: every type and reason, allowed or why not."""
    order = orders.own_order(request.auth, order_id)
    by_line = queries.offers_for_order(order, clock.now())
    lines = order.lines.order_by("pk")
    return {
        "order_id": order.pk,
        "lines": [
            {
                "line_id": line.pk,
                "title": line.title,
                "quantity": line.quantity,
                "kinds": [_choice(o) for o in by_line[line.pk][0]],
                "reasons": [_choice(o) for o in by_line[line.pk][1]],
            }
            for line in lines
        ],
    }


def _choice(offer: rules.Offer) -> dict[str, Any]:
    problem: Message | None = offer.why_not
    return {
        "code": offer.code,
        "allowed": offer.allowed,
        "why_not_code": problem.code if problem else "",
        "why_not": translate(problem) if problem else "",
    }


def _detail_json(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """The case as the detail answers it, as JSON values: what an idempotent step stores for its replays."""
    return CaseDetailOut.from_orm(services.visible_case(request.auth, case_id)).model_dump(mode="json")


def _once(
    request: HttpRequest, operation: str, payload: dict[str, Any], step: Callable[[], Case], status: int = 200
) -> JsonResponse:
    """Run a money step once per `Idempotency-Key`; its answer is the case after the step, as JSON already:
    a replay sends the stored answer as it is, not the case as it has become since."""

    def work() -> tuple[int, dict[str, Any]]:
        case = step()
        return status, _detail_json(request, case.pk)

    answered, body = idempotency.run_once(request, f"aftersales.{operation}", payload, work)
    return JsonResponse(body, status=answered)


# --- opening a case --------------------------------------------------------------------------------------


@router.post("/orders/{order_id}/aftersales", response={201: CaseDetailOut}, tags=["orders"])
def open_case(request: HttpRequest, order_id: int, payload: OpenIn):
    """Ask for after-sales on lines of one of the buyer's orders. An unshipped cancel, and 坏了包退 within its
    limits, are refunded at once. 坏了包退 needs a photo: open it with `POST .../aftersales/images`.
    With an `Idempotency-Key`, a retry returns the first answer."""
    return _open(request, order_id, payload.dict(), [])


@router.post("/orders/{order_id}/aftersales/images", response={201: CaseDetailOut}, tags=["orders"])
def open_case_with_images(
    request: HttpRequest,
    order_id: int,
    payload: Form[OpenFormIn],
    images: list[UploadedFile] | None = IMAGES,
):
    """The same as `POST /api/orders/{id}/aftersales`, as a multipart form with up to 8 pictures; `lines` is the
    JSON text of line ids and quantities. Refused pictures (`image_type`, `image_too_big`, `image_unreadable`,
    `too_many_images`) write nothing and keep no file."""
    orders.own_order(request.auth, order_id)  # another's order is 404 before its form is judged
    fields = payload.dict()
    fields["lines"] = _lines_of(fields["lines"])
    uploads = list(images or [])
    return _open(request, order_id, {**fields, "images": [_digest(u) for u in uploads]}, uploads)


def _lines_of(text: str) -> dict[str, Any]:
    """The form's `lines` JSON as the mapping `open_case` checks (a bad text is its `no_lines` refusal)."""
    try:
        lines = json.loads(text)
    except ValueError:
        return {}
    return lines if isinstance(lines, dict) else {}


def _digest(upload: UploadedFile) -> str:
    """A file's fingerprint, so a retry with other pictures under the same key is told the key was reused."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _open(request: HttpRequest, order_id: int, fields: dict[str, Any], uploads: list) -> JsonResponse:
    wanted = services.Request(
        kind=fields["kind"],
        reason=fields["reason"],
        lines=fields["lines"],
        amount_fen=fields["amount_fen"],
        description=fields["description"],
    )
    return _once(
        request,
        "open",
        {"order_id": order_id, **fields},
        lambda: services.open_case(request.auth, order_id, wanted, uploads),
        status=201,
    )


# --- the steps of a case ---------------------------------------------------------------------------------

ROLE_OF_SIDE = {side: role for role, side in services.ROLE_OF.items()}


def _taker(request: HttpRequest, action: str) -> None:
    """A role that never takes this step is refused (403) before any case is read; the case's own party
    taking a step out of turn is the services' 409."""
    require_role(request.auth, *(ROLE_OF_SIDE[side] for side in rules.ACTIONS[action][0]))


@router.post("/aftersales/{case_id}/approve", response=CaseDetailOut, tags=["seller"])
def approve(request: HttpRequest, case_id: int):
    """The merchant agrees: money at once (refund only), a return to wait for, or a replacement to ship."""
    _taker(request, "approve")
    return services.approve(request.auth, case_id)


@router.post("/aftersales/{case_id}/reject", response=CaseDetailOut, tags=["seller"])
def reject(request: HttpRequest, case_id: int, payload: RejectIn):
    """The merchant refuses, with a reason; the buyer has 7 days to ask the platform (pictures: `.../images`)."""
    _taker(request, "reject")
    return services.reject(request.auth, case_id, payload.why)


@router.post("/aftersales/{case_id}/offer", response=CaseDetailOut, tags=["seller"])
def offer(request: HttpRequest, case_id: int, payload: OfferIn):
    """The merchant offers a partial refund (`invalid_offer` unless more than 0 and less than asked)."""
    _taker(request, "offer")
    return services.offer(request.auth, case_id, payload.offer_fen)


@router.post("/aftersales/{case_id}/accept-offer", response=CaseDetailOut)
def accept_offer(request: HttpRequest, case_id: int):
    """The buyer takes the offer: refunded that much. With an `Idempotency-Key`, a retry returns the first answer."""
    _taker(request, "accept_offer")
    return _once(request, "accept_offer", {"case_id": case_id}, lambda: services.accept_offer(request.auth, case_id))


@router.post("/aftersales/{case_id}/decline-offer", response=CaseDetailOut)
def decline_offer(request: HttpRequest, case_id: int):
    _taker(request, "decline_offer")
    return services.decline_offer(request.auth, case_id)


@router.post("/aftersales/{case_id}/withdraw", response=CaseDetailOut)
def withdraw(request: HttpRequest, case_id: int):
    _taker(request, "withdraw")
    return services.withdraw(request.auth, case_id)


@router.post("/aftersales/{case_id}/escalate", response=CaseDetailOut)
def escalate(request: HttpRequest, case_id: int, payload: TextIn):
    """A rejected buyer asks the platform to decide, within 7 days; ops rule within 48 hours."""
    _taker(request, "escalate")
    return services.escalate(request.auth, case_id, payload.text)


@router.post("/aftersales/{case_id}/ship-return", response=CaseDetailOut)
def ship_return(request: HttpRequest, case_id: int, payload: CaseShipIn):
    """The buyer sends the goods back; an eligible return is refunded now (极速退款, `instant`).
    With an `Idempotency-Key`, a retry returns the first answer."""
    _taker(request, "ship_return")
    return _once(
        request,
        "ship_return",
        {"case_id": case_id, **payload.dict()},
        lambda: services.ship_return(
            request.auth, case_id, carrier=payload.carrier, tracking_number=payload.tracking_number
        ),
    )


@router.post("/aftersales/{case_id}/receive", response=CaseDetailOut, tags=["seller"])
def receive(request: HttpRequest, case_id: int):
    """The merchant confirms the return arrived (as the return's delivery scan would)."""
    _taker(request, "receive")
    return services.receive(request.auth, case_id)


@router.post("/aftersales/{case_id}/ship-replacement", response=CaseDetailOut, tags=["seller"])
def ship_replacement(request: HttpRequest, case_id: int, payload: CaseShipIn):
    _taker(request, "ship_replacement")
    return services.ship_replacement(
        request.auth, case_id, carrier=payload.carrier, tracking_number=payload.tracking_number
    )


@router.post("/aftersales/{case_id}/convert-to-refund", response=CaseDetailOut)
def convert_to_refund(request: HttpRequest, case_id: int):
    """The merchant missed the replacement's time: the buyer takes the money instead.
    With an `Idempotency-Key`, a retry returns the first answer."""
    _taker(request, "convert_to_refund")
    return _once(
        request, "convert_to_refund", {"case_id": case_id}, lambda: services.convert_to_refund(request.auth, case_id)
    )


@router.post("/aftersales/{case_id}/confirm-replacement", response=CaseDetailOut)
def confirm_replacement(request: HttpRequest, case_id: int):
    _taker(request, "confirm_replacement")
    return services.confirm_replacement(request.auth, case_id)


@router.post("/aftersales/{case_id}/rule", response=CaseDetailOut, tags=["ops"])
def rule(request: HttpRequest, case_id: int, payload: RuleIn):
    """Ops decide an escalated case, finally. With an `Idempotency-Key`, a retry returns the first answer."""
    _taker(request, "rule")
    return _once(
        request,
        "rule",
        {"case_id": case_id, **payload.dict()},
        lambda: services.rule(
            request.auth,
            case_id,
            ruling=payload.ruling,
            note=payload.note,
            amount_fen=payload.amount_fen,
            charge_fen=payload.charge_fen,
        ),
    )


@router.post("/aftersales/{case_id}/messages", response={201: EntryOut})
def add_message(request: HttpRequest, case_id: int, payload: TextIn):
    """Either side, or ops, adds words to an open case."""
    return 201, services.add_message(request.auth, case_id, payload.text)


@router.post("/aftersales/{case_id}/images", response={201: EntryOut})
def add_images(
    request: HttpRequest,
    case_id: int,
    text: str = IMAGES_TEXT,
    images: list[UploadedFile] | None = IMAGES,
):
    """Evidence: up to 8 pictures in all on a case (multipart field `images`, repeated), with optional `text`.
    Refused pictures write nothing and keep no file."""
    services.visible_case(request.auth, case_id)  # another's case is 404 before its pictures are judged
    return 201, services.add_message(request.auth, case_id, text, list(images or []))
