# The two commands that matter: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ANXIN := $(BIN)/python -m anxin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint format bench migrate demo audit worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP) $@

## Set up and run the whole platform on the embedded default (SQLite file in ./var, demo data, web + worker).
run: $(STAMP)
	$(ANXIN) migrate --no-input
	$(ANXIN) demo --if-empty
	$(ANXIN) serve

## Set up and run the whole test suite (lint included). DATABASE_URL selects PostgreSQL.
test: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy src/anxin/core src/anxin/instant/dispatch src/anxin/guarantee/matching $(filter-out src/anxin/core/%,$(wildcard src/anxin/*/rules.py src/anxin/*/services.py))
	DATABASE_URL=sqlite:// $(BIN)/python -m anxin makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

format: $(TEST_STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

migrate: $(STAMP)
	$(ANXIN) migrate --no-input

demo: migrate
	$(ANXIN) demo

audit: $(STAMP)
	$(ANXIN) audit

worker: $(STAMP)
	$(ANXIN) worker

## Benchmarks (not tests): need PostgreSQL; append to bench/RESULTS.md.
bench: $(TEST_STAMP)
	$(BIN)/python bench/quote.py
	$(BIN)/python bench/checkout.py

clean:
	rm -rf $(VENV) var
