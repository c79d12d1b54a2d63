"""Errors a person can understand. Services raise these; the API and the pages turn them into 4xx answers."""

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext

from anxin.core.rules import Message

Text = str | Promise | Message


def translate(text: Text) -> str:
    """A rule's `Message` in the active language (lazy and plain strings pass through), for answers and pages."""
    if isinstance(text, Message):
        return text.interpolate(gettext(text.msgid))
    return str(text)


class AnxinError(Exception):
    """Bad input or a request the rules refuse: a 4xx with `{code, message, fields}` and nothing written.

    `message` and the field messages may be a rule's `Message`, translated here, as the request is answered.
    """

    status = 400
    code = "bad_request"

    def __init__(self, message: Text, *, code: str | None = None, fields: Mapping[str, Text] | None = None):
        self.message = translate(message)
        super().__init__(self.message)
        if code:
            self.code = code
        self.fields = {key: translate(value) for key, value in (fields or {}).items()}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class NotFound(AnxinError):
    """Also the answer for another party's object, so its existence is not revealed."""

    status = 404
    code = "not_found"


class Unauthorized(AnxinError):
    status = 401
    code = "unauthorized"


class Forbidden(AnxinError):
    status = 403
    code = "forbidden"


class Conflict(AnxinError):
    """The request is valid but the object's state does not allow it now (already shipped, out of stock)."""

    status = 409
    code = "conflict"
