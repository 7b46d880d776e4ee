"""Settings of the benchmark's worker processes: the real settings plus a no-op task for the baseline."""

from config.settings import *  # noqa: F403

CELERY_IMPORTS = ["bench.noop"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
