"""Airflow DAG: ingestion of the begeleiding deliveries; the work is in regie.tasks."""

from regie.dagfactory import ingest_dag

dag = ingest_dag("begeleiding")
