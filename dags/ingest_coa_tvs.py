"""Airflow DAG: ingestion of the coa_tvs deliveries; the work is in regie.tasks."""

from regie.dagfactory import ingest_dag

dag = ingest_dag("coa_tvs")
