import os
from datetime import timedelta

import pytest
from celery import current_app
from django.db import connection
from kombu import pools

from services.catalogue.loading import catalogue_load_file
from tests.reliability.processes import RedisServer, Worker
from tests.test_settings import PORTAL_VARIABLES


@pytest.fixture
def reliability_dir(tmp_path):
    return tmp_path


@pytest.fixture
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


def _point_celery_at(url: str) -> None:
    for key in ("broker_url", "broker_write_url", "broker_read_url"):
        current_app.conf[key] = url
    pools.reset()  # connections and producers are pooled per broker: start afresh
    current_app._pool = None
    current_app.amqp._producer_pool = None


@pytest.fixture
def broker(redis_server, monkeypatch):
    """This process's Celery app publishes to the test's own Redis."""
    original = current_app.conf.broker_url
    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    _point_celery_at(redis_server.url)
    yield redis_server
    _point_celery_at(original)


@pytest.fixture
def quick_sweeps(settings):
    settings.OUTBOX_DISPATCH_GRACE = timedelta(seconds=1)
    settings.OUTBOX_RETRY_AFTER = timedelta(seconds=5)


@pytest.fixture
def catalogue(transactional_db):
    catalogue_load_file()


@pytest.fixture
def worker_env(reliability_dir, broker):
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    base = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker.url,
        "RELIABILITY_DIR": str(reliability_dir),
        "SIDE_EFFECT_MAX_ATTEMPTS": "3",
        "SIDE_EFFECT_RETRY_BACKOFF_SECONDS": "1",
        "CELERY_TASK_SOFT_TIME_LIMIT": "20",
        "CELERY_TASK_TIME_LIMIT": "30",
        "CELERY_VISIBILITY_TIMEOUT": "40",
        "VAR_DIR": str(reliability_dir / "var"),
    }


@pytest.fixture
def start_worker(worker_env, reliability_dir):
    workers = []

    def start(**options) -> Worker:
        worker = Worker(worker_env, reliability_dir / "worker.log", **options).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
