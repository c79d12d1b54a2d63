"""After-sales invariants: no case refunds beyond its lines, no waiting case is left past its deadline."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from anxin.aftersales import rules
from anxin.aftersales.models import Case, CaseLine
from anxin.core.audit import check
from anxin.core.models import Deadline


@check("after-sales: no case gives back more than its lines asked", _("售后：每个售后单的退款不超过申请的商品金额"))
def refunds_within_lines() -> list[str]:
    asked = dict(CaseLine.objects.values("case_id").annotate(total=Sum("amount_fen")).values_list("case_id", "total"))
    refunded = Case.objects.exclude(refund=None).exclude(kind=rules.REFUND_UNSHIPPED)
    problems = []
    for pk, number, detail in refunded.values_list("pk", "number", "refund__detail"):
        goods = sum(int(fen) for fen in detail.get("lines", {}).values())
        if goods > asked.get(pk, 0):
            problems.append(f"case {number} refunded {goods} fen of goods but its lines asked {asked.get(pk, 0)} fen")
    return problems


@check("after-sales: every waiting case has its deadline armed", _("售后：每个等待中的售后单都有待执行的期限"))
def waiting_cases_armed() -> list[str]:
    waiting = Case.objects.filter(state__in=list(rules.DEFAULTS)).values_list("pk", "number")
    armed = set(
        Deadline.objects.filter(kind="aftersales.due", state=Deadline.State.PENDING).values_list(
            "subject_id", flat=True
        )
    )
    return [f"case {number} waits with no deadline armed" for pk, number in waiting if pk not in armed]
