"""Shipping everywhere (RULES §4) as pure functions: template quotes, the remote-region hub program and
delivery promises. No database and no clock: everything arrives as arguments, so the checkout, the cart and
the product page all price a parcel the same way, and a quote costs microseconds."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from anxin.geo.rules import transit_days

WEIGHT = "weight"
PIECE = "piece"

ALWAYS = "always"
SUBTOTAL = "subtotal"
PIECES = "pieces"

KG = 1000


@dataclass(frozen=True)
class RegionFee:
    """Provinces (two-digit prefixes of their codes, e.g. "65") with their own first/step fees."""

    provinces: frozenset[str]
    first_fen: int
    step_fen: int


@dataclass(frozen=True)
class FreeCondition:
    """Free shipping to these provinces (all when empty): always, from a merchant-order subtotal, or from a
    piece count."""

    provinces: frozenset[str]
    kind: str  # ALWAYS, SUBTOTAL or PIECES
    threshold: int = 0  # fen for SUBTOTAL, pieces for PIECES

    def applies_to(self, province: str) -> bool:
        return not self.provinces or province in self.provinces

    def met(self, subtotal_fen: int, pieces: int) -> bool:
        if self.kind == ALWAYS:
            return True
        if self.kind == SUBTOTAL:
            return subtotal_fen >= self.threshold
        return pieces >= self.threshold


@dataclass(frozen=True)
class Template:
    """A merchant's shipping template (运费模板). Units are grams (WEIGHT) or pieces (PIECE)."""

    id: int
    mode: str
    first_units: int
    first_fen: int
    step_units: int
    step_fen: int
    regions: tuple[RegionFee, ...] = ()
    free: tuple[FreeCondition, ...] = ()
    excluded: frozenset[str] = frozenset()
    name: str = ""


@dataclass(frozen=True)
class Line:
    template_id: int
    quantity: int
    unit_price_fen: int
    weight_g: int
    remote_ok: bool = True
    product_id: int = 0
    title: str = ""


@dataclass(frozen=True)
class RemoteProgram:
    """Remote provinces (prefix -> the hub's province prefix) and the platform's leg-2 rate per kg."""

    hubs: Mapping[str, str]
    leg2_first_kg_fen: int = 600
    leg2_next_kg_fen: int = 200

    def hub_of(self, province: str) -> str | None:
        return self.hubs.get(province)


@dataclass(frozen=True)
class Refusal:
    product_id: int
    title: str
    reason: str  # "not_delivered" (template excludes the province) or "not_remote" (product not for remote)


@dataclass
class Quote:
    """What one merchant order costs to ship, and to whom.

    `fee_fen` is what the buyer pays; `leg2_fen` what the platform pays the carrier from the hub to the buyer;
    `via_hub` is the hub's province when the order goes through the transit hub."""

    fee_fen: int = 0
    leg2_fen: int = 0
    pricing_province: str = ""
    via_hub: str | None = None
    refusals: list[Refusal] = field(default_factory=list)
    weight_g: int = 0

    @property
    def deliverable(self) -> bool:
        return not self.refusals


def province_prefix(code: str) -> str:
    """ "650000", "650100" or "65" -> "65": templates speak in provinces."""
    return str(code)[:2]


