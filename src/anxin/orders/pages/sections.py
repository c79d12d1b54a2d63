"""The order page's sections that apps above `orders` add: tracking and shipping (fulfilment), the pay button
(checkout), and later after-sales, price guarantee, reviews ...

`orders` may not import those apps, yet its order pages show what they know. So each of them registers a
`Section` for an audience (`buyer`, `seller`, `ops`) in its AppConfig.ready(); the order page renders every
section of its audience in its slot, each with its own template and context. A section may also take the
page's POST (the seller's ship form posts to the order page itself), and its handler lives in the app that
owns the action.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from anxin.orders.models import Order

AUDIENCES = ("buyer", "seller", "ops")
SLOTS = ("summary", "actions", "details")  # inside the order's card, the row of buttons, below the lines


@dataclass(frozen=True)
class Refused:
    """A section's POST that was not done: the page is shown again with this status, the section with
    `context` (a bound form and its errors) and `error` at the top of the page."""

    status: int
    context: dict[str, Any] = field(default_factory=dict)
    error: str = ""


Context = Callable[[HttpRequest, Order], dict[str, Any]]
Post = Callable[[HttpRequest, Order], "HttpResponse | Refused"]


@dataclass(frozen=True)
class Section:
    """`template` is rendered with the order, the request and `context(request, order)`; `post`, when given,
    handles a POST to the order page that names this section (or to the page's own action URL)."""

    name: str
    slot: str
    template: str
    context: Context = lambda request, order: {}
    post: Post | None = None

    def __post_init__(self) -> None:
        if self.slot not in SLOTS:
            raise ValueError(f"unknown order-page slot {self.slot!r}; one of {SLOTS}")


_sections: dict[str, list[Section]] = {audience: [] for audience in AUDIENCES}


def register(audience: str, section: Section) -> None:
    """Add `section` to the order page of `audience`, after those registered before; registering the same name
    again replaces it (a test or a reloaded app does not show it twice)."""
    if audience not in _sections:
        raise ValueError(f"unknown audience {audience!r}; one of {AUDIENCES}")
    listed = _sections[audience]
    names = [s.name for s in listed]
    if section.name in names:
        listed[names.index(section.name)] = section
    else:
        listed.append(section)


def sections_for(audience: str) -> list[Section]:
    return list(_sections[audience])


def rendered(
    request: HttpRequest, order: Order, audience: str, overrides: dict[str, dict[str, Any]] | None = None
) -> dict[str, SafeString]:
    """Each slot's HTML: the audience's sections in order, a refused POST's section with its `overrides`."""
    overrides = overrides or {}
    html: dict[str, list[str]] = {slot: [] for slot in SLOTS}
    for section in _sections[audience]:
        context = {"order": order, **section.context(request, order), **overrides.get(section.name, {})}
        html[section.slot].append(render_to_string(section.template, context, request))
    return {slot: mark_safe("".join(parts)) for slot, parts in html.items()}  # noqa: S308 (rendered templates)


def post_to(request: HttpRequest, order: Order, audience: str, name: str = "") -> "HttpResponse | tuple[str, Refused]":
    """Hand the POST to the section named `name` (or, unnamed, the audience's first that takes one): its
    response when done, or (its name, Refused) to show the page again. No such section is a 404."""
    takers = [s for s in _sections[audience] if s.post is not None and (not name or s.name == name)]
    if not takers:
        raise Http404
    section = takers[0]
    outcome = section.post(request, order)  # type: ignore[misc]
    if isinstance(outcome, Refused):
        return section.name, outcome
    return outcome
