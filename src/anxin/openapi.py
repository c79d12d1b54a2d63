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
    401: "Not signed in, or the token is not valid.",
    403: "Signed in, but this role may not do this.",
    404: "No such object, or it belongs to someone else.",
    409: "The object's state does not allow this now; nothing was written.",
    413: "The request body is larger than the limit.",
    422: "A field is missing or has the wrong type.",
}

_WRITES = {"post", "put", "patch", "delete"}


def error_statuses(method: str, operation: dict[str, Any], path: str) -> list[int]:
    """Which error statuses the shared policies can give this operation."""
    statuses = {400}
    has_body = "requestBody" in operation
    if operation.get("parameters") or has_body:
        statuses.add(422)
    if has_body:
        statuses.add(413)
    if operation.get("security"):
        statuses.update({401, 403})
    if "{" in path or has_body:
        statuses.add(404)
    if method in _WRITES:
        statuses.add(409)
    return sorted(statuses)


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared error answers (and the `Error` schema they use) to every operation of `schema`."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, operation, path):
                responses.setdefault(str(status), {"description": DESCRIPTIONS[status], "content": error_content})
    return schema