def steps(amount: int, first: int, step: int) -> int:
    """How many further steps beyond the first block `amount` needs (a started step counts in full)."""
    if amount <= first:
        return 0
    return -(-(amount - first) // max(step, 1))


def _fees_for(template: Template, province: str) -> tuple[int, int]:
    for rule in template.regions:
        if province in rule.provinces:
            return rule.first_fen, rule.step_fen
    return template.first_fen, template.step_fen


def group_fee(template: Template, province: str, lines: Iterable[Line]) -> int:
    """The fee of the lines of one template to one province (pricing province for remote orders)."""
    lines = list(lines)
    pieces = sum(line.quantity for line in lines)
    subtotal = sum(line.unit_price_fen * line.quantity for line in lines)
    if any(cond.met(subtotal, pieces) for cond in template.free if cond.applies_to(province)):
        return 0
    first_fen, step_fen = _fees_for(template, province)
    amount = sum(line.weight_g * line.quantity for line in lines) if template.mode == WEIGHT else pieces
    return first_fen + steps(amount, template.first_units, template.step_units) * step_fen


def ships_free(template: Template, destination: str, program: RemoteProgram, origin: str = "") -> bool:
    """包邮: one piece of any price and weight ships free to `destination` under this template (priced at the
    hub's province for a remote one, as `quote` does). A free rule from a subtotal, or from two pieces, is not
    包邮 for a search filter: the shopper would pay for one piece."""
    if province_prefix(destination) in template.excluded:
        return False
    pricing = hub_between(origin, destination, program) or province_prefix(destination)
    for condition in template.free:
        one_piece = condition.kind == ALWAYS or (condition.kind == PIECES and condition.threshold <= 1)
        if one_piece and condition.applies_to(pricing):
            return True
    return _fees_for(template, pricing) == (0, 0)


def leg2_cost(weight_g: int, program: RemoteProgram) -> int:
    """What the platform pays for hub -> buyer: first kg, then each started kg."""
    kilos = max(1, -(-weight_g // KG))
    return program.leg2_first_kg_fen + (kilos - 1) * program.leg2_next_kg_fen


def hub_between(origin: str, destination: str, program: RemoteProgram) -> str | None:
    """The hub's province a parcel goes through: for a remote destination, unless it starts in that same
    province (a Xinjiang shop's parcel to Urumqi goes straight there)."""
    province = province_prefix(destination)
    if origin and province_prefix(origin) == province:
        return None
    return program.hub_of(province)


def quote(
    lines: Iterable[Line], templates: Mapping[int, Template], destination: str, program: RemoteProgram, origin: str = ""
) -> Quote:
    """Price one merchant order: lines grouped by template, each group priced to the pricing province.

    A remote destination is priced as if it were the hub's province; the platform pays the second leg.
    Lines that cannot go there are listed as refusals (the caller refuses the checkout with their reasons)."""
    lines = list(lines)
    province = province_prefix(destination)
    hub = hub_between(origin, destination, program)
    result = Quote(pricing_province=hub or province, via_hub=hub)
    by_template: dict[int, list[Line]] = {}
    for line in sorted(lines, key=lambda item: (item.template_id, item.product_id)):
        template = templates[line.template_id]
        if province in template.excluded:
            result.refusals.append(Refusal(line.product_id, line.title, "not_delivered"))
        elif hub and not line.remote_ok:
            result.refusals.append(Refusal(line.product_id, line.title, "not_remote"))
        by_template.setdefault(line.template_id, []).append(line)
    result.fee_fen = sum(
        group_fee(templates[tid], result.pricing_province, group) for tid, group in by_template.items()
    )
    result.weight_g = sum(line.weight_g * line.quantity for line in lines)
    if hub:
        result.leg2_fen = leg2_cost(result.weight_g, program)
    return result


# --- delivery promise ------------------------------------------------------------------------------------

DAYS_AT_HUB = 1


@dataclass(frozen=True)
class Promise:
    earliest: date
    latest: date

    def on_time(self, delivered_on: date) -> bool:
        return delivered_on <= self.latest

    def days_late(self, delivered_on: date) -> int:
        return max(0, (delivered_on - self.latest).days)


def promise(
    ordered_on: date, handling_hours: int, leg1_km: float, leg2_km: float | None = None, *, spread_days: int = 2
) -> Promise:
    """预计送达: handling time + transit days (via the hub: leg 1 + a day at the hub + leg 2), as a range.

    The latest date is the promise that is judged; the earliest is `spread_days` sooner (never before the
    day after ordering)."""
    handling_days = -(-handling_hours // 24)
    transit = transit_days(leg1_km)
    if leg2_km is not None:
        transit += DAYS_AT_HUB + transit_days(leg2_km)
    latest = ordered_on + timedelta(days=handling_days + transit)
    earliest = max(ordered_on + timedelta(days=1), latest - timedelta(days=spread_days))
    return Promise(earliest, latest)


def template_problems(template: Template, known_provinces: frozenset[str]) -> dict[str, str]:
    """What is wrong with a template a merchant wrote, by field (empty when it is fine)."""
    problems: dict[str, str] = {}
    if template.mode not in {WEIGHT, PIECE}:
        problems["mode"] = "unknown_mode"
    if min(template.first_fen, template.step_fen) < 0:
        problems["fees"] = "negative_fee"
    if min(template.first_units, template.step_units) < 1:
        problems["units"] = "units_below_one"
    seen: set[str] = set()
    for index, rule in enumerate(template.regions):
        if min(rule.first_fen, rule.step_fen) < 0:
            problems[f"regions.{index}"] = "negative_fee"
        elif not rule.provinces:
            problems[f"regions.{index}"] = "no_provinces"
        elif rule.provinces & seen:
            problems[f"regions.{index}"] = "overlap"
        seen |= rule.provinces
    for index, cond in enumerate(template.free):
        if cond.kind not in {ALWAYS, SUBTOTAL, PIECES}:
            problems[f"free.{index}"] = "unknown_kind"
        elif cond.threshold < 0 or (cond.kind != ALWAYS and cond.threshold == 0):
            problems[f"free.{index}"] = "bad_threshold"
    unknown = (
        set().union(template.excluded, *(r.provinces for r in template.regions), *(c.provinces for c in template.free))
        - known_provinces
    )
    if unknown:
        problems["provinces"] = "unknown:" + ",".join(sorted(unknown))
    return problems
