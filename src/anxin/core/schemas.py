"""The API's input policies, kept in one place so every endpoint answers bad input the same way.

- `Input` is the base of every request body schema: numbers and booleans are strict (`"3"` and `true` are
  not a quantity, `1` is not a boolean), because a lax reading turns a client's bug into a silent order.
- `AwareTime` is the one timestamp type of input: an ISO 8601 string with its offset. A naive time is refused
  with the field named instead of being read as +08:00 or UTC without saying so.
- `paginate` bounds every list: `offset` and `limit` the database can hold (a 64-bit offset used to reach
  PostgreSQL as `bigint out of range`, a 500), answered 422 with the field named when out of bounds.
"""

from collections.abc import Callable
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.pagination import paginate as ninja_paginate
from pydantic import AwareDatetime, ConfigDict

PAGE_LIMIT_DEFAULT = 20
PAGE_LIMIT_MAX = 100
OFFSET_MAX = 100_000  # far beyond any list a person pages through, far below what a database refuses

# Strict everywhere else, yet JSON has no datetime type: a timestamp arrives as a string and is parsed here.
AwareTime = Annotated[AwareDatetime, Field(strict=False)]


class Input(Schema):
    """Base of every request body: strict numbers and booleans, unknown fields ignored as before."""

    model_config = ConfigDict(strict=True)


class PageParams(Schema):
    """`?offset=&limit=` of every list (query strings are text, so these two are read leniently)."""

    offset: int = Field(0, ge=0, le=OFFSET_MAX)
    limit: int = Field(PAGE_LIMIT_DEFAULT, ge=1, le=PAGE_LIMIT_MAX)


class BoundedPagination(LimitOffsetPagination):
    """Ninja's limit/offset pagination with `PageParams` as its input."""

    Input = PageParams  # type: ignore[assignment]


def paginate(view: Callable[..., Any]) -> Callable[..., Any]:
    """Every list endpoint of the API is decorated with this (a test checks the OpenAPI document for it)."""
    return ninja_paginate(BoundedPagination)(view)
