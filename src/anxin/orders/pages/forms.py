"""The orders pages' forms: the seller's order search (bounded text fields and a range of local days, read
into `queries.OrderSearch`), the ops order page's forms (cancel, refund a line, add a note) and the payments
page's filters. They parse what a person typed; the orders services decide what is allowed (how much may be
refunded, in which state)."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anxin.core.money import format_fen
from anxin.core.pages import OwnIds, YuanField, english
from anxin.orders import rules
from anxin.orders.models import OrderLine
from anxin.orders.pages.common import ORDER_STATES
from anxin.orders.queries import OrderSearch
from anxin.payments.models import Payment

EARLIEST_DAY = date(2020, 1, 1)
LATEST_DAY = date(2100, 12, 31)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrderSearchForm(forms.Form):
    number = forms.CharField(label=_("订单号"), max_length=20, required=False)
    buyer = forms.CharField(
        label=_("买家"), max_length=40, required=False, help_text=_("账号、昵称、手机号或收货人姓名")
    )
    product = forms.CharField(label=_("商品"), max_length=60, required=False)
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *ORDER_STATES], required=False)
    placed_from = forms.DateField(label=_("下单日期从"), required=False, widget=DATE_WIDGET)
    placed_to = forms.DateField(label=_("到"), required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        for name in ("placed_from", "placed_to"):
            day = data.get(name)
            if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
                self.add_error(name, _("请选择 2020 年到 2100 年之间的日期。"))
        start, end = data.get("placed_from"), data.get("placed_to")
        if start and end and start > end:
            self.add_error("placed_to", _("结束日期不能早于开始日期。"))
        return data

    def search(self) -> OrderSearch:
        """What a valid form asked for."""
        data = self.cleaned_data
        return OrderSearch(
            number=data["number"].strip(),
            buyer=data["buyer"].strip(),
            product=data["product"].strip(),
            state=data["state"],
            placed_from=data["placed_from"],
            placed_to=data["placed_to"],
        )


MAX_REFUND_NUMBER = 10_000
MAX_QUANTITY = 100_000


def _confirm(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, error_messages={"required": _("请勾选确认后再提交。")})


class OpsCancelForm(OwnIds, forms.Form):
    id_prefix = "cancel"
    note = forms.CharField(label=_("取消原因"), max_length=rules.OPS_REASON_MAX, required=False)
    confirm = _confirm(_("确认取消这个订单：已付款项全部退给买家，库存放回。"))


class OpsRefundForm(OwnIds, forms.Form):
    """One line, a quantity of it or an amount in 元; the service refuses more than was paid less refunds."""

    id_prefix = "refund"

    line = forms.TypedChoiceField(label=_("退款商品"), coerce=int, choices=())
    quantity = forms.IntegerField(label=_("退款件数"), min_value=1, max_value=MAX_QUANTITY, required=False)
    amount = YuanField(label=_("或退款金额（元）"), required=False)
    reason = forms.CharField(label=_("退款原因"), max_length=rules.OPS_REASON_MAX, required=False)
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_REFUND_NUMBER)
    confirm = _confirm(_("确认退款：款项原路退回买家，不能撤销。"))

    def __init__(self, *args: Any, lines: Sequence[OrderLine] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {line.pk: line for line in lines}
        self.fields["line"].choices = [
            (
                line.pk,
                _("%(title)s × %(quantity)d（可退 %(left)s）")
                % {
                    "title": line.title_en if english() and line.title_en else line.title,
                    "quantity": line.quantity,
                    "left": format_fen(line.total_fen - line.refunded_fen),
                },
            )
            for line in lines
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        line = self.lines.get(data.get("line"))
        quantity, amount = data.get("quantity"), data.get("amount")
        if line is None or self.errors:
            return data
        if (quantity is None) == (amount is None):
            self.add_error("amount", _("请填写退款件数或退款金额（二选一）。"))
        elif quantity is not None:
            data["amount_fen"] = line.unit_price_fen * quantity
        elif amount <= 0:
            self.add_error("amount", _("退款金额须大于 0。"))
        else:
            data["amount_fen"] = amount
        return data


class OrderNoteForm(OwnIds, forms.Form):
    id_prefix = "note"
    text = forms.CharField(
        label=_("备注（只有运营能看到）"),
        max_length=rules.NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PaymentFilterForm(OwnIds, forms.Form):
    """The payments page's filters; every one is optional, dates are Beijing days."""

    id_prefix = "pay"

    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Payment.State.choices])
    start = forms.DateField(label=_("从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("到"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    low = YuanField(label=_("最低金额（元）"), required=False)
    high = YuanField(label=_("最高金额（元）"), required=False)
    buyer = forms.CharField(label=_("买家"), max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        if data.get("low") is not None and data.get("high") is not None and data["low"] > data["high"]:
            self.add_error("high", _("最高金额不能低于最低金额。"))
        return data
