# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test test-fast test-deps install install-test lint bench fidelity clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,postgres,duckdb,mysql]'
	touch $@ $(STAMP)

install: $(STAMP)
install-test: $(TSTAMP)

demo: $(STAMP)
	$(BIN)/designer export presets/ecommerce.toml --if-exists replace

# tmux drives the TUI in a real terminal; scripts/pg-start installs (Debian's package) and starts
# a throwaway PostgreSQL server on 127.0.0.1:54329 for the writer tests (scripts/pg-stop ends it);
# scripts/mysql-start does the same with Debian's mariadb-server on 127.0.0.1:33069 (scripts/mysql-stop).
test-deps:
	@command -v tmux >/dev/null || (apt-get update -qq && apt-get install -y -qq tmux >/dev/null)
	@scripts/pg-start >/dev/null
	@scripts/mysql-start >/dev/null

# ruff (lint and format, [tool.ruff]), mypy ([tool.mypy]) and the import contracts ([tool.importlinter]), before any test
lint: $(TSTAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy designer
	$(BIN)/lint-imports

test: $(TSTAMP) test-deps lint
	DESIGNER_TEST_PG_URL="$${DESIGNER_TEST_PG_URL:-$$(scripts/pg-start)}" \
	DESIGNER_TEST_MYSQL_URL="$${DESIGNER_TEST_MYSQL_URL:-$$(scripts/mysql-start)}" $(BIN)/python -m pytest

# About half a minute: the model, engine, writers and presets in this process, without the tests
# marked slow (PostgreSQL, Dask, tmux, the TUI, fresh processes, sweeps, large runs; see pyproject).
test-fast: $(TSTAMP) lint
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/engine.py

# Every vectorized Faker provider in every Faker locale against Faker, with ten times the samples
# of the sweep `make test` runs; exits 1 if a pair that runs a column at a time is unlike Faker.
fidelity: $(TSTAMP)
	$(BIN)/python bench/fidelity.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
