# regie: two commands on a fresh machine.
#   make demo   install, generate sample data, run the pipeline through Airflow
#   make test   install and run the whole test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export AIRFLOW__COSMOS__ENABLE_TELEMETRY := False
export GX_ANALYTICS_ENABLED := False
export AIRFLOW__CORE__LOAD_EXAMPLES := False

.PHONY: install demo serve test test-fast lint bench constraints clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/regie demo

# regie serve with the places and key from the environment (REGIE_HOME, REGIE_LANDING,
# REGIE_WAREHOUSE, REGIE_PSEUDONIEM_SLEUTEL_BESTAND, ...); SERVE_ARGS for more flags
serve: install
	$(BIN)/regie serve $(SERVE_ARGS)

test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m 'not slow'

lint: install
	$(BIN)/ruff check src dags tests bench expectations
	$(BIN)/ruff format --check src dags tests bench expectations

bench: install
	$(BIN)/python bench/ingest.py --gemeenten 50
	$(BIN)/python bench/transform.py --gemeenten 50

constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^regie' > constraints.txt.new
	{ echo '# Pinned versions for Python 3.11, resolved together (pip freeze). Regenerate with: make constraints'; cat constraints.txt.new; } > constraints.txt
	rm constraints.txt.new

clean:
	rm -rf $(VENV) data .pytest_cache
