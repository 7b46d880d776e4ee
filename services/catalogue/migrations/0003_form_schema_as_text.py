"""Form schemas are stored as text: PostgreSQL's jsonb reorders object keys, and the order of a
form's properties is the order of its questions. (Rows copied here keep the order jsonb gave them.)"""

import json

from django.db import migrations, models


def copy_schemas(apps, schema_editor):
    FormVersion = apps.get_model("catalogue", "FormVersion")
    for form in FormVersion.objects.all():
        form.schema_json = json.dumps(form.schema, ensure_ascii=False)
        form.save(update_fields=["schema_json"])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_service_checks")]

    operations = [
        migrations.AddField(
            model_name="formversion", name="schema_json", field=models.TextField(default="{}"), preserve_default=False
        ),
        migrations.RunPython(copy_schemas, migrations.RunPython.noop),
        migrations.RemoveField(model_name="formversion", name="schema"),
    ]
