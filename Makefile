# QualityCity — two commands on a fresh Debian machine with Python 3.11:
#   make run    set up everything, load the Yongzhou framework and demo data, serve on :8000
#   make test   the whole test suite (DATABASE_URL selects PostgreSQL; SQLite otherwise)
#   make lint   ruff, the migrations check and the import-layer contracts (CI runs it too)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
QC     := $(BIN)/qualitycity
PYTEST_ARGS ?= -n auto  # pytest-xdist: one worker per core
# The demo campaign is shown as it stood on this day (mid-way through 全面推进); empty = real today.
DEMO_TODAY ?= 2018-09-15

.PHONY: run test setup python-deps node-deps system-deps messages migrate demo lint format clean bench

# The background worker (e-mails, group robots, daily reminders) runs beside the server and stops with it.
run: setup
	@echo "QualityCity: http://$(HOST):$(PORT)/"
	QC_TODAY=$(DEMO_TODAY) $(QC) worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	QC_TODAY=$(DEMO_TODAY) $(QC) runserver --insecure $(HOST):$(PORT)

setup: system-deps python-deps node-deps messages migrate demo

test: python-deps node-deps
	@scripts/system-deps.sh test
	@$(MAKE) --no-print-directory messages
	$(BIN)/pytest $(PYTEST_ARGS)

system-deps:
	@scripts/system-deps.sh app

# The virtualenv is rebuilt when pyproject.toml changes.
python-deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

node-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

messages: python-deps
	cd src/qualitycity && ../../$(QC) compilemessages --verbosity 0

migrate: python-deps
	$(QC) migrate --noinput --verbosity 0

demo: migrate
	$(QC) setup_demo

lint: python-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(QC) makemigrations --check --dry-run --verbosity 0
	$(BIN)/lint-imports

format: python-deps
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# Province-scale benchmarks through gunicorn (bench/README.md): the dataset is built once into
# var/bench-province (DATABASE_URL for PostgreSQL) and reused; figures are printed, not asserted.
bench: python-deps messages $(VENV)/.bench-installed
	$(BIN)/python bench/province_pages.py --runs 15

$(VENV)/.bench-installed: pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $@

clean:
	rm -rf $(VENV) node_modules var
