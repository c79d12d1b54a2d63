"""Count the units of orders paid before `catalog.DailySales` existed, so sorting by sales works at once on a
database that already has orders (from then on `mark_checkout_paid` counts them as they are paid)."""

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    line_model = apps.get_model("orders", "OrderLine")
    sales_model = apps.get_model("catalog", "DailySales")
    if sales_model.objects.exists():
        return
    totals: dict[tuple[int, object], int] = {}
    paid = line_model.objects.filter(order__paid_at__isnull=False).values_list(
        "product_id", "quantity", "order__paid_at"
    )
    for product_id, quantity, paid_at in paid.iterator(chunk_size=2000):
        key = (product_id, timezone.localdate(paid_at))
        totals[key] = totals.get(key, 0) + quantity
    sales_model.objects.bulk_create(
        (sales_model(product_id=product_id, day=day, units=units) for (product_id, day), units in totals.items()),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("orders", "0003_cancel_reason_choices"), ("catalog", "0006_search_index_and_daily_sales")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
