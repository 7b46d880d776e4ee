"""System checks of the portal's own configuration."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

UNSET_KEY_MESSAGE = (
    "SECRET_KEY must be set when DEBUG is off. For development, run with DEBUG=true (as `make run` "
    "does): a key is then generated once into var/."
)


def secret_key_configured() -> bool:
    """Django refuses to read an empty SECRET_KEY; the settings leave it empty when none was given."""
    try:
        return bool(settings.SECRET_KEY)
    except ImproperlyConfigured:
        return False


# Deployment checks (`check --deploy`): everyday commands such as `makemigrations` run without a
# production configuration, while the servers refuse to start without a key (`require_secret_key`).
@register(deploy=True)
def secret_key_is_set(app_configs, **kwargs) -> list[Error]:
    return [] if secret_key_configured() else [Error(UNSET_KEY_MESSAGE, id="portal.E001")]


@register(deploy=True)
def rate_limits_share_a_cache(app_configs, **kwargs) -> list[Error]:
    """Rate limits count in the cache: with several web processes each would count alone in its own memory."""
    unshared = settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    if settings.DEBUG or not unshared:
        return []
    return [
        Error(
            "The cache is in each process's memory, so rate limits and lockouts would not be shared.",
            hint="Set CACHE_URL to a Redis database, e.g. redis://redis:6379/1.",
            id="portal.E002",
        )
    ]


def require_secret_key() -> None:
    """For the servers, which run no system checks: stop at start-up instead of at the first signature."""
    if not secret_key_configured():
        raise ImproperlyConfigured(UNSET_KEY_MESSAGE)
