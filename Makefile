# tradelib: `make report YEAR=2025` renders a briefing; `make test` runs the tests.
# The first run creates .venv, installs the package with its dev extras and registers the Jupyter kernel.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
YEAR ?= 2025
CURRENCY ?= CNY
DATA ?=
REPORTS ?=
REPORTER ?=
PERIOD ?=
RECORDS ?=
FLOW ?=
LIVE ?=
# a value in single quotes for the shell, any character kept (spaces, quotes, $)
quote = '$(subst ','\'',$(1))'
OUTLOOK_LOW ?=
OUTLOOK_HIGH ?=
YEARS ?=
PERIODS ?=
JOBS ?=
FORCE ?=

.DEFAULT_GOAL := help
.PHONY: help system install data report reports test test-fast bench lab notebooks clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tradelib needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name tradelib --display-name "Python (tradelib)"
	@touch $(STAMP)

SYSTEM_PACKAGES := fonts-wqy-zenhei libharfbuzz-subset0
JAVA_PACKAGE := openjdk-17-jre-headless

system: ## Install the system packages: a font with Chinese glyphs and HarfBuzz for the PDF, Java for Spark; root and apt
	@if command -v fc-list >/dev/null && [ -n "$$(fc-list :lang=zh 2>/dev/null)" ] \
		&& ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing $(SYSTEM_PACKAGES) (Chinese glyphs for source titles, font subsetting for the PDF)"; \
		(apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null)) \
		|| echo "warning: could not install $(SYSTEM_PACKAGES); Chinese source titles may show as boxes in PDFs"; \
	else echo "note: install $(SYSTEM_PACKAGES) with your package manager so Chinese source titles print in PDFs"; fi
	@if command -v java >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing $(JAVA_PACKAGE) (Java for Spark, used by the Spark tests)"; mkdir -p /usr/share/man/man1; \
		(apt-get install -y -qq $(JAVA_PACKAGE) >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $(JAVA_PACKAGE) >/dev/null)) \
		|| echo "warning: could not install $(JAVA_PACKAGE); the Spark tests will be skipped"; \
	else echo "note: install a Java 17 runtime ($(JAVA_PACKAGE)) to run records queries on Spark"; fi

install: $(STAMP) ## Create .venv, install tradelib with dev extras, register the "tradelib" Jupyter kernel

data: $(STAMP) ## Settle the sightings into figures.csv, indicators.csv, conflicts.csv, uncited.csv; refresh the data card
	$(BIN)/python -m tradelib.compile
	$(BIN)/python -m tradelib.datacard

report: $(STAMP) ## Render reports/$(YEAR)/briefing.{html,pdf,ipynb} (YEAR CURRENCY=CNY|USD DATA=file|folder REPORTS=folder OUTLOOK_LOW/HIGH=% FORCE=1); monthly: PERIOD=2025-11|2025-01..02 into reports/<period>/; from records: REPORTER=IND YEAR=2023|PERIOD=2019-06|2019-01..06 RECORDS="file ..." FLOW=X|M LIVE=1, into reports/<REPORTER>-<period>/
	$(BIN)/python -m tradelib --year $(call quote,$(YEAR)) --currency $(call quote,$(CURRENCY)) \
		$(if $(REPORTER),--reporter $(call quote,$(REPORTER))) $(if $(PERIOD),--period $(call quote,$(PERIOD))) \
		$(foreach f,$(RECORDS),--records $(call quote,$(f))) $(if $(FLOW),--flow $(call quote,$(FLOW))) \
		$(if $(filter-out 0,$(LIVE)),--live) \
		$(if $(DATA),--data $(call quote,$(DATA))) $(if $(REPORTS),--reports-dir $(call quote,$(REPORTS))) \
		$(if $(OUTLOOK_LOW),--outlook-low $(call quote,$(OUTLOOK_LOW))) \
		$(if $(OUTLOOK_HIGH),--outlook-high $(call quote,$(OUTLOOK_HIGH))) $(if $(filter-out 0,$(FORCE)),--force)

reports: $(STAMP) ## Render every year with data, or YEARS="2023 2025"; monthly: PERIODS=all or PERIODS="2025-10 2025-11" (JOBS=N side by side, FORCE=1)
	$(BIN)/python -m tradelib.batch --currency $(call quote,$(CURRENCY)) $(if $(YEARS),--years $(call quote,$(YEARS))) \
		$(if $(PERIODS),--periods $(call quote,$(PERIODS))) \
		$(if $(JOBS),--jobs $(call quote,$(JOBS))) $(if $(DATA),--data $(call quote,$(DATA))) \
		$(if $(REPORTS),--reports-dir $(call quote,$(REPORTS))) \
		$(if $(OUTLOOK_LOW),--outlook-low $(call quote,$(OUTLOOK_LOW))) \
		$(if $(OUTLOOK_HIGH),--outlook-high $(call quote,$(OUTLOOK_HIGH))) $(if $(filter-out 0,$(FORCE)),--force)

test: $(STAMP) ## Run the whole test suite (unit and end-to-end)
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## Run the tests without the end-to-end renders
	$(BIN)/python -m pytest -m "not e2e"

# Each benchmark script prints its measurements and exits non-zero when a target is missed; all of them run.
BENCHMARKS := benchmarks/bench.py benchmarks/bench_render.py benchmarks/records_bench.py

bench: $(STAMP) ## Run the benchmarks: loading, narrative, one render; bare render vs briefing, batch, skip; records vs pandas
	@status=0; for b in $(BENCHMARKS); do echo "== $$b"; $(BIN)/python $$b || status=1; done; exit $$status

notebooks: $(STAMP) ## Re-pair notebooks/*.py (jupytext py:percent) into output-free .ipynb files
	$(BIN)/jupytext --sync notebooks/*.py

lab: $(STAMP) ## Open JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab notebooks/

clean: ## Remove rendered reports (the venv stays)
	rm -rf reports/[0-9]* reports/[A-Z][A-Z][A-Z]-[0-9]* reports/.tmp-* reports/.old-* reports/.failed reports/.lock-*
