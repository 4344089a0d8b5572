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

.PHONY: install system-deps demo serve test test-fast lint bench constraints clean

# Debian packages the reports and their tests need: WeasyPrint's Pango and fonts for the
# PDF, headless Chromium and poppler-utils (pdftoppm, pdftotext) to look at the reports.
SYSTEM_DEPS := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# apt-get install only what is missing (as root; otherwise say what to install)
system-deps:
	@missing=""; for p in $(SYSTEM_DEPS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "system-deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "system-deps: missing$$missing; install them with: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi

demo: install system-deps
	$(BIN)/regie demo

# regie serve with the places and key from the environment (REGIE_HOME, REGIE_LANDING,
# REGIE_WAREHOUSE, REGIE_PSEUDONIEM_SLEUTEL_BESTAND, ...); SERVE_ARGS for more flags
serve: install
	$(BIN)/regie serve $(SERVE_ARGS)

# two workers, one test file each at a time (session fixtures such as the reference run are
# made once per worker); PYTEST_ARGS for more, e.g. PYTEST_ARGS='-n 0' to run serially
PYTEST_ARGS ?= -n 2 --dist loadfile

test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: install system-deps
	$(BIN)/python -m pytest -m 'not slow' $(PYTEST_ARGS)

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
