"""Reads for shipping: templates as rule objects, the remote program, quotes and delivery promises.

The geography (province centres, remote flags, hubs) changes rarely and is read on every quote, so it is
cached per process for a few seconds, like the rules' settings."""

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anxin.catalog.models import Product
from anxin.core import config
from anxin.geo.models import Region
from anxin.geo.rules import km_between
from anxin.shipping import rules
from anxin.shipping.models import FreeRule, RegionFee, ShippingTemplate

DEFAULT_TEMPLATE_ID = 0  # products without a template of their own
CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Geography:
    centres: dict[str, tuple[float, float]]  # province prefix -> (lat, lng)
    hubs: dict[str, str]  # remote province prefix -> hub city code
    names: dict[str, str]  # province prefix -> name


_geography: Geography | None = None
_loaded_at = 0.0


def geography() -> Geography:
    global _geography, _loaded_at
    if _geography is None or time.monotonic() - _loaded_at > CACHE_SECONDS:
        provinces = Region.objects.filter(level=Region.Level.PROVINCE).only(
            "code", "name", "latitude", "longitude", "is_remote", "hub_code"
        )
        centres, hubs, names = {}, {}, {}
        for row in provinces:
            prefix = row.code[:2]
            names[prefix] = row.name
            if row.latitude is not None and row.longitude is not None:
                centres[prefix] = (row.latitude, row.longitude)
            if row.is_remote and row.hub_code:
                hubs[prefix] = row.hub_code
        _geography = Geography(centres, hubs, names)
        _loaded_at = time.monotonic()
    return _geography


def forget_geography() -> None:
    global _loaded_at
    _loaded_at = 0.0


def remote_program() -> rules.RemoteProgram:
    return rules.RemoteProgram(
        hubs={prefix: hub[:2] for prefix, hub in geography().hubs.items()},
        leg2_first_kg_fen=config.get("shipping.leg2_first_kg_fen"),
        leg2_next_kg_fen=config.get("shipping.leg2_next_kg_fen"),
    )


def default_template() -> rules.Template:
    """The flat fee per merchant order for products without a template, waived from a subtotal."""
    free_over = config.get("orders.free_shipping_over_fen")
    return rules.Template(
        id=DEFAULT_TEMPLATE_ID,
        mode=rules.PIECE,
        first_units=10**9,
        first_fen=config.get("orders.flat_shipping_fen"),
        step_units=1,
        step_fen=0,
        free=(rules.FreeCondition(frozenset(), rules.SUBTOTAL, free_over),) if free_over else (),
        name="default",
    )


def as_rule(template: ShippingTemplate) -> rules.Template:
    """A template row (with its region fees and free rules prefetched) as the pure rules see it."""
    return rules.Template(
        id=template.pk,
        mode=template.mode,
        first_units=template.first_units,
        first_fen=template.first_fen,
        step_units=template.step_units,
        step_fen=template.step_fen,
        regions=tuple(
            rules.RegionFee(frozenset(r.provinces), r.first_fen, r.step_fen) for r in template.region_fees.all()
        ),
        free=tuple(rules.FreeCondition(frozenset(c.provinces), c.kind, c.threshold) for c in template.free_rules.all()),
        excluded=frozenset(template.excluded_provinces),
        name=template.name,
    )


def with_rules(templates):
    return templates.prefetch_related(
        Prefetch("region_fees", queryset=RegionFee.objects.order_by("id")),
        Prefetch("free_rules", queryset=FreeRule.objects.order_by("id")),
    )


def templates_for(template_ids: Iterable[int | None]) -> dict[int, rules.Template]:
    """Rule objects for these template ids (None or 0: the default), in three queries at most."""
    ids = {tid for tid in template_ids if tid}
    found = {DEFAULT_TEMPLATE_ID: default_template()}
    if ids:
        found.update({t.pk: as_rule(t) for t in with_rules(ShippingTemplate.objects.filter(pk__in=ids))})
    return found


def quote(lines: list[rules.Line], destination_province: str, origin_province: str = "") -> rules.Quote:
    templates = templates_for(line.template_id for line in lines)
    return rules.quote(lines, templates, destination_province, remote_program(), origin_province)


def refusal_message(refusal: rules.Refusal) -> str:
    """Why a product cannot go to an address, in words a buyer understands."""
    if refusal.reason == "not_remote":
        return _("“%(title)s”不支持配送到偏远地区（新疆、西藏、青海、甘肃、宁夏、内蒙古）。") % {"title": refusal.title}
    return _("“%(title)s”的商家不配送到这个省份。") % {"title": refusal.title}


def _km(a: str, b: str) -> float:
    return km_between(geography().centres, a, b)


