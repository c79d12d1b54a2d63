"""买贵必赔 pages: the order page's section (申请 on each eligible line, or the line's claim), the claim form,
the claim's page with its decision and reasons, 我的买贵必赔, and the ops review queue. Each POST makes one
service call; a refusal shows the same page again with the form as typed and the message, under its 4xx."""

from typing import Any

from django.http import HttpRequest

from anxin.core import clock
from anxin.guarantee.queries import claims as queries
from anxin.orders.models import Order
from anxin.orders.pages.sections import Section, register

SECTION = "price_claims"


def _order_rows(request: HttpRequest, order: Order) -> dict[str, Any]:
    return {"claim_rows": queries.order_lines_claims(order, clock.now())}


def register_order_sections() -> None:
    register("buyer", Section(SECTION, "details", "guarantee/claims/buyer_section.html", _order_rows))
