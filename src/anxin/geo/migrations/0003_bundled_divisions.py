"""Load the bundled official division list (31 provinces, 342 cities, 2,975 counties plus the three cities
that are their own county), so a new installation offers every address in the mainland out of the box.

Rows already present (the built-in ones, an earlier import, ops' edits) are left as they are; English
names, remote flags and hubs stay those of the built-in table. A bulk insert, so a test database is built
in a fraction of a second.
"""

from django.db import migrations


def load_bundled_divisions(apps, schema_editor):
    from anxin.geo.bundle import load_into

    load_into(apps.get_model("geo", "Region"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_builtin_regions")]

    operations = [migrations.RunPython(load_bundled_divisions, migrations.RunPython.noop, elidable=False)]
