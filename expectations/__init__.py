"""The registration-quality checks, as code: one module per category, each with a function
``controles()``. Installed as ``regie.expectations`` (see pyproject.toml); regie loads them with
``regie.quality.catalogus.load_controles``."""
