# Two entry points (README, quick start): `make main` and `make test`. Both build .venv first.
SHELL := /bin/bash
PYTHON ?= $(shell pyenv which python3.12 2>/dev/null || command -v python3.12 || echo python3.12)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install main figures test lint bench docs clean

$(BIN)/opgaven: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), f"Python 3.12+ needed, got {sys.version}"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(BIN)/opgaven

# The headline: three strategies x three orders of challenge x 30 paired replications
# (270 runs; the README says how long it took on two cores), then its report. State metrics
# (fragmentation, orphaned share, completeness) are read as run means, cumulative ones as final
# values; the report says so.
main: install
	$(BIN)/opgaven experiment experiments/strategy_comparison.yaml --out results/strategy_comparison --force
	$(BIN)/opgaven compare results/strategy_comparison --state-means

# Regenerate the README's headline figures from a full run of the headline experiment.
figures: main
	mkdir -p docs/figures
	cp results/strategy_comparison/report/timeseries.png docs/figures/strategy_timeseries.png
	cp results/strategy_comparison/report/differences.png docs/figures/strategy_differences.png
	cp results/strategy_comparison/report/comparison.csv docs/figures/strategy_comparison.csv

test: install
	$(BIN)/python --version
	$(BIN)/ruff check sim tests benchmarks
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check sim tests benchmarks

# Rewrite the generated documentation: docs/parameters.md and the README's generated tables.
docs: install
	$(BIN)/python -m sim.params .

bench: install
	$(BIN)/python benchmarks/bench_model.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
