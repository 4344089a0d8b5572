# regie on Airflow 3.3: one image for every Airflow component (see docker-compose.yml).
# Installs regie exactly as `make install` does: Python 3.11 and the pinned
# versions in constraints.txt, so the image runs what the tests ran.
FROM python:3.11-slim-bookworm

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    AIRFLOW_HOME=/opt/airflow \
    REGIE_DAGS=/opt/regie/dags \
    PATH=/opt/regie/.venv/bin:$PATH

# WeasyPrint (the monitor's PDF) needs Pango and a font
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/regie
COPY pyproject.toml constraints.txt README.md ./
COPY src ./src
COPY dags ./dags
COPY dbt_project ./dbt_project
COPY expectations ./expectations

# Any user id may run the image (docker-compose.yml runs it as the host user,
# group 0), so the folders it writes are group 0 and group-writable.
RUN python -m venv /opt/regie/.venv \
 && /opt/regie/.venv/bin/pip install -c constraints.txt -e . \
 && mkdir -p /opt/airflow/logs /srv/regie/home /srv/regie/landing /srv/regie/warehouse \
 && chgrp -R 0 /opt/airflow /srv/regie \
 && chmod -R g+rwX /opt/airflow /srv/regie

USER 50000:0
WORKDIR /opt/airflow
CMD ["airflow", "version"]
