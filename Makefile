# One command for every automatic check: `make check` (CI runs it before the tests; the
# pre-commit hooks in .pre-commit-config.yaml run the same tools). Every tool reads its
# configuration from pyproject.toml, so a local run and CI check the same things.
# VENV is the virtual environment the README's commands create.
VENV ?= .venv
BIN := $(VENV)/bin
SOURCES := qualcode tests bench tools

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

# Translation catalogues: extract every _()/N_()/ngettext()/pgettext() string, merge it into each
# language's .po (translators then fill in the new entries), compile the .mo files the package ships.
LOCALE := qualcode/i18n/locale
BABEL_KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k pgettext_noop:1c,2 -k translate_in:2 -k ntranslate_in:2,3

.PHONY: catalogues
catalogues:
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output \
		--project qualcode --copyright-holder "The qualcode authors" -o $(LOCALE)/qualcode.pot .
	$(BIN)/pybabel update -i $(LOCALE)/qualcode.pot -d $(LOCALE) -D qualcode -l zh_CN --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALE) -D qualcode --statistics
