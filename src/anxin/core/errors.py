"""Errors a person can understand. Services raise these; the API and the pages turn them into 4xx answers."""

from typing import Any


class AnxinError(Exception):
    """Bad input or a request the rules refuse: a 4xx with `{code, message, fields}` and nothing written."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.fields = {key: str(value) for key, value in (fields or {}).items()}

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
