# The two commands of the quick start: `make build` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: build test lint bench setup setup-test golden

build: setup
	$(BIN)/briefgen build

test: setup-test
	$(BIN)/python -m pytest -q

lint: setup-test
	$(BIN)/ruff check briefgen tests scripts
	$(BIN)/ruff format --check briefgen tests scripts
	$(BIN)/mypy

golden: setup-test
	$(BIN)/python scripts/regen_golden.py

bench: setup
	$(BIN)/python benchmarks/bench_build.py

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test
