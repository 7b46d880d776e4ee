"""On PostgreSQL: `workflow_reference(number)`, with which a new request's INSERT formats its reference."""

from django.db import migrations

import services.workflow.models
from services.workflow.references import POSTGRES_FUNCTION, postgres_function_sql


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql() if callable(sql) else sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflow", "0004_request_filed_by")]

    operations = [
        migrations.AlterField(
            model_name="servicerequest",
            name="reference",
            field=services.workflow.models.ReferenceField(max_length=20, unique=True),
        ),
        migrations.RunPython(
            _on_postgres(postgres_function_sql), _on_postgres(f"DROP FUNCTION IF EXISTS {POSTGRES_FUNCTION}(bigint)")
        ),
    ]
