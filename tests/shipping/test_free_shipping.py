"""包邮 for the storefront's filter and the shop pages: which templates ship one piece free to a province,
which products that makes, and which remote provinces a whole shop ships to free."""

import pytest

from anxin.catalog.models import Product
from anxin.core import clock
from anxin.shipping import queries, rules
from anxin.shipping.models import FreeRule, RegionFee, ShippingTemplate
from tests import factories as f

PROGRAM = rules.RemoteProgram(hubs={p: "61" for p in ("65", "54", "63", "62", "64", "15")})
PAID = rules.Template(id=1, mode=rules.WEIGHT, first_units=1000, first_fen=800, step_units=1000, step_fen=300)


def template(**changes) -> rules.Template:
    return rules.Template(**{**PAID.__dict__, **changes})


def always(*provinces: str) -> rules.FreeCondition:
    return rules.FreeCondition(frozenset(provinces), rules.ALWAYS)


def test_an_always_free_rule_for_the_province_is_free_shipping():
    assert rules.ships_free(template(free=(always(),)), "330000", PROGRAM)
    assert rules.ships_free(template(free=(always("33"),)), "330000", PROGRAM)
    assert not rules.ships_free(template(free=(always("44"),)), "330000", PROGRAM)
    assert not rules.ships_free(PAID, "330000", PROGRAM)


def test_free_from_a_subtotal_or_two_pieces_is_not_free_for_one_piece():
    subtotal = rules.FreeCondition(frozenset(), rules.SUBTOTAL, 9900)
    two = rules.FreeCondition(frozenset(), rules.PIECES, 2)
    one = rules.FreeCondition(frozenset(), rules.PIECES, 1)
    assert not rules.ships_free(template(free=(subtotal, two)), "330000", PROGRAM)
    assert rules.ships_free(template(free=(one,)), "330000", PROGRAM)


def test_a_zero_fee_region_is_free_and_an_excluded_province_never_is():
    zero = rules.RegionFee(frozenset({"33"}), 0, 0)
    assert rules.ships_free(template(regions=(zero,)), "330000", PROGRAM)
    assert not rules.ships_free(template(free=(always(),), excluded=frozenset({"33"})), "330000", PROGRAM)


def test_a_remote_province_is_priced_at_its_hub_as_the_quote_does():
    at_hub = template(free=(always("61"),))
    assert rules.ships_free(at_hub, "650000", PROGRAM, origin="330000")
    assert not rules.ships_free(template(free=(always("65"),)), "650000", PROGRAM, origin="330000")
    assert rules.ships_free(template(free=(always("65"),)), "650000", PROGRAM, origin="650000")  # no hub


def _template(shop, *, free_provinces=None, zero_region=None) -> ShippingTemplate:
    row = ShippingTemplate.objects.create(merchant=shop, name="模板", created_at=clock.now())
    if free_provinces is not None:
        FreeRule.objects.create(template=row, provinces=free_provinces, kind="always")
    if zero_region:
        RegionFee.objects.create(template=row, provinces=zero_region, first_fen=0, step_fen=0)
    return row


def _ids(province: str) -> set[int]:
    return set(Product.objects.filter(pk__in=queries.free_shipping_products(province)).values_list("pk", flat=True))


@pytest.mark.django_db
def test_free_shipping_products_follow_their_templates():
    shop = f.merchant()
    everywhere = f.product(shop, shipping_template=_template(shop, free_provinces=[]))
    zhejiang = f.product(shop, shipping_template=_template(shop, free_provinces=["33"]))
    f.product(shop, shipping_template=_template(shop))  # paid everywhere
    f.product(shop)  # the platform's default: a flat fee
    assert _ids("330000") == {everywhere.pk, zhejiang.pk}
    assert _ids("440000") == {everywhere.pk}


@pytest.mark.django_db
def test_products_kept_from_remote_regions_are_not_free_there():
    shop = f.merchant()
    free = _template(shop, free_provinces=[])
    goes = f.product(shop, shipping_template=free)
    f.product(shop, shipping_template=free, remote_deliverable=False)
    assert _ids("650000") == {goes.pk}


@pytest.mark.django_db
def test_remote_free_provinces_need_every_product_of_the_shop():
    shop = f.merchant()
    free = _template(shop, free_provinces=[])
    f.product(shop, shipping_template=free)
    assert queries.remote_free_provinces(shop.pk) == sorted(queries.remote_program().hubs)
    f.product(shop, shipping_template=free, remote_deliverable=False)
    assert queries.remote_free_provinces(shop.pk) == []
    assert queries.remote_free_provinces(f.merchant().pk) == []
