"""The ops console's remote-region programme (偏远包邮): which provinces are remote, the city their parcels
go through (picked by name), and what the platform pays per kilogram for the second leg."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from anxin.core.errors import AnxinError
from anxin.core.money import format_fen
from anxin.core.pages import YUAN_HINT, ops_required, yuan_or_error
from anxin.geo import queries as geo
from anxin.geo.data import DEFAULT_HUB_CODE
from anxin.shipping import queries, services


def _required_yuan(text: str, errors: dict[str, str], key: str) -> int | None:
    fen = yuan_or_error(text, errors, key)
    if fen is None and key not in errors:
        errors[key] = str(YUAN_HINT)
    return fen


def _posted_remote(data) -> dict[str, str]:
    """Province code -> hub city code as posted: the listed rows still ticked, and the province added."""
    remote = {}
    for province in geo.children(None):
        if data.get(f"remote_{province.code}"):
            remote[province.code] = str(data.get(f"hub_{province.code}", "")).strip()[:6]
    added = str(data.get("add_province", "")).strip()[:6]
    if added:
        remote[added] = str(data.get("add_hub", "")).strip()[:6] or DEFAULT_HUB_CODE
    return remote


def _program_rows(remote: dict[str, str] | None = None) -> tuple[list[dict], list]:
    """The remote provinces (stored, or as posted when `remote` is given) as rows with their hub, and the
    other provinces, which the "add" select offers."""
    rows, others = [], []
    for province in geo.children(None):
        if remote is None and province.is_remote:
            rows.append({"code": province.code, "hub": province.hub_code or DEFAULT_HUB_CODE, "error": ""})
        elif remote is not None and province.code in remote:
            rows.append({"code": province.code, "hub": remote[province.code], "error": ""})
        else:
            others.append(province)
    return rows, others


@require_http_methods(["GET", "POST"])
@ops_required
def remote_program(request: HttpRequest) -> HttpResponse:
    program = queries.remote_program()
    values = {
        "leg2_first_kg": format_fen(program.leg2_first_kg_fen).lstrip("¥"),
        "leg2_next_kg": format_fen(program.leg2_next_kg_fen).lstrip("¥"),
    }
    errors: dict[str, str] = {}
    general = ""
    status = 200
    if request.method == "GET":
        rows, others = _program_rows()
    else:
        values = {key: str(request.POST.get(key, ""))[:20] for key in values}
        first = _required_yuan(values["leg2_first_kg"], errors, "leg2_first_kg_fen")
        following = _required_yuan(values["leg2_next_kg"], errors, "leg2_next_kg_fen")
        remote = _posted_remote(request.POST)
        rows, others = _program_rows(remote)
        if errors:
            general, status = _("偏远地区设置有误。"), 400
        else:
            try:
                services.update_remote_program(
                    request.user, remote=remote, leg2_first_kg_fen=first, leg2_next_kg_fen=following
                )
            except AnxinError as exc:
                errors, general, status = exc.fields, exc.message, exc.status
            else:
                messages.success(request, _("偏远地区设置已保存。"))
                return redirect("web:ops_remote")
        for row in rows:
            row["error"] = errors.pop(f"remote.{row['code']}", "")
        general = " ".join([general, *(m for k, m in errors.items() if k.startswith("remote."))]).strip()
    context = {
        "rows": rows,
        "others": others,
        "hubs": geo.hub_choices(),
        "values": values,
        "errors": errors,
        "general": general,
        "default_hub": DEFAULT_HUB_CODE,
        "default_hub_name": geo.hub_name(DEFAULT_HUB_CODE),
    }
    return render(request, "shipping/ops/remote_program.html", context, status=status)
