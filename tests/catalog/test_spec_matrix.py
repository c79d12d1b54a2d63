"""`replace_spec_matrix`: one transaction sets a product's dimensions, values and SKUs; kept combinations keep
their SKUs, removed ones are deactivated (never deleted), a bad matrix is refused whole."""

import pytest

from anxin.catalog import queries, services
from anxin.catalog.models import SKU, SKUSpecValue, SpecDimension, SpecValue
from anxin.core.errors import AnxinError
from anxin.core.models import Event
from anxin.orders.models import OrderLine
from tests import factories as f

pytestmark = pytest.mark.django_db


def _dimensions(colours=("白蓝", "黑"), sizes=("37", "38")) -> list[dict]:
    english = {"白蓝": "White-blue", "黑": "Black"}
    return [
        {"name": "颜色", "name_en": "Colour", "values": [{"name": c, "name_en": english.get(c, "")} for c in colours]},
        {"name": "尺码", "name_en": "Size", "values": [{"name": s} for s in sizes]},
    ]


def _matrix(colours=("白蓝", "黑"), sizes=("37", "38"), price_fen=19900, stock=5) -> dict:
    rows = [
        {"values": [c, s], "price_fen": price_fen, "stock": stock, "code": f"{c}-{s}"} for c in colours for s in sizes
    ]
    return {"dimensions": _dimensions(colours, sizes), "skus": rows}


def _state(product) -> list[tuple]:
    """Everything the matrix touches, to compare before and after."""
    skus = SKU.objects.filter(product=product).order_by("pk")
    return [
        list(skus.values_list("pk", "code", "price_fen", "is_active", "spec", "spec_en", "spec_key")),
        list(skus.values_list("stock__available", flat=True)),
        list(SpecDimension.objects.filter(product=product).values_list("pk", "name", "name_en", "position")),
        list(SpecValue.objects.filter(dimension__product=product).values_list("pk", "name", "position")),
        list(SKUSpecValue.objects.filter(sku__product=product).values_list("sku_id", "value_id").order_by("pk")),
    ]


@pytest.fixture
def shop():
    staff = f.staff()
    return staff, f.product(staff.merchant)


def test_a_two_by_two_matrix_makes_four_skus_with_their_spec_in_both_languages(shop):
    staff, product = shop
    skus = services.replace_spec_matrix(staff, product.pk, _matrix())
    assert [s.spec for s in skus] == [
        {"颜色": "白蓝", "尺码": "37"},
        {"颜色": "白蓝", "尺码": "38"},
        {"颜色": "黑", "尺码": "37"},
        {"颜色": "黑", "尺码": "38"},
    ]
    assert skus[0].spec_en == {"Colour": "White-blue", "Size": "37"}
    assert all(s.stock.available == 5 and s.price_fen == 19900 for s in skus)
    assert SKUSpecValue.objects.filter(sku__in=skus).count() == 8
    old = SKU.objects.get(product=product, spec_key="")
    assert old.is_active is False  # the factory's unstructured SKU left the matrix


def test_saving_the_same_matrix_again_changes_nothing(shop):
    staff, product = shop
    services.replace_spec_matrix(staff, product.pk, _matrix())
    before = _state(product)
    stock_events = Event.objects.filter(kind="stock.set").count()
    services.replace_spec_matrix(staff, product.pk, _matrix())
    assert _state(product) == before
    assert Event.objects.filter(kind="stock.set").count() == stock_events


def test_a_removed_combination_that_was_ordered_is_deactivated_not_deleted(shop):
    staff, product = shop
    skus = services.replace_spec_matrix(staff, product.pk, _matrix())
    ordered = skus[3]  # 黑 / 38
    f.placed_checkout(lines=[(ordered, 1)])
    assert OrderLine.objects.filter(sku=ordered).exists()
    services.replace_spec_matrix(staff, product.pk, _matrix(colours=("白蓝",)))
    ordered.refresh_from_db()
    assert ordered.is_active is False and ordered.spec_key == "" and ordered.spec == {"颜色": "黑", "尺码": "38"}
    assert SpecValue.objects.filter(dimension__product=product, name="黑").exists() is False
    assert [s["code"] for s in queries.spec_matrix(product.pk)["skus"]] == ["白蓝-37", "白蓝-38"]


