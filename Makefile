# One command for every automatic check: `make check` (CI runs it before the tests).
# VENV is the virtual environment the README's commands create.
VENV ?= .venv
BIN := $(VENV)/bin
SOURCES := qualcode tests bench

.PHONY: check lint format-check types imports audit test fix

check: lint format-check types imports

lint:
	$(BIN)/ruff check $(SOURCES)

format-check:
	$(BIN)/ruff format --check $(SOURCES)

types:
	$(BIN)/mypy

imports:
	$(BIN)/lint-imports

# Known vulnerabilities in the installed dependencies (needs the package index).
audit:
	$(BIN)/pip-audit --skip-editable --progress-spinner off

test:
	$(BIN)/python -m pytest -n auto

# Apply the formatter and the safe lint fixes.
fix:
	$(BIN)/ruff format $(SOURCES)
	$(BIN)/ruff check --fix $(SOURCES)
