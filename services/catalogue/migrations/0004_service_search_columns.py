import re

from django.db import migrations, models

LANGUAGES = ("kk", "ru", "en")
WORD = re.compile(r"\w+")


def fill_search_columns(apps, schema_editor):
    """Fill the new columns for a catalogue loaded before them (a frozen copy of `search_normalize`)."""
    Service = apps.get_model("catalogue", "Service")
    for service in Service.objects.select_related("agency").prefetch_related("life_events"):
        events = sorted(service.life_events.all(), key=lambda event: event.code)
        for lang in LANGUAGES:
            parts = [getattr(service, f"name_{lang}"), getattr(service, f"description_{lang}")]
            parts += [getattr(service.agency, f"name_{lang}")] + [getattr(e, f"name_{lang}") for e in events]
            text = " ".join(parts).casefold().replace("ё", "е")
            setattr(service, f"search_{lang}", " ".join(WORD.findall(text)))
        service.save(update_fields=[f"search_{lang}" for lang in LANGUAGES])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_form_schema_as_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="search_en",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="service",
            name="search_kk",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="service",
            name="search_ru",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_columns, migrations.RunPython.noop),
    ]
