"""The ops console's remote-region programme (偏远包邮): which provinces are remote, their transit hub, and
what the platform pays per kilogram for the second leg."""

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


def _program_rows(data=None) -> list[dict]:
    """The 31 provinces with their remote flag and hub: as stored, or as typed when `data` is given."""
    rows = []
    for province in geo.children(None):
        if data is None:
            remote, hub = province.is_remote, province.hub_code or DEFAULT_HUB_CODE
        else:
            remote = bool(data.get(f"remote_{province.code}"))
            hub = str(data.get(f"hub_{province.code}", "")).strip()[:6]
        rows.append({"code": province.code, "name": province.name, "remote": remote, "hub": hub, "error": ""})
    return rows


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
        rows = _program_rows()
    else:
        values = {key: str(request.POST.get(key, ""))[:20] for key in values}
        first = _required_yuan(values["leg2_first_kg"], errors, "leg2_first_kg_fen")
        following = _required_yuan(values["leg2_next_kg"], errors, "leg2_next_kg_fen")
        rows = _program_rows(request.POST)
        remote = {row["code"]: row["hub"] for row in rows if row["remote"]}
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
            row["error"] = errors.get(f"remote.{row['code']}", "")
    context = {
        "rows": rows,
        "values": values,
        "errors": errors,
        "general": general,
        "default_hub": DEFAULT_HUB_CODE,
    }
    return render(request, "shipping/ops/remote_program.html", context, status=status)
