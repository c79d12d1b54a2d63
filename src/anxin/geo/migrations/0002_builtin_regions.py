"""Load the built-in regions (31 provinces, their capitals and one county each) into every database.

Idempotent (update_or_create): running it on a database that already holds these rows, or the imported
official lists, only restores the built-in values. It reads `anxin.geo.data`, which is plain data with no
Django imports, through the historical model.
"""

from django.db import migrations


def load_builtin_regions(apps, schema_editor):
    from anxin.geo.data import builtin_rows

    Region = apps.get_model("geo", "Region")
    for row in builtin_rows():
        values = dict(row)
        code = values.pop("code")
        values["parent_id"] = values.pop("parent_code")
        Region.objects.update_or_create(code=code, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(load_builtin_regions, migrations.RunPython.noop, elidable=False)]
