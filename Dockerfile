# Production image: gunicorn serving Django, static files by whitenoise.
# The same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OPENBLAS_NUM_THREADS=1

# pg_dump and pg_restore for manage.py backup / restore (Debian bookworm's 15, as the db service).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN groupadd --system vinilogy && useradd --system --gid vinilogy --home /app vinilogy

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings that import cleanly; these values exist only for this build step.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-secret ALLOWED_HOSTS=localhost \
    FIELD_ENCRYPTION_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLXJlYWwta2U= \
    python manage.py collectstatic --noinput \
    && python -m vinilogy.i18n_catalogues locale \
    && mkdir -p /app/media /app/var/backups /app/var/data/models && chown -R vinilogy:vinilogy /app/media /app/var

USER vinilogy
EXPOSE 8000
# gunicorn.conf.py: the access and error logs redact secret path segments (vinilogy.secret_urls).
# sync_schedules first: the periodic tasks of vinilogy/schedules.py, by name (idempotent; an
# operator's paused or own schedules are kept). It needs a migrated database (compose: `migrate`).
CMD ["sh", "-c", "python manage.py sync_schedules && exec gunicorn vinilogy.wsgi:application --config gunicorn.conf.py --bind 0.0.0.0:8000 --workers 3 --timeout 60 --access-logfile -"]
