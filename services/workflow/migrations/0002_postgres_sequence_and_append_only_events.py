"""On PostgreSQL: the reference number sequence, and a trigger that keeps events append-only.

The trigger refuses UPDATE and DELETE on the event table whatever issues them: the ORM, raw SQL
or a console. (SQLite, the embedded default, relies on the model's own refusal.)
"""

from django.db import migrations

SEQUENCE = "workflow_request_reference_seq"

CREATE = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} START 1;
CREATE OR REPLACE FUNCTION workflow_refuse_event_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'request events are append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workflow_requestevent_append_only
    BEFORE UPDATE OR DELETE ON workflow_requestevent
    FOR EACH ROW EXECUTE FUNCTION workflow_refuse_event_change();
"""

DROP = f"""
DROP TRIGGER IF EXISTS workflow_requestevent_append_only ON workflow_requestevent;
DROP FUNCTION IF EXISTS workflow_refuse_event_change();
DROP SEQUENCE IF EXISTS {SEQUENCE};
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
