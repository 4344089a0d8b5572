"""Airflow DAG: ingestion of the rijk_provincie deliveries; the work is in regie.tasks."""

from regie.dagfactory import ingest_dag

dag = ingest_dag("rijk_provincie")
