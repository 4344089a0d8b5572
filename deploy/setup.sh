#!/usr/bin/env bash
# Prepares, once, what docker-compose.yml expects (docs/operations.md, "Start"):
#   data/landing, data/home, data/warehouse          the volumes
#   data/secrets/pseudoniem.key                       a new pseudonymisation key (keep it; back it up apart)
#   data/secrets/airflow_admin_password               the password of the Airflow user admin
#   data/secrets/connections.yaml                     smtp_default, from deploy/connections.example.yaml: edit it
#   .env                                              from deploy/compose.env.example, with random passwords
# Never overwrites what exists. REGIE_DATA_DIR moves data/ elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${REGIE_DATA_DIR:-./data}"
random() { python3 -c "import secrets; print(secrets.token_urlsafe(24))"; }

mkdir -p "$data/landing" "$data/home" "$data/warehouse" "$data/secrets"
umask 077
[ -e "$data/secrets/pseudoniem.key" ] ||
  python3 -c "import secrets; print(secrets.token_hex(32))" > "$data/secrets/pseudoniem.key"
[ -e "$data/secrets/airflow_admin_password" ] || random > "$data/secrets/airflow_admin_password"
[ -e "$data/secrets/connections.yaml" ] || cp deploy/connections.example.yaml "$data/secrets/connections.yaml"
if [ ! -e .env ]; then
  fernet=$(python3 -c "import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())")
  sed -e "s/^AIRFLOW_UID=.*/AIRFLOW_UID=$(id -u)/" \
      -e "s/^AIRFLOW_DB_PASSWORD=$/AIRFLOW_DB_PASSWORD=$(random)/" \
      -e "s/^REGIE_DB_PASSWORD=$/REGIE_DB_PASSWORD=$(random)/" \
      -e "s/^REGIE_BI_PASSWORD=$/REGIE_BI_PASSWORD=$(random)/" \
      -e "s/^AIRFLOW_FERNET_KEY=$/AIRFLOW_FERNET_KEY=$fernet/" \
      -e "s/^AIRFLOW_JWT_SECRET=$/AIRFLOW_JWT_SECRET=$(random)/" \
      -e "s/^AIRFLOW_API_SECRET_KEY=$/AIRFLOW_API_SECRET_KEY=$(random)/" \
      deploy/compose.env.example > .env
fi
echo "ready: edit $data/secrets/connections.yaml (smtp_default) and, if needed, .env; then: docker compose up -d"
