"""Every path the project uses, defined in one place."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
FIGURES_CSV = DATA_DIR / "figures.csv"
SOURCES_CSV = DATA_DIR / "sources.csv"
INDICATORS_CSV = DATA_DIR / "indicators.csv"
GROUPS_CSV = DATA_DIR / "groups.csv"
BASKETS_CSV = DATA_DIR / "baskets.csv"
CONFLICTS_CSV = DATA_DIR / "conflicts.csv"
DOMAINS_CSV = DATA_DIR / "domains.csv"
SIGHTINGS_CSV = DATA_DIR / "sightings.csv"
INDICATOR_SIGHTINGS_CSV = DATA_DIR / "indicator_sightings.csv"
UNCITED_CSV = DATA_DIR / "uncited.csv"

PROJECT_DIR = PACKAGE_DIR.parent
# notebooks/ of the source tree; an installed wheel carries the same files as tradelib/notebooks/
NOTEBOOKS_DIR = next((d for d in (PROJECT_DIR / "notebooks", PACKAGE_DIR / "notebooks")
                      if (d / "briefing.ipynb").exists()), PROJECT_DIR / "notebooks")
BRIEFING_NOTEBOOK = NOTEBOOKS_DIR / "briefing.ipynb"
RECORDS_BRIEFING_NOTEBOOK = NOTEBOOKS_DIR / "records_briefing.ipynb"
MONTHLY_BRIEFING_NOTEBOOK = NOTEBOOKS_DIR / "monthly_briefing.ipynb"
# relative: the reports/ folder of the directory the command runs in (the project's own with `make report`),
# never the folder the package is installed in
REPORTS_DIR = Path("reports")
TEMPLATES_DIR = PACKAGE_DIR / "templates"

# Real UN Comtrade extracts and classification lists used by some tests; never copied into the project.
SHARED_DATA_DIR = PROJECT_DIR.parent / "shared" / "data"


def report_dir(year: int, reports_dir: Path | None = None) -> Path:
    return (reports_dir or REPORTS_DIR) / str(year)
