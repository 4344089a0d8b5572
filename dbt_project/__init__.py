"""regie's dbt project. Installed as the package ``regie.dbt_project`` (see pyproject.toml), so an
installed regie finds it (``regie.transform.project.project_dir``); dbt ignores this file."""