def test_a_combination_put_back_gets_its_old_sku_again(shop):
    staff, product = shop
    first = services.replace_spec_matrix(staff, product.pk, _matrix())
    services.replace_spec_matrix(staff, product.pk, _matrix(colours=("白蓝",)))
    again = services.replace_spec_matrix(staff, product.pk, _matrix())
    assert [s.pk for s in again] == [s.pk for s in first] and all(s.is_active for s in again)


def test_reordering_dimensions_keeps_every_sku(shop):
    staff, product = shop
    first = {s.code: s.pk for s in services.replace_spec_matrix(staff, product.pk, _matrix())}
    matrix = _matrix()
    matrix["dimensions"].reverse()
    for row in matrix["skus"]:
        row["values"].reverse()
    second = {s.code: s.pk for s in services.replace_spec_matrix(staff, product.pk, matrix)}
    assert second == first
    assert [d.name for d in SpecDimension.objects.filter(product=product)] == ["尺码", "颜色"]


def test_a_price_change_is_recorded_for_price_protection(shop):
    staff, product = shop
    sku = services.replace_spec_matrix(staff, product.pk, _matrix())[0]
    services.replace_spec_matrix(staff, product.pk, _matrix(price_fen=17900))
    event = Event.objects.filter(kind="sku.price_changed", subject_id=sku.pk).get()
    assert event.data == {"before": 19900, "after": 17900}


@pytest.mark.parametrize(
    "change,code,field",
    [
        (lambda m: m["skus"].append(dict(m["skus"][0], code="X")), "invalid_spec_matrix", "skus.4.values"),
        (lambda m: m["skus"][0].update(values=["白蓝"]), "invalid_spec_matrix", "skus.0.values"),
        (lambda m: m["skus"][1].update(price_fen=0), "invalid_spec_matrix", "skus.1.price_fen"),
        (lambda m: m["dimensions"][0].update(name="颜\u0007色"), "invalid_spec_matrix", "dimensions.0.name"),
        (lambda m: m["dimensions"].append({"name": "颜色", "values": [{"name": "红"}]}), "invalid_spec_matrix",
         "dimensions.2.name"),
    ],
)  # fmt: skip
def test_a_bad_matrix_is_refused_with_its_field_and_nothing_changes(shop, change, code, field):
    staff, product = shop
    services.replace_spec_matrix(staff, product.pk, _matrix())
    before = _state(product)
    matrix = _matrix(price_fen=100)
    change(matrix)
    with pytest.raises(AnxinError) as caught:
        services.replace_spec_matrix(staff, product.pk, matrix)
    assert caught.value.code == code and field in caught.value.fields
    assert _state(product) == before


def test_another_skus_code_is_refused_and_nothing_changes(shop):
    staff, product = shop
    services.replace_spec_matrix(staff, product.pk, _matrix())
    before = _state(product)
    matrix = _matrix()
    matrix["skus"][0]["code"], matrix["skus"][3]["code"] = "黑-38", ""  # 黑/38 keeps its SKU, and its code
    with pytest.raises(AnxinError) as caught:
        services.replace_spec_matrix(staff, product.pk, matrix)
    assert caught.value.code == "invalid_spec_matrix" and "skus.0.code" in caught.value.fields
    assert _state(product) == before


def test_another_merchants_product_is_not_found_and_unchanged(shop):
    _staff, product = shop
    before = _state(product)
    with pytest.raises(AnxinError) as caught:
        services.replace_spec_matrix(f.staff(), product.pk, _matrix())
    assert caught.value.status == 404 and _state(product) == before


def test_a_sku_outside_the_matrix_cannot_be_added_once_the_product_has_one(shop):
    staff, product = shop
    services.replace_spec_matrix(staff, product.pk, _matrix())
    count = SKU.objects.filter(product=product).count()
    with pytest.raises(AnxinError) as caught:
        services.add_sku(staff, product.pk, {"code": "LOOSE", "price_fen": 100, "spec": {"颜色": "红"}})
    assert caught.value.code == "use_spec_matrix" and SKU.objects.filter(product=product).count() == count


def test_blank_codes_are_made_up_unique(shop):
    staff, product = shop
    matrix = _matrix()
    for row in matrix["skus"]:
        row["code"] = ""
    codes = [s.code for s in services.replace_spec_matrix(staff, product.pk, matrix)]
    assert len(set(codes)) == 4 and all(codes)
