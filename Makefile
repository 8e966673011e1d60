# rapport — the two commands of the Quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint format soak clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/rapport run

test: $(STAMP)
	$(BIN)/ruff check bot store tests bench
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

soak: $(STAMP)
	$(BIN)/python -m tests.soak.run
	RAPPORT_KILLS=200 $(BIN)/python -m pytest -q -s tests/adapters/slack/test_inbox_kills.py

lint: $(STAMP)
	$(BIN)/ruff check bot store tests bench
	$(BIN)/ruff format --check bot store tests bench

format: $(STAMP)
	$(BIN)/ruff format bot store tests bench
	$(BIN)/ruff check --fix bot store tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
