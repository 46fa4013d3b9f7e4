"""SYNTHETIC data for the validation benchmark: a figures.csv of about 1.3 million rows.

The bundled figures, plus made-up rows for 10,000 made-up partner codes (SYN00000 ...) x 13 products x
10 years, small enough to stay within China's totals so that the file passes validation. Nothing here is an
official figure; the rows name a synthetic source ("synthetic-benchmark") and are never shown in a briefing.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from tradelib import paths

PARTNERS, PRODUCTS, YEARS = 10_000, 13, range(2015, 2025)


def write(folder: Path, partners: int = PARTNERS) -> Path:
    """Write the synthetic dataset into ``folder`` (figures.csv, and sources.csv and domains.csv with the
    synthetic source)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(paths.SOURCES_CSV, folder / "sources.csv")
    with open(folder / "sources.csv", "a", encoding="utf-8") as fh:
        fh.write("synthetic-benchmark,SYNTHETIC benchmark data,SYNTHETIC rows for the validation benchmark,"
                 "https://example.org/synthetic,2026-01-14,2026-01-15,other,\n")
    shutil.copy(paths.DATA_DIR / "domains.csv", folder / "domains.csv")  # the synthetic source's domain, too
    with open(folder / "domains.csv", "a", encoding="utf-8") as fh:
        fh.write("example.org,other,SYNTHETIC publisher,SYNTHETIC benchmark domain\n")
    n = partners * PRODUCTS * len(YEARS)
    rng = np.random.default_rng(14)
    grid = pd.MultiIndex.from_product([list(YEARS), [f"SYN{i:05d}" for i in range(partners)],
                                       [f"SYNPROD{j:02d}" for j in range(PRODUCTS)]]).to_frame(index=False)
    rows = pd.DataFrame({
        "year": grid[0].astype(str), "flow": "exports", "partner": grid[1], "product": grid[2], "enterprise": "ALL",
        "measure": "value", "value": np.char.mod("%.3f", rng.uniform(0.001, 0.999, n)), "unit": "million",
        "currency": "CNY", "source_id": "synthetic-benchmark", "vintage": "2026-01-14", "note": "SYNTHETIC",
        "quote": "",
    })
    bundled = pd.read_csv(paths.FIGURES_CSV, dtype=str, keep_default_na=False)
    pd.concat([bundled, rows], ignore_index=True).to_csv(folder / "figures.csv", index=False)
    return folder / "figures.csv"


if __name__ == "__main__":
    import sys
    import time

    t = time.perf_counter()
    print(write(Path(sys.argv[1])), f"{time.perf_counter() - t:.1f} s")
