"""The settings as the processes see them: run in subprocesses with their own environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTAL_VARIABLES = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "SECRET_KEY",
    "DEBUG",
    "HTTPS",
    "ALLOWED_HOSTS",
    "VAR_DIR",
    # Set for the browser tests in this process (tests/e2e/conftest.py); never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DOCUMENT_SIGNING_KEY",
    "MEDIA_ROOT",
}
PRODUCTION_LIKE = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-1234567890",
    "ALLOWED_HOSTS": "portal.example.kz",
    "DATABASE_URL": "postgres://portal@db.internal:5432/portal",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "DOCUMENT_SIGNING_KEY": "b2WnTQ8m4s7C5CYrLkEt6CyeXgfCzXQ4dFn1JbqkFY0=",
}


def _manage(*args, env, tmp_path):
    base = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_like_variables(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_LIKE, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_secret_key_is_required_when_debug_is_off(tmp_path):
    result = _manage("check", "--deploy", env={"DEBUG": "false"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_migrations_check_runs_without_a_production_configuration(tmp_path):
    result = _manage("makemigrations", "--check", "--dry-run", env={}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_web_server_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage("shell", "--no-imports", "-c", "import config.wsgi", env={"DEBUG": "false"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_development_generates_one_secret_key_and_keeps_it(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _manage("shell", "--no-imports", "-c", code, env={"DEBUG": "true"}, tmp_path=tmp_path)
    second = _manage("shell", "--no-imports", "-c", code, env={"DEBUG": "true"}, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert first.stdout.strip() == (tmp_path / "secret_key").read_text().strip()


def test_the_embedded_database_is_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = _manage("shell", "--no-imports", "-c", code, env={"DEBUG": "true"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]


def test_a_bad_boolean_is_a_clear_error(tmp_path):
    result = _manage("check", env={"DEBUG": "maybe"}, tmp_path=tmp_path)
    assert "DEBUG must be a boolean" in result.stderr


def test_the_deploy_check_wants_a_shared_cache_and_a_signing_key(tmp_path):
    unsafe = {k: v for k, v in PRODUCTION_LIKE.items() if k not in ("CACHE_URL", "DOCUMENT_SIGNING_KEY")}
    result = _manage("check", "--deploy", env=unsafe, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "portal.E002" in result.stderr
    assert "documents.E001" in result.stderr
