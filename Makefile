# Two entry points (README, quick start): `make main` and `make test`. Both build .venv first.
SHELL := /bin/bash
PYTHON ?= $(shell pyenv which python3.12 2>/dev/null || command -v python3.12 || echo python3.12)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install main test lint bench clean

$(BIN)/opgaven: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), f"Python 3.12+ needed, got {sys.version}"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(BIN)/opgaven

main: install
	$(BIN)/opgaven run configs/institutional.yaml --out results/main/institutional --force
	$(BIN)/opgaven run configs/opgave_centred.yaml --out results/main/opgave_centred --force
	$(BIN)/opgaven run configs/hybrid.yaml --out results/main/hybrid --force

test: install
	$(BIN)/python --version
	$(BIN)/ruff check sim tests benchmarks
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check sim tests benchmarks

bench: install
	$(BIN)/python benchmarks/bench_model.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
