"""A corpus of bad input against every writing operation of the OpenAPI document, sent by the operation's
owner with an otherwise valid body: NUL, control, zero-width and bidi characters in every string field (nested
ones too), huge
and odd numbers in every integer field, far-future and naive timestamps, a 10 MB body, JSON nested 10,000 deep
and invalid UTF-8. Each answer is a 4xx in the JSON error shape and no table gains or loses a row."""

import copy
import json
from typing import Any

import pytest

from anxin.api import api
from tests.attack.test_authorization_matrix import API_RULES, api_body
from tests.attack.world import World, build_world, call, fill_path, row_counts, writing_operations

pytestmark = pytest.mark.django_db

RAW = "__raw__"  # a body value replaced by raw JSON text (1e309 cannot be written by json.dumps)
TEXT_ATTACKS = {"nul": "a\x00b", "control": "a\x07b", "zero_width": "a\u200bb", "bidi": "a\u202eb"}
# An id is sent quoted as the owner's real id; `true` is not sent as an id (it would be the id 1 or not,
# depending on how the database numbers rows: the quoted id shows the same lax parsing on every database).
NUMBER_ATTACKS: dict[str, Any] = {"2**63": 2**63, "-1": -1, "1e309": RAW + "1e309", "string": "3", "true": True}
TIME_ATTACKS = {"far_future": "9999-12-31T00:00:00+00:00", "naive": "2026-01-01T10:00:00"}
SECRETS = {"password"}  # compared byte for byte and never shown: invisible characters mislead nobody there
OWNER_ORDER = ["buyer", "staff", "carrier", "ops", "courier", "anonymous"]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _leaf_kind(schema: dict[str, Any]) -> str:
    """string, integer, date-time or '' for a property's schema (an Optional is anyOf [x, null])."""
    for option in schema.get("anyOf", [schema]):
        if option.get("format") == "date-time":
            return "date-time"
        if option.get("type") in {"string", "integer"}:
            return option["type"]
    return ""


def body_fields(operation: dict[str, Any]) -> dict[str, str]:
    """The top-level fields of the operation's JSON body and their kinds."""
    document = api.get_openapi_schema()
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return {}
    schema = _resolve(document, content["schema"])
    return {name: _leaf_kind(_resolve(document, prop)) for name, prop in schema.get("properties", {}).items()}


# Valid bodies with nested text, so the strings inside lists and objects are attacked too.
NESTED_BODIES: dict[str, Any] = {
    "PUT /api/seller/products/{product_id}/questions": [
        {"kind": "text", "label": "印字", "max_chars": 10},
        {"kind": "choice", "label": "香调", "min_select": 1, "max_select": 1, "options": [{"label": "玫瑰"}]},
    ],
    "PUT /api/seller/products/{product_id}/specs": {
        "dimensions": [{"name": "颜色", "name_en": "Colour", "values": [{"name": "白蓝", "name_en": "White-blue"}]}],
        "skus": [{"values": ["白蓝"], "price_fen": 100, "code": "WB"}],
    },
    "POST /api/seller/shipping-templates": {
        "name": "全国包邮",
        "mode": "weight",
        "first_units": 1000,
        "first_fen": 800,
        "step_units": 1000,
        "step_fen": 300,
        "free": [{"provinces": ["330000"], "kind": "always", "threshold": 0}],
        "excluded_provinces": ["540000"],
    },
}


def example_body(key: str, ids: dict[str, Any]) -> Any:
    return copy.deepcopy(NESTED_BODIES[key]) if key in NESTED_BODIES else api_body(key, ids)


def nested_strings(value: Any, path: tuple = ()) -> list[tuple]:
    """Paths to the strings inside the lists and objects of a valid body (a question's options, a template's
    regions, a cart line's answers); the top level is attacked field by field from the schema."""
    if isinstance(value, str):
        return [path] if len(path) > 1 or not isinstance(path[0] if path else None, str) else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [found for k, v in items for found in nested_strings(v, (*path, k))]


def _put(body: Any, path: list[str], value: Any) -> None:
    for part in path[:-1]:
        body = body[int(part)] if isinstance(body, list) else body[part]
    body[int(path[-1]) if isinstance(body, list) else path[-1]] = value


def attacks(key: str, operation: dict[str, Any], ids: dict[str, Any]) -> list[str]:
    """Every attack that applies to the operation: `field:attack` per field (a dotted path for the strings
    nested in the body), then the whole-body ones (an operation that takes no body never reads one, so only the
    size limit applies to it)."""
    found = []
    fields = body_fields(operation)
    for path in nested_strings(example_body(key, ids) or {}):
        found += [f"{'.'.join(map(str, path))}:{a}" for a in TEXT_ATTACKS]
    for name, kind in fields.items():
        if kind == "string":
            found += [f"{name}:{a}" for a in TEXT_ATTACKS if name not in SECRETS or a in {"nul", "control"}]
        elif kind == "integer":
            found += [f"{name}:{a}" for a in NUMBER_ATTACKS if not (name.endswith("_id") and a == "true")]
        elif kind == "date-time":
            found += [f"{name}:{a}" for a in TIME_ATTACKS]
    return found + ["body:10MB"] + (["body:deep", "body:invalid_utf8"] if fields else [])


def _raw_body(key: str, attack: str, ids: dict[str, Any]) -> bytes:
    field, name = attack.split(":")
    if field == "body":
        return {
            "10MB": b'{"x": "' + b"a" * (10 * 1024 * 1024) + b'"}',
            "deep": b"[" * 10_000 + b"]" * 10_000,
            "invalid_utf8": b'{"x": "\xff\xfe\xc3"}',
        }[name]
    body = example_body(key, ids) or {}
    if "." in field or isinstance(body, list):
        _put(body, field.split("."), TEXT_ATTACKS[name])
        return json.dumps(body).encode()
    body[field] = {**TEXT_ATTACKS, **NUMBER_ATTACKS, **TIME_ATTACKS}[name]
    if field.endswith("_id") and name == "string":
        body[field] = str(ids.get(field, 1))  # the real id where the world has one, quoted
    text = json.dumps(body)
    if isinstance(body[field], str) and body[field].startswith(RAW):
        text = text.replace(json.dumps(body[field]), body[field][len(RAW) :])
    return text.encode()


def _owner(key: str) -> str:
    return next(party for party in OWNER_ORDER if party in API_RULES[key])


def refusal_problem(world: World, key: str, attack: str) -> str:
    """What is wrong with the answer to one attack ('' when it is a clean 4xx that wrote nothing)."""
    method, path = key.split(" ", 1)
    raw = _raw_body(key, attack, world.ids)  # first: a valid body may need rows of its own (a texted code)
    before = row_counts()
    response = call(world.client(_owner(key)), method, fill_path(path, world.ids), raw=raw, **{"Idempotency-Key": "k"})
    if not 400 <= response.status_code < 500:
        return f"{attack}: {response.status_code} {response.content[:200]!r}"
    try:
        shape = set(response.json())
    except ValueError:
        return f"{attack}: not JSON {response.content[:200]!r}"
    if not {"code", "message", "fields"} <= shape:
        return f"{attack}: shape {shape}"
    if row_counts() != before:
        return f"{attack}: rows changed"
    return ""


CASES = [(f"{m} {p}", op) for m, p, op in writing_operations()]


@pytest.mark.parametrize("key,operation", CASES, ids=[key for key, _ in CASES])
def test_bad_input_is_a_clean_4xx_that_writes_nothing(key, operation):
    world = build_world()
    problems = [
        problem for attack in attacks(key, operation, world.ids) if (problem := refusal_problem(world, key, attack))
    ]
    assert problems == []
