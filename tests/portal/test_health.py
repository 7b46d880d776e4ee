import pytest
from celery import current_app

from services.catalogue.models import LifeEvent
from services.ops.models import WorkerHeartbeat
from services.ops.tasks import worker_heartbeat
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_broker_and_the_last_worker_heartbeat(client):
    worker_heartbeat.delay()
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"] == {"database": True, "broker": True}
    assert body["worker_last_seen"] == WorkerHeartbeat.objects.get().seen_at.isoformat()


def test_readyz_is_unavailable_when_the_broker_cannot_be_reached(client, monkeypatch):
    nowhere = "redis://127.0.0.1:9/0"
    monkeypatch.setenv("CELERY_BROKER_URL", nowhere)  # Celery reads this variable before its settings
    monkeypatch.setitem(current_app.conf, "broker_url", nowhere)
    monkeypatch.setitem(current_app.conf, "broker_write_url", nowhere)
    monkeypatch.setitem(current_app.conf, "broker_transport_options", {})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "broker": False}


def test_the_home_page_leads_to_the_catalogue_in_the_chosen_language(client):
    event = LifeEvent.objects.create(
        code="looking-for-work", name_kk="Жұмыс іздеу", name_ru="Поиск работы", name_en="x"
    )
    ServiceFactory().life_events.add(event)
    assert "Жұмыс іздеу" in client.get("/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Поиск работы" in page and 'href="/services/"' in page
