"""`Idempotency-Key` for API calls that create orders, payments, refunds, claims or payouts.

The first answer is stored in the same transaction as the work it describes; the same key (for the same
caller and operation) returns that answer again. A concurrent duplicate waits on the unique index (or on
the rows the first one locked, and is then refused by the state the first one left), then finds the stored
answer. Reusing a key for a different request is refused.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from anxin.core import clock
from anxin.core.errors import AnxinError, Conflict
from anxin.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


def fingerprint(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def key_from(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise AnxinError(
            _("Idempotency-Key 必须是 1 到 200 个字符。"),
            code="invalid_idempotency_key",
            fields={HEADER: _("长度须为 1–200 个字符")},
        )
    return key


def run_once(
    request: HttpRequest, operation: str, payload: Any, work: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    """Run `work` (returning status and a JSON-able body) once per `Idempotency-Key`; replay afterwards.

    The same key with another `payload` is a 409 `idempotency_key_reused` and runs nothing: replaying the
    first answer would tell the caller that a request it never made succeeded."""
    key = key_from(request)
    if key is None:
        return work()
    user_id = getattr(getattr(request, "auth", None), "pk", None) or getattr(request.user, "pk", None)
    scope = f"{operation}:{user_id or 'anonymous'}"
    fp = fingerprint(payload)
    try:
        with transaction.atomic():
            stored = _stored(scope, key, fp)
            if stored is not None:
                return stored
            status, body = work()
            IdempotencyRecord.objects.create(
                scope=scope,
                key=key,
                fingerprint=fp,
                status_code=status,
                response=body,
                created_at=clock.now(),
            )
            return status, body
    except (IntegrityError, AnxinError):
        # A duplicate that waited on the first one's row locks finds the work done (its own attempt refused,
        # or its record colliding): the first answer, now committed, is the answer.
        stored = _stored(scope, key, fp)
        if stored is None:
            raise
        return stored


def _stored(scope: str, key: str, fp: str) -> tuple[int, Any] | None:
    record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    if record is None:
        return None
    if record.fingerprint != fp:
        raise Conflict(
            _("这个 Idempotency-Key 已用于另一个不同的请求。"),
            code="idempotency_key_reused",
            fields={HEADER: _("请为新的请求使用新的键")},
        )
    return record.status_code, record.response
