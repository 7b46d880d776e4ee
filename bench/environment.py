"""What the benchmarks share: the environment their portal processes run in."""

import base64
import os
from pathlib import Path


def portal_environment(*, database_url: str, work: Path) -> dict[str, str]:
    """Production-like settings with throwaway keys, a private database and a private folder under `work`."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "DOCUMENT_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),
        "DEBUG": "false",
        "HTTPS": "false",
        "VAR_DIR": str(work / "var"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
    }


def bench_environment(*, broker_url: str, work: Path, database: str, settings_module: str) -> dict[str, str]:
    """Point this process (and the servers it starts) at a private PostgreSQL database, broker and
    folder; the environment to hand to those servers."""
    env = portal_environment(database_url=f"postgres://postgres@127.0.0.1:5432/{database}", work=work)
    os.environ.update(env, CELERY_BROKER_URL=broker_url, DJANGO_SETTINGS_MODULE=settings_module)
    return dict(os.environ)
