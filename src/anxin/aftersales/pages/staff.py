"""What the case pages share: a case's deadline as a live countdown (the buyer's pages too), and for the
seller center and the ops console
the case's body (lines, evidence, timeline), the actions its viewer may take now, and one way to run an
action's form: done -> back to the case with what happened; refused -> the case again, the service's message
beside the field it names, nothing changed.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anxin.aftersales import queries, rules
from anxin.aftersales.models import Case
from anxin.core import clock
from anxin.core.errors import AnxinError, NotFound
from anxin.core.pages import OwnIds, YuanField, apply_error, shown_time
from anxin.orders.rules import countdown_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- deadlines --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A waiting case's due time as the queue and the case page show it: seconds left (for the script that
    ticks them), the same as text, or overdue."""

    due_at: datetime | None
    seconds_left: int
    actor: str = ""  # who acts next, in words for the reader ("您" to the buyer)

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.seconds_left <= 0

    @property
    def text(self) -> str:
        return countdown_text(self.seconds_left)


ACTOR_NAMES = {rules.BUYER: _("买家"), rules.MERCHANT: _("商家"), rules.OPS: _("平台客服")}


def deadline_of(case: Case, now: datetime, names: Mapping[str, Any] = ACTOR_NAMES) -> Deadline:
    """The case's deadline for every page that shows one (queues, case pages, the buyer's tab)."""
    seconds = int((case.due_at - now).total_seconds()) if case.due_at else 0
    return Deadline(shown_time(case.due_at), max(seconds, 0), str(names.get(case.next_actor, "")))


def with_deadlines(cases, now: datetime) -> list[tuple[Case, Deadline]]:
    return [(case, deadline_of(case, now)) for case in cases]


# --- the case's body --------------------------------------------------------------------------------------


def allowed_actions(case: Case, role: str) -> set[str]:
    """The actions `role` may take on the case now, as the state machine decides (the page offers only these)."""
    allowed = set()
    for action, (takers, _starts) in rules.ACTIONS.items():
        if role not in takers:
            continue
        try:
            rules.check_action(action, kind=case.kind, state=case.state, role=role)
        except rules.Refused:
            continue
        allowed.add(action)
    return allowed


def case_context(case: Case, role: str, bound: dict[str, forms.Form]) -> dict[str, Any]:
    """The case's body and, from a refused form, what was refused as a whole (its state, its turn): shown
    above the actions, since the refused action may no longer be offered."""
    now = clock.now()
    return {
        "refused": [error for form in bound.values() for error in form.non_field_errors()],
        "case": case,
        "now": now,
        "deadline": deadline_of(case, now),
        "next_actor": rules.next_actor(case.state),
        "lines": list(case.lines.select_related("order_line").order_by("pk")),
        "evidence": list(case.evidence.order_by("created_at", "pk")),
        "timeline": queries.case_timeline(case),
        "actions": allowed_actions(case, role),
    }


# --- forms ------------------------------------------------------------------------------------------------


class ImagesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _images_text() -> str:
    return gettext("凭证图片（最多 %(n)d 张）") % {"n": rules.MAX_EVIDENCE}


_images_label = lazy(_images_text, str)  # the label is read when the page is drawn, in its language


def images_field() -> forms.Field:
    """Up to MAX_EVIDENCE pictures; the service checks each one (type, size, count) and names the problem."""
    return forms.Field(label=_images_label(), required=False, widget=ImagesInput(attrs={"accept": "image/*"}))


# A stored picture's refusal names `image`; the count's names `images`: both go beside the upload field.
EVIDENCE_ALIASES = {"image": "images"}


def _note(label: "StrOrPromise", max_length: int) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(OwnIds, forms.Form):
    id_prefix = "reject"
    why = _note(_("拒绝理由"), 200)
    images = images_field()


class OfferForm(OwnIds, forms.Form):
    id_prefix = "offer"
    offer = YuanField(label=_("协商退款金额（元）"), required=False)


class ShipReplacementForm(OwnIds, forms.Form):
    id_prefix = "ship"
    carrier = forms.CharField(label=_("快递公司"), max_length=40, required=False)
    tracking_number = forms.CharField(label=_("运单号"), max_length=40, required=False)

    def __init__(self, *args: Any, companies: tuple = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("请选择")), *((c.name, c.name) for c in companies)]
        self.fields["carrier"].widget = forms.Select(choices=choices)


class MessageForm(OwnIds, forms.Form):
    id_prefix = "message"
    text = _note(_("留言"), rules.MESSAGE_MAX)
    images = images_field()


class RulingForm(OwnIds, forms.Form):
    id_prefix = "ruling"
    ruling = forms.ChoiceField(
        label=_("裁决结果"), choices=Case.Ruling.choices, required=False, widget=forms.RadioSelect
    )
    note = _note(_("裁决说明"), 200)
    amount = YuanField(label=_("退款金额（元，留空为申请金额）"), required=False)
    charge = YuanField(label=_("另向商家收取赔付（元，可选）"), required=False)


# --- running an action ------------------------------------------------------------------------------------


def run_action(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[dict], str],
    *,
    done_url: str,
    show_again: Callable[[forms.Form, int], HttpResponse],
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    """Validate the form, call the one service behind it, and answer as the module docstring says."""
    status = 400
    if form.is_valid():
        try:
            done = act(form.cleaned_data)
        except NotFound:
            raise
        except AnxinError as exc:
            apply_error(form, exc, {**EVIDENCE_ALIASES, **(aliases or {})})
            status = exc.status
        else:
            messages.success(request, done)
            return redirect(done_url)
    return show_again(form, status)


def uploads(data: dict) -> list:
    return list(data.get("images") or [])
