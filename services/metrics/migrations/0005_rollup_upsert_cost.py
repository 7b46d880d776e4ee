"""Cheaper counter upserts: no index besides the key's, and on PostgreSQL room in each page for updates.

The index on (cut, basis, grain, day) repeated the leading columns of the unique key's index, which
serves the same reads. A fill factor below 100 leaves room in each page, so an update of a counter
(the `count` column, in no index) can stay on its page as a HOT update and write no index entry; pages
already full get that room as vacuum frees them.
"""

from django.db import migrations

FILLFACTOR = 80


def _set_fillfactor(fillfactor: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("metrics", "Rollup")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {fillfactor})")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0004_rollup_cuts"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="rollup",
            name="rollup_cut_grain_day",
        ),
        migrations.RunPython(_set_fillfactor(FILLFACTOR), _set_fillfactor(100), elidable=False),
    ]
