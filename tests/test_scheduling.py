"""Under a scheduler: how often ingestion looks, and one build per delivery."""

from __future__ import annotations

import datetime as dt

import pytest

from regie.dagfactory import ingest_schedule


def test_an_asset_triggered_transform_with_nothing_new_builds_nothing(tmp_path, key_env):
    """One delivery of several sources queues several transform runs; only the first builds."""
    from regie import tasks
    from regie.warehouse import connect

    params = {"home": str(tmp_path), "warehouse": str(tmp_path / "wh.duckdb"), "peildatum": "2025-02-25"}
    with connect(params["warehouse"]) as wh:
        wh.ensure_schema()
    first = tasks.build_needed(params, "DagRunType.ASSET_TRIGGERED")
    assert first == "0 files, last None, peildatum 2025-02-25, threshold 5"
    tasks.remember_build(params, first)
    assert tasks.build_needed(params, "DagRunType.ASSET_TRIGGERED") is None
    assert tasks.build_needed(params, "asset_triggered") is None
    assert tasks.build_needed(params, "manual") == first  # by hand or by regie run: always
    assert tasks.build_needed({**params, "peildatum": "2024-10-31"}, "asset_triggered").endswith(
        "peildatum 2024-10-31, threshold 5"
    )


def test_the_ingestion_interval_is_an_interval_or_a_cron_expression():
    assert ingest_schedule("30s") == dt.timedelta(seconds=30)
    assert ingest_schedule("5m") == dt.timedelta(minutes=5)
    assert ingest_schedule("@hourly") == "@hourly"
    assert ingest_schedule("*/10 6-22 * * *") == "*/10 6-22 * * *"
    with pytest.raises(ValueError, match="neither an interval"):
        ingest_schedule("elke dag")
