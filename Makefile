# Two commands for a newcomer: `make demo` (build the dataset end to end) and `make test`.
# Every target creates .venv and installs the project when needed; nothing to export by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/DAGSTER_HOME

.PHONY: install system-deps demo test lint bench dev webserver daemon instance evaluate crawl clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(DAGSTER_HOME)/dagster.yaml

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

# Debian packages for DOC/WPS conversion and browser tests (needs root; skipped otherwise).
system-deps:
	@bash .ci/system-deps.sh

demo: install
	$(PY) -m pipelines.demo

test: install system-deps
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

bench: install
	$(PY) -m pytest -m benchmark -s

evaluate: install
	$(PY) -m transforms.evaluate ../shared/corpus

# DAGSTER_HOME/dagster.yaml for OGI_DEPLOYMENT=local|postgres|k8s|celery (default local: SQLite),
# rendered from dagster.yaml by pipelines/deployment.py (see pipelines/OPERATING.md).
instance: $(STAMP)
	$(PY) -m pipelines.deployment instance $(DAGSTER_HOME)

# Dagster UI + daemon together (schedules, sensors and queued runs need the daemon).
# Binds 127.0.0.1 unless HOST is given; PORT defaults to 3000.
HOST ?= 127.0.0.1
PORT ?= 3000
dev: install instance
	$(VENV)/bin/dagster dev -h $(HOST) -p $(PORT)

# The same two processes started separately (a server runs each under systemd or supervisor).
webserver: install instance
	$(VENV)/bin/dagster-webserver -h $(HOST) -p $(PORT)

daemon: install instance
	$(VENV)/bin/dagster-daemon run

clean:
	rm -rf data/build data/published DAGSTER_HOME
