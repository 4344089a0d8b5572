"""Airflow DAG: ingestion of the gemeente deliveries; the work is in regie.tasks."""

from regie.dagfactory import ingest_dag

dag = ingest_dag("gemeente")
