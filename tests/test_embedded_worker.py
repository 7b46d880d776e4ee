"""`make run`'s set-up for real: a Celery worker process on SQLite and the filesystem broker."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.test_settings import PORTAL_VARIABLES

ROOT = Path(__file__).resolve().parent.parent


def _embedded_env(var_dir: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    return {**base, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true", "VAR_DIR": str(var_dir)}


def _heartbeats(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT COUNT(*) FROM ops_workerheartbeat").fetchone()[0]


def test_a_worker_on_the_embedded_defaults_runs_the_heartbeat_task(tmp_path):
    env = _embedded_env(tmp_path)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--hostname=embedded@test"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        send = "from services.ops.tasks import worker_heartbeat; worker_heartbeat.delay()"
        subprocess.run([*manage, "shell", "--no-imports", "-c", send], cwd=ROOT, env=env, check=True, timeout=60)
        deadline = time.monotonic() + 60
        while _heartbeats(tmp_path / "portal.sqlite3") == 0:
            assert worker.poll() is None, "the worker exited"
            assert time.monotonic() < deadline, "the worker did not run the task within 60 s"
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
