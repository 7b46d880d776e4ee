# The actions of the lifecycle as they stand: deadline reminders and the third party's answer.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_postgres_sequence_and_append_only_events"),
    ]

    operations = [
        migrations.AlterField(
            model_name="requestevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("started", "Started"),
                    ("step_saved", "Page saved"),
                    ("resumed", "Resumed"),
                    ("submit", "Submitted"),
                    ("abandon", "Abandoned"),
                    ("start_checks", "Checks started"),
                    ("await_consent", "Waiting for consent"),
                    ("consent_answered", "Third party answered"),
                    ("route_to_review", "Sent to an officer"),
                    ("approve", "Approved"),
                    ("reject", "Rejected"),
                    ("request_info", "Information requested"),
                    ("respond", "Information provided"),
                    ("issue", "Result issued"),
                    ("withdraw", "Withdrawn"),
                    ("expire", "Expired"),
                    ("fail", "Failed"),
                    ("claim", "Claimed"),
                    ("reassign", "Reassigned"),
                    ("note", "Internal note"),
                    ("escalate", "Escalated"),
                    ("remind", "Deadline reminder sent"),
                ],
                max_length=20,
            ),
        ),
    ]
