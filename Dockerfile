# The portal's image: web (gunicorn), Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    VAR_DIR=/var/lib/portal \
    MEDIA_ROOT=/var/lib/portal/media \
    STATIC_ROOT=/app/staticfiles

# gettext compiles the kk/ru translations; DejaVu carries Kazakh Cyrillic (ә ғ қ ң ө ұ ү һ і).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 portal \
    && mkdir -p /var/lib/portal/media \
    && chown -R portal:portal /var/lib/portal

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=portal:portal . .
RUN DEBUG=false SECRET_KEY=build-only-not-secret VAR_DIR=/tmp/build \
        python manage.py compilemessages --ignore=.venv \
    && DEBUG=false SECRET_KEY=build-only-not-secret VAR_DIR=/tmp/build \
        python manage.py collectstatic --no-input \
    && rm -rf /tmp/build

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
