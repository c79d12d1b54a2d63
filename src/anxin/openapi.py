"""The OpenAPI document says every status an operation can answer, not only its successes.

The error answers come from policies every operation goes through (the request guard, the validation and
error handlers of `anxin.api`, authentication), so they are declared by the same policy, once, instead of in
each endpoint's `response=`: a client generated from the document then knows the error shape everywhere.
"""

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message", "fields"],
    "properties": {
        "code": {"type": "string", "description": "machine-readable, e.g. `not_found`, `conflict`, `invalid`"},
        "message": {"type": "string", "description": "for a person, in the request's language"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}, "description": "per field"},
    },
}

DESCRIPTIONS = {
    400: "Bad input: refused by the rules, malformed JSON or control characters; nothing was written.",
    401: "Not signed in, the token is not valid, or (at login) the name or password is wrong.",
    403: "Signed in, but this role may not do this.",
    404: "No such object, or it belongs to someone else.",
    409: "The object's state does not allow this now; nothing was written.",
    413: "The request body is larger than the limit.",
    415: "The body is not labelled `Content-Type: application/json`.",
    422: "A field is missing or has the wrong type.",
}

_WRITES = {"post", "put", "patch", "delete"}


def error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    """Which error statuses the shared policies can give this operation."""
    statuses = {400, 401}  # 401: no valid token where one is needed, or wrong credentials at login
    has_body = "requestBody" in operation
    has_input = bool(operation.get("parameters")) or has_body
    if has_input:
        statuses.update({404, 422})  # 404: an id in the path, query or body that is not the caller's
    if has_body:
        statuses.update({413, 415})
    if operation.get("security"):
        statuses.add(403)
    if method in _WRITES:
        statuses.add(409)
    return sorted(statuses)


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared error answers (and the `Error` schema they use) to every operation of `schema`."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, operation):
                responses.setdefault(str(status), {"description": DESCRIPTIONS[status], "content": error_content})
    return schema
