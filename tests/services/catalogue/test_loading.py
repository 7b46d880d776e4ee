import copy
import json

import pytest
from django.core.management import call_command

from services.catalogue.loading import DEFAULT_CATALOGUE, CatalogueError, catalogue_load, catalogue_load_file
from services.catalogue.models import Agency, FormVersion, Service
from services.workflow.service import draft_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))


def test_the_shipped_catalogue_loads_at_least_twelve_services_from_six_agencies():
    report = catalogue_load_file()
    assert Service.objects.count() >= 12
    assert Agency.objects.filter(services__isnull=False).distinct().count() >= 6
    assert all(s.form.version == 1 for s in Service.objects.select_related("form"))
    assert len(report.new_form_versions) == Service.objects.count()


def test_loading_twice_changes_nothing(data):
    catalogue_load(data)
    snapshot = list(Service.objects.values().order_by("code"))
    report = catalogue_load(copy.deepcopy(data))
    assert not report.changed
    assert list(Service.objects.values().order_by("code")) == snapshot
    assert FormVersion.objects.count() == Service.objects.count()


def test_the_command_says_when_nothing_changed(capsys):
    call_command("load_catalogue")
    call_command("load_catalogue")
    assert capsys.readouterr().out.strip().endswith("Catalogue unchanged.")


def test_an_edited_form_becomes_a_new_version_and_open_drafts_keep_theirs(data):
    catalogue_load(data)
    service = Service.objects.get(code=data["services"][0]["code"])
    draft = draft_start(citizen=UserFactory(), service=service)
    first_field = next(iter(data["services"][0]["form"]["properties"].values()))
    first_field["x-label"]["en"] = "A clearer question"
    report = catalogue_load(data)
    assert report.new_form_versions == [f"{service.code} v2"]
    service.refresh_from_db()
    assert service.form.version == 2
    draft.refresh_from_db()
    assert draft.form_version.version == 1
    assert not catalogue_load(data).changed


def test_an_edited_fee_updates_the_service_in_place(data):
    catalogue_load(data)
    data["services"][0]["fee_kzt"] += 100
    report = catalogue_load(data)
    assert report.updated == [f"service {data['services'][0]['code']}"]
    assert report.new_form_versions == []


def test_a_broken_form_is_refused_and_nothing_is_written(data):
    del data["services"][1]["form"]["x-pages"]
    data["services"][2]["agency"] = "nobody"
    with pytest.raises(CatalogueError) as refused:
        catalogue_load(data)
    assert "x-pages" in str(refused.value) and "unknown agency 'nobody'" in str(refused.value)
    assert not Service.objects.exists()


def test_every_declared_check_exists_and_cites_a_ground_of_its_service(data):
    catalogue_load(data)
    assert all(service.checks for service in Service.objects.all())
    data["services"][0]["checks"] = [{"check": "no_such_check"}, {"check": "owns_property", "refusal_ground": "nope"}]
    with pytest.raises(CatalogueError) as refused:
        catalogue_load(data)
    assert "unknown check 'no_such_check'" in str(refused.value)
    assert "unknown refusal ground 'nope'" in str(refused.value)


def test_form_questions_keep_their_written_order_in_the_database(data):
    catalogue_load(data)
    for item in data["services"]:
        stored = FormVersion.objects.get(service__code=item["code"]).schema
        assert list(stored["properties"]) == list(item["form"]["properties"]), item["code"]
