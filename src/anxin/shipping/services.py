"""Shipping templates and the remote-region programme: the only code that changes them."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anxin.catalog.models import Product
from anxin.core import clock, config, events
from anxin.core.errors import AnxinError, NotFound, Text
from anxin.core.permissions import owned, require_role
from anxin.core.text import clean_text
from anxin.geo.data import PROVINCES
from anxin.geo.models import Region
from anxin.shipping import rules
from anxin.shipping.models import FreeRule, RegionFee, ShippingTemplate
from anxin.shipping.queries import as_rule, forget_geography, remote_program, with_rules

KNOWN_PROVINCES = frozenset(p.code[:2] for p in PROVINCES)
PROBLEM_MESSAGES = {
    "unknown_mode": gettext_lazy("计费方式须为按重量或按件数。"),
    "negative_fee": gettext_lazy("运费不能为负数。"),
    "units_below_one": gettext_lazy("首重/首件和续重/续件须至少为 1。"),
    "no_provinces": gettext_lazy("每条地区规则至少要选一个省份。"),
    "overlap": gettext_lazy("同一个省份只能出现在一条地区规则里。"),
    "unknown_kind": gettext_lazy("包邮条件须为包邮、满额或满件。"),
    "bad_threshold": gettext_lazy("满额/满件包邮需要大于 0 的门槛。"),
}


# --- templates -----------------------------------------------------------------------------------------


def _provinces(values: Any) -> frozenset[str]:
    if not isinstance(values, (list, tuple, set, frozenset)):
        raise AnxinError(_("省份须为省份代码的列表。"), code="invalid_template", fields={"provinces": _("须为列表")})
    return frozenset(str(v).strip()[:2] for v in values if str(v).strip())


def _int(data: dict, key: str, default: int = 0) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnxinError(_("“%(key)s”须为整数。") % {"key": key}, code="invalid_template", fields={key: _("须为整数")})
    return value


def template_from_input(data: dict[str, Any], template_id: int = 0) -> rules.Template:
    """A template as the rules see it, from what a merchant sent (API or page); raises on shapes."""
    return rules.Template(
        id=template_id,
        mode=str(data.get("mode", rules.WEIGHT)),
        first_units=_int(data, "first_units", 1000),
        first_fen=_int(data, "first_fen"),
        step_units=_int(data, "step_units", 1000),
        step_fen=_int(data, "step_fen"),
        regions=tuple(
            rules.RegionFee(_provinces(r.get("provinces", [])), _int(r, "first_fen"), _int(r, "step_fen"))
            for r in data.get("regions") or []
        ),
        free=tuple(
            rules.FreeCondition(_provinces(c.get("provinces", [])), str(c.get("kind", "")), _int(c, "threshold"))
            for c in data.get("free") or []
        ),
        excluded=_provinces(data.get("excluded_provinces") or []),
        name=clean_text(data.get("name"), field="name", max_length=60),
    )


def _check(template: rules.Template) -> None:
    problems = rules.template_problems(template, KNOWN_PROVINCES)
    if not problems:
        return
    fields: dict[str, Text] = {}
    for key, problem in problems.items():
        if problem.startswith("unknown:"):
            fields[key] = _("未知的省份代码：%(codes)s") % {"codes": problem.split(":", 1)[1]}
        else:
            fields[key] = PROBLEM_MESSAGES[problem]
    raise AnxinError(_("运费模板有误，请按提示修改。"), code="invalid_template", fields=fields)


def own_template(staff, template_id: int, *, lock: bool = False) -> ShippingTemplate:
    require_role(staff, "merchant_staff")
    templates = ShippingTemplate.objects.filter(pk=template_id, merchant_id=staff.merchant_id)
    return owned(templates, _("找不到这个运费模板。"), lock=lock)


def save_template(staff, data: dict[str, Any], template_id: int | None = None) -> ShippingTemplate:
    """Create or replace a template with its region fees and free-shipping rules, checked as a whole."""
    require_role(staff, "merchant_staff")
    spec = template_from_input(data, template_id or 0)
    _check(spec)
    with transaction.atomic():
        if template_id:
            template = own_template(staff, template_id, lock=True)
            template.region_fees.all().delete()
            template.free_rules.all().delete()
        else:
            template = ShippingTemplate(merchant_id=staff.merchant_id, created_at=clock.now())
        template.name, template.mode = spec.name, spec.mode
        template.first_units, template.first_fen = spec.first_units, spec.first_fen
        template.step_units, template.step_fen = spec.step_units, spec.step_fen
        template.excluded_provinces = sorted(spec.excluded)
        template.save()
        RegionFee.objects.bulk_create(
            RegionFee(template=template, provinces=sorted(r.provinces), first_fen=r.first_fen, step_fen=r.step_fen)
            for r in spec.regions
        )
        FreeRule.objects.bulk_create(
            FreeRule(template=template, provinces=sorted(c.provinces), kind=c.kind, threshold=c.threshold)
            for c in spec.free
        )
        events.record("shipping_template.saved", template, {"name": template.name}, actor=staff)
    return template


def assign_template(staff, product_ids: list[int], template_id: int | None) -> int:
    """Attach a template to some of the merchant's own products (None: back to the platform default)."""
    if template_id:
        own_template(staff, template_id)
    else:
        require_role(staff, "merchant_staff")
    template_id = template_id or None
    with transaction.atomic():
        products = list(
            Product.objects.select_for_update()
            .filter(pk__in=product_ids, merchant_id=staff.merchant_id)
            .order_by("pk")
            .only("pk", "shipping_template_id")
        )
        if len(products) != len(set(product_ids)):
            raise NotFound(_("找不到这个商品。"))
        changed = [p for p in products if p.shipping_template_id != template_id]
        for product in changed:
            events.record(
                "product.shipping_template_set",
                product,
                {"before": product.shipping_template_id, "after": template_id},
                actor=staff,
            )
        Product.objects.filter(pk__in=[p.pk for p in changed]).update(shipping_template_id=template_id)
    return len(products)


