"""regie's DAG files. Installed as the package ``regie.dags`` (see pyproject.toml), so an
installed regie finds this folder (``regie.runner.dags_folder``); each file only wires tasks."""
