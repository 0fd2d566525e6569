# Two commands for a newcomer: `make demo` (build the dataset end to end) and `make test`.
# Every target creates .venv and installs the project when needed; nothing to export by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/DAGSTER_HOME

.PHONY: install system-deps demo test lint bench dev webserver daemon evaluate crawl clean

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

# Dagster UI + daemon together (schedules and queued runs need the daemon), on 127.0.0.1.
dev: install
	$(VENV)/bin/dagster dev -h 127.0.0.1 -p 3000

clean:
	rm -rf data/build data/published DAGSTER_HOME
