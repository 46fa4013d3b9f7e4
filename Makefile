# tradelib: `make report YEAR=2025` renders a briefing; `make test` runs the tests.
# The first run creates .venv, installs the package with its dev extras and registers the Jupyter kernel.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
YEAR ?= 2025
CURRENCY ?= CNY
DATA ?=

.DEFAULT_GOAL := help
.PHONY: help fonts install report reports test test-fast bench lab notebooks clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory fonts
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tradelib needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name tradelib --display-name "Python (tradelib)"
	@touch $(STAMP)

fonts: ## Make sure a font with Chinese glyphs is installed (source titles in the PDF); needs root and apt
	@if command -v fc-list >/dev/null && [ -n "$$(fc-list :lang=zh 2>/dev/null)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing fonts-wqy-zenhei (Chinese glyphs for source titles)"; \
		(apt-get install -y -qq fonts-wqy-zenhei >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei >/dev/null)) \
		|| echo "warning: could not install fonts-wqy-zenhei; Chinese source titles will show as boxes in PDFs"; \
	else echo "note: no font with Chinese glyphs found; install fonts-wqy-zenhei (or fonts-noto-cjk) so Chinese source titles print"; fi

install: $(STAMP) ## Create .venv, install tradelib with dev extras, register the "tradelib" Jupyter kernel

report: $(STAMP) ## Render reports/$(YEAR)/briefing.{html,pdf,ipynb} (YEAR=2025 CURRENCY=CNY|USD DATA=figures.csv)
	$(BIN)/python -m tradelib --year $(YEAR) --currency $(CURRENCY) $(if $(DATA),--data $(DATA))

reports: $(STAMP) ## Render the briefing for every year with data
	@for y in $$($(BIN)/python -c 'from tradelib import sources; print(*sources.load().years)'); do \
		$(BIN)/python -m tradelib --year $$y --currency $(CURRENCY) || exit 1; done

test: $(STAMP) ## Run the whole test suite (unit and end-to-end)
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## Run the tests without the end-to-end renders
	$(BIN)/python -m pytest -m "not e2e"

bench: $(STAMP) ## Time loading, validation and a full render
	$(BIN)/python benchmarks/bench.py

notebooks: $(STAMP) ## Re-pair notebooks/*.py (jupytext py:percent) into output-free .ipynb files
	$(BIN)/jupytext --sync notebooks/*.py

lab: $(STAMP) ## Open JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab notebooks/

clean: ## Remove rendered reports (the venv stays)
	rm -rf reports/[0-9]* reports/.tmp-* reports/.old-* reports/.failed reports/.lock-*
