"""Turn each product's SKU spec dicts ({"颜色": "红", "尺码": "42"}) into its spec dimensions and values.

Dimensions and values keep the order in which the SKUs first name them (a spec's key order as SQLite keeps it;
PostgreSQL's jsonb keeps none, so there the merchant may reorder the dimensions in the editor). A SKU that lacks a dimension, or
repeats another SKU's combination, stays unstructured (empty `spec_key`); its product page then keeps the
plain list of SKUs until the merchant saves the matrix."""

import json

from django.db import migrations


def _key(pairs: list[tuple[str, str]]) -> str:
    """The same identity as `catalog.rules.combination_key` at the time of writing (frozen here)."""
    return json.dumps(sorted(pairs), ensure_ascii=False, separators=(",", ":"))


def _structure(product, skus, SpecDimension, SpecValue, SKUSpecValue) -> None:
    dimensions: dict[str, object] = {}
    values: dict[tuple[str, str], object] = {}
    for sku in skus:
        for name, value in sku.spec.items():
            name, value = str(name)[:30], str(value)[:60]
            if name not in dimensions:
                dimensions[name] = SpecDimension.objects.create(product=product, position=len(dimensions), name=name)
            if (name, value) not in values:
                position = sum(1 for (n, _v) in values if n == name)
                values[(name, value)] = SpecValue.objects.create(
                    dimension=dimensions[name], position=position, name=value
                )
    taken: set[str] = set()
    for sku in skus:
        pairs = [(str(n)[:30], str(v)[:60]) for n, v in sku.spec.items()]
        key = _key(pairs)
        if {n for n, _v in pairs} != set(dimensions) or key in taken:
            continue
        taken.add(key)
        sku.spec_key = key
        sku.save(update_fields=["spec_key"])
        SKUSpecValue.objects.bulk_create(
            SKUSpecValue(sku=sku, dimension=dimensions[n], value=values[(n, v)]) for n, v in pairs
        )


def forwards(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    SKU = apps.get_model("catalog", "SKU")
    SpecDimension = apps.get_model("catalog", "SpecDimension")
    SpecValue = apps.get_model("catalog", "SpecValue")
    SKUSpecValue = apps.get_model("catalog", "SKUSpecValue")
    for product in Product.objects.filter(skus__isnull=False).distinct().iterator():
        skus = [sku for sku in SKU.objects.filter(product=product).order_by("pk") if isinstance(sku.spec, dict)]
        if any(sku.spec for sku in skus):
            _structure(product, skus, SpecDimension, SpecValue, SKUSpecValue)


def backwards(apps, schema_editor):
    apps.get_model("catalog", "SpecDimension").objects.all().delete()
    apps.get_model("catalog", "SKU").objects.update(spec_key="")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_spec_matrix")]
    operations = [migrations.RunPython(forwards, backwards)]
