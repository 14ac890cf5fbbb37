# syntax=docker/dockerfile:1
# Proofsheet production image: gunicorn for the web, the same image runs Celery workers.
# The base image: the official Python one. bin/container builds this file on a stand-in
# made from Debian's packages (--build-arg PYTHON_IMAGE=...) where no registry is reachable.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- Build: wheels for every dependency, compiled where needed -------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential gettext \
 && rm -rf /var/lib/apt/lists/*
COPY requirements/ /tmp/requirements/
RUN pip wheel --wheel-dir /wheels -r /tmp/requirements/production.txt
# The translations, compiled (what `manage.py compilemessages` does, without Django).
COPY locale/ /tmp/locale/
RUN find /tmp/locale -name '*.po' -exec sh -c 'msgfmt --check -o "${1%.po}.mo" "$1"' _ {} \;

# --- Runtime: no compilers, a non-root user -----------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DJANGO_READ_DOT_ENV_FILE=false \
    PORT=8000
RUN groupadd --system proofsheet && useradd --system --gid proofsheet --home /app proofsheet
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels /wheels/* && rm -rf /wheels
WORKDIR /app
COPY --chown=proofsheet:proofsheet . /app
COPY --from=build --chown=proofsheet:proofsheet /tmp/locale/ /app/locale/
USER proofsheet
# collectstatic needs settings to load, not real secrets or services. As the user that
# serves the files: it writes the manifest 0640 (FILE_UPLOAD_PERMISSIONS), which gunicorn
# could not read if root owned it.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
 && mkdir -p /app/var/metrics
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)" || exit 1
# WEB_TIMEOUT and WEB_NICE let docker-compose.yml's ZIP download pool run this same
# command with a long timeout, below the pages.
CMD ["sh", "-c", "exec nice -n ${WEB_NICE:-0} gunicorn config.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --threads ${WEB_THREADS:-4} --timeout ${WEB_TIMEOUT:-120} --access-logfile - --forwarded-allow-ips='*'"]
