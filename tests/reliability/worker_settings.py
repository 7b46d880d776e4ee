"""Settings of the Celery worker processes that the reliability tests start.

The test settings, plus: deliveries counted at a file-backed "provider" shared by all processes
(it honours idempotency keys, as real SMS and email providers do), and the gate that lets a test
hold a task in flight and kill the worker under it.
"""

import os

from celery.signals import worker_process_init

from config.settings_test import *  # noqa: F403

SMS_BACKEND = "tests.reliability.provider.FileSmsBackend"
EMAIL_BACKEND = "tests.reliability.provider.FileEmailBackend"
RELIABILITY_DIR = os.environ["RELIABILITY_DIR"]


@worker_process_init.connect
def _install_gate(**kwargs: object) -> None:
    from tests.reliability.gate import install

    install()
