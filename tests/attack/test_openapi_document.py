"""The document the attack tests generate their requests from describes each body as the code reads it."""

from collections import defaultdict

from ninja import Schema

import anxin.api  # noqa: F401 - mounts every router, so every schema class is defined


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in [direct, *_subclasses(direct)]]


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI document names a component by its class name: two classes of one name become one component,
    and one of the operations is documented with the other's body (shipping's and fulfilment's `AssignIn` were)."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("anxin."):
            by_name[schema.__name__].add(f"{schema.__module__}.{schema.__qualname__}")
    assert {name: places for name, places in by_name.items() if len(places) > 1} == {}
