from django.db import migrations, models


def reminded_deadlines_from_events(apps, schema_editor):
    """Requests already reminded of their current deadline are not reminded again (whatever their
    state now: one waiting for the citizen may come back to review with the same deadline)."""
    ServiceRequest = apps.get_model("workflow", "ServiceRequest")
    RequestEvent = apps.get_model("workflow", "RequestEvent")
    reminders = RequestEvent.objects.filter(action="remind").values_list("request_id", "payload", "request__deadline")
    reminded = [
        pk for pk, payload, deadline in reminders if deadline and payload.get("deadline") == deadline.isoformat()
    ]
    for deadline_pks in _chunks(reminded, 1000):
        ServiceRequest.objects.filter(pk__in=deadline_pks).update(reminded_deadline=models.F("deadline"))


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0005_reference_computed_by_the_insert"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="reminded_deadline",
            field=models.DateField(
                blank=True,
                help_text="The deadline its assignee was last reminded of (one reminder per deadline).",
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                condition=models.Q(("state", "draft")), fields=["updated_at"], name="request_draft_updated"
            ),
        ),
        migrations.RunPython(reminded_deadlines_from_events, migrations.RunPython.noop),
    ]
