"""What no request may carry past the door, whatever view it is for.

PostgreSQL refuses a NUL character and answers with an error the view does not expect (a 500), and other
control characters stored in a name or a scan end up on a buyer's page. Checking at each field would leave
every query parameter and form of every future page to remember it; this middleware checks every request
once, before any view runs: query strings, form fields and JSON bodies. A body larger than the limit gets a
413, and an API body that does not say it is JSON gets a 415: the API reads every body as JSON whatever its
label, so a form post or text/plain body (what a cross-site form can send without a CORS preflight) must not
reach a view. The API answers in its JSON error shape, the pages with a page a person can read. Field-level policy
(zero-width and bidi characters in single-line text, lengths) stays with `core.text.clean_text`.
"""

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

# A JSON escape of a control character other than tab, line feed and carriage return, not itself escaped.
_CONTROL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF])")
_RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MULTIPART_LIMIT = 50 * 1024 * 1024  # nine photos of 5 MB each and the form around them; a price feed's file


def has_forbidden_control(text: str, *, allow_line_breaks: bool) -> bool:
    """NUL and other C0/C1 controls; tab and line breaks only where a field may span lines (form text)."""
    for ch in text:
        if allow_line_breaks and ch in "\t\n\r":
            continue
        if unicodedata.category(ch) == "Cc":
            return True
    return False


def _json_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path or "body", value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(str(key), path or "body")
            yield from _json_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}.{index}" if path else str(index))


def json_field_with_control(body: bytes) -> str | None:
    """The path of the first JSON string holding a control character, or None. Fast when there is none."""
    if not _CONTROL_ESCAPE.search(body) and not _RAW_CONTROL.search(body):
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None  # not JSON: the API's own parser answers malformed_json
    for path, text in _json_strings(document):
        if has_forbidden_control(text, allow_line_breaks=True):
            return path
    return None


class GuardRequestInput:
    """Refuse oversized bodies (413) and control characters in any query, form or JSON value (400)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if self._too_large(request):
            return _refuse(request, 413, "too_large", _("请求内容太大。"), None)
        for name, value in request.GET.lists():
            if has_forbidden_control(name, allow_line_breaks=False) or any(
                has_forbidden_control(item, allow_line_breaks=False) for item in value
            ):
                return _control_refusal(request, name)
        content_type = request.content_type or ""
        if content_type == "application/json":
            field = json_field_with_control(request.body)
            if field is not None:
                return _control_refusal(request, field)
        elif content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            if not _is_upload(request):
                request.body  # noqa: B018 - keeps the raw bytes readable after the form is parsed (signed callbacks)
            try:
                form = request.POST
            except MultiPartParserError:
                return _refuse(request, 400, "malformed_body", _("请求体的格式不正确。"), None)
            for name, value in form.lists():
                if any(has_forbidden_control(item, allow_line_breaks=True) for item in [name, *value]):
                    return _control_refusal(request, name)
        if _api_body_not_json(request):
            message = _("接口只接受 JSON 请求体，请发送 Content-Type: application/json。")
            return _refuse(request, 415, "unsupported_media_type", message, None)
        return None

    @staticmethod
    def _too_large(request: HttpRequest) -> bool:
        return _length(request) > (_MULTIPART_LIMIT if _is_upload(request) else settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def _length(request: HttpRequest) -> int:
    """The body's declared length: what Django will read (0 when absent or not a number)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _api_body_not_json(request: HttpRequest) -> bool:
    """An API request with a body labelled as anything but JSON (a body-less POST needs no label)."""
    return (
        request.path.startswith("/api/")
        and request.content_type != "application/json"
        and _length(request) > 0
        and not _is_upload(request)
    )


# The API's uploads: pictures (`POST .../images`, `POST .../image`) and the price feed (`POST .../feed-imports`).
_API_UPLOAD_ENDINGS = ("/images", "/image", "/feed-imports")


def _is_upload(request: HttpRequest) -> bool:
    """A multipart form, the one body parsed as a stream and never held whole: a page's form, or one of the API's
    picture uploads. Every other API body fits in memory and stays readable as bytes for a view that verifies a
    signature."""
    return request.content_type == "multipart/form-data" and (
        not request.path.startswith("/api/") or request.path.endswith(_API_UPLOAD_ENDINGS)
    )


def _control_refusal(request: HttpRequest, field: str) -> HttpResponse:
    message = _("“%(field)s”中有不可见的控制字符，请删除后重试。") % {"field": field}
    return _refuse(request, 400, "control_characters", message, {field: _("不能包含控制字符。")})


def _refuse(request: HttpRequest, status: int, code: str, message: str, fields: dict[str, str] | None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "fields": fields or {}}, status=status)
    return render(request, "refused.html", {"message": message}, status=status)


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",  # no inline script anywhere: a stored string can never run as code
        "style-src 'self' 'unsafe-inline'",  # style attributes (bar heights) carry no script
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(self), usb=(), interest-cohort=()"


class SecurityHeaders:
    """The browser-side floor for every answer: what may run, be embedded or be asked of the device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