def preview(template: ShippingTemplate, weight_g: int = 1000) -> list[tuple[str, str, int | None]]:
    """The fee of one parcel (1 kg by default) to every province: (code, name, fee or None if not delivered)."""
    spec = as_rule(with_rules(ShippingTemplate.objects.filter(pk=template.pk)).get())
    program = remote_program()
    rows = []
    for province in PROVINCES:
        line = rules.Line(template_id=spec.id, quantity=1, unit_price_fen=0, weight_g=weight_g)
        quote = rules.quote([line], {spec.id: spec}, province.code, program)
        rows.append((province.code, province.name, None if quote.refusals else quote.fee_fen))
    return rows


# --- the remote-region program (ops) -------------------------------------------------------------------


def update_remote_program(actor, *, remote: dict[str, str], leg2_first_kg_fen: int, leg2_next_kg_fen: int) -> None:
    """Ops set which provinces are remote (province code -> hub city code) and the leg-2 rate per kg.

    Provinces left out are not remote. A hub must be a city in the region table."""
    require_role(actor, "ops")
    errors = {}
    provinces = {r.code: r for r in Region.objects.filter(level=Region.Level.PROVINCE)}
    hubs = set(
        Region.objects.filter(level=Region.Level.CITY, code__in=set(remote.values())).values_list("code", flat=True)
    )
    for province, hub in remote.items():
        if province not in provinces:
            errors[f"remote.{province}"] = _("未知的省份代码。")
        elif hub not in hubs:
            errors[f"remote.{province}"] = _("中转仓须为地区表中的城市代码。")
    for key, value in (("leg2_first_kg_fen", leg2_first_kg_fen), ("leg2_next_kg_fen", leg2_next_kg_fen)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
            errors[key] = _("须为 0 到 100,000 分之间的整数。")
    if errors:
        raise AnxinError(_("偏远地区设置有误。"), code="invalid_remote_program", fields=errors)
    with transaction.atomic():
        for code, row in provinces.items():
            row.is_remote, row.hub_code = code in remote, remote.get(code, "")
        Region.objects.bulk_update(list(provinces.values()), ["is_remote", "hub_code"])
        config.set_value("shipping.leg2_first_kg_fen", leg2_first_kg_fen, actor=actor)
        config.set_value("shipping.leg2_next_kg_fen", leg2_next_kg_fen, actor=actor)
        events.record(
            "shipping.remote_program_set",
            actor,
            {"remote": remote, "leg2_first_kg_fen": leg2_first_kg_fen, "leg2_next_kg_fen": leg2_next_kg_fen},
            actor=actor,
        )
    forget_geography()


def set_template_products(staff, template_id: int, chosen: set[int], listed: set[int]) -> dict[str, list[int]]:
    """The seller's product list on a template's page: of the `listed` products, the `chosen` ones get this
    template and the others that had it go back to the platform default (products not listed are left alone).
    One transaction with the template locked, so two such saves do not interleave; returns what changed."""
    with transaction.atomic():
        template = own_template(staff, template_id, lock=True)
        current = set(Product.objects.filter(shipping_template=template, pk__in=listed).values_list("pk", flat=True))
        added, removed = sorted(chosen - current), sorted(current - chosen)
        if added:
            assign_template(staff, added, template.pk)
        if removed:
            assign_template(staff, removed, None)
        if added or removed:
            events.record(
                "shipping_template.products_changed", template, {"added": added, "removed": removed}, actor=staff
            )
    return {"added": added, "removed": removed}