def promise(
    origin_province: str, destination_province: str, handling_hours: int, ordered_at: datetime
) -> rules.Promise:
    """预计送达 for a parcel from the merchant's province, via the hub when the destination is remote."""
    origin, destination = origin_province[:2], destination_province[:2]
    ordered_on = timezone.localtime(ordered_at).date()
    hub = geography().hubs.get(destination) if origin != destination else None
    spread = config.get("shipping.promise_spread_days")
    if hub:
        return rules.promise(
            ordered_on, handling_hours, _km(origin, hub[:2]), _km(hub[:2], destination), spread_days=spread
        )
    return rules.promise(ordered_on, handling_hours, _km(origin, destination), spread_days=spread)


def local_date(at: datetime) -> date:
    return timezone.localtime(at).date()


@dataclass(frozen=True)
class Offer:
    """What the product page tells a buyer about delivery to their address."""

    fee_fen: int
    via_hub: bool
    refusal: str  # why it cannot go there ("" when it can)
    promise: rules.Promise


def offer(product, sku, province_code: str, at: datetime) -> Offer:
    """One unit of `sku` to `province_code`: its fee, whether it goes via the hub, why not, and 预计送达."""
    line = rules.Line(
        template_id=product.shipping_template_id or DEFAULT_TEMPLATE_ID,
        quantity=1,
        unit_price_fen=sku.price_fen,
        weight_g=sku.weight_g,
        remote_ok=product.remote_deliverable,
        product_id=product.pk,
        title=product.title,
    )
    result = quote([line], province_code, product.merchant.origin_province_id)
    return Offer(
        fee_fen=result.fee_fen,
        via_hub=bool(result.via_hub),
        refusal=refusal_message(result.refusals[0]) if result.refusals else "",
        promise=promise(product.merchant.origin_province_id, province_code, product.handling_hours, at),
    )


def own_template_with_rules(template: ShippingTemplate) -> ShippingTemplate:
    """The template again with its region fees and free rules (the editor shows them all)."""
    return with_rules(ShippingTemplate.objects.filter(pk=template.pk)).get()


def merchant_templates(merchant_id: int) -> list[ShippingTemplate]:
    """The merchant's templates with their rules and how many products use each, oldest first."""
    templates = ShippingTemplate.objects.filter(merchant_id=merchant_id).annotate(product_count=Count("products"))
    return list(with_rules(templates).order_by("pk"))


def products_without_template(merchant_id: int) -> int:
    return Product.objects.filter(merchant_id=merchant_id, shipping_template__isnull=True).count()


def assignable_products(merchant_id: int, limit: int) -> list:
    """The merchant's newest products with their template, for the template page's product list."""
    return list(
        Product.objects.filter(merchant_id=merchant_id)
        .select_related("shipping_template")
        .order_by("-created_at", "-id")[:limit]
    )


def free_shipping_products(province_code: str) -> QuerySet[Product]:
    """The ids (a subquery) of the products that ship free to a province (包邮, `rules.ships_free`): those whose
    template, from its shop's province, says so, and for a remote province only those allowed to go there
    (or sent from inside it). For the storefront's 包邮 filter; four queries to build, one when used."""
    province = rules.province_prefix(province_code)
    program = remote_program()
    templates = with_rules(ShippingTemplate.objects.select_related("merchant"))
    free = [t.pk for t in templates if rules.ships_free(as_rule(t), province, program, t.merchant.origin_province_id)]
    condition = Q(shipping_template_id__in=free)
    if rules.ships_free(default_template(), province, program):
        condition |= Q(shipping_template__isnull=True)
    if program.hub_of(province):
        condition &= Q(remote_deliverable=True) | Q(merchant__origin_province__code__startswith=province)
    return Product.objects.filter(condition).values("pk")


def remote_free_provinces(merchant_id: int) -> list[str]:
    """The remote provinces (prefixes, in code order) to which every active product of a shop ships free: its
    包邮到新疆 promise for the shop page. Four queries, whatever the number of products."""
    program = remote_program()
    templates = {t.pk: t for t in with_rules(ShippingTemplate.objects.filter(merchant_id=merchant_id))}
    products = set(
        Product.objects.filter(merchant_id=merchant_id, is_active=True).values_list(
            "shipping_template_id", "remote_deliverable", "merchant__origin_province_id"
        )
    )
    if not products:
        return []
    found = []
    for province in sorted(program.hubs):
        if all(
            (remote_ok or origin[:2] == province)
            and rules.ships_free(
                as_rule(templates[template_id]) if template_id else default_template(), province, program, origin
            )
            for template_id, remote_ok, origin in products
        ):
            found.append(province)
    return found
