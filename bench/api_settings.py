"""Settings of the API benchmark's gunicorn: the real settings, plus a bare JSON view as the baseline."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
API_THROTTLE_RATES = dict.fromkeys(API_THROTTLE_RATES, "100000000/min")  # noqa: F405 (the load is one client)
