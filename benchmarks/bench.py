"""Benchmarks: loading and validating the data, computing the narrative, and a full render.

Run with `make bench`. Targets (on the project's 2-core machine): load+validate < 2 s, all sentences of a
briefing < 1 s, one full render (notebook, HTML, PDF) < 60 s, peak memory of the render process < 1 GiB,
and a SYNTHETIC figures file of 1.3 million rows (benchmarks/big_figures.py) loaded and validated in < 30 s
with a peak below 2 GiB.
Prints one line per measurement and exits non-zero when a target is missed.
"""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tradelib import paths, sources
from tradelib.narrative import Narrator

TARGETS = {"load": 2.0, "narrative": 1.0, "big_validate": 30.0, "big_peak_mib": 2048, "render": 60.0,
           "render_peak_mib": 1024}
BIG = ("import sys, time; from tradelib import sources; t = time.perf_counter(); ds = sources.load(sys.argv[1]); "
       "print(time.perf_counter() - t, len(ds.all_vintages))")


def timed(fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> int:
    results = {}
    results["load"], ds = timed(sources.load)

    def sentences():
        nar = Narrator(ds, 2025)
        return [nar.headline(), nar.exports_imports(), nar.belt_and_road(), nar.emerging_markets(),
                nar.partner_trade("EU"), nar.commodities(), nar.domestic_market()]
    results["narrative"], _ = timed(sentences)

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "tradelib", "--year", "2025", "--reports-dir", tmp],
                              capture_output=True, text=True, cwd=paths.PROJECT_DIR)
        results["render"] = time.perf_counter() - t
        if proc.returncode != 0:
            print(proc.stderr)
            return 1
        pdf = Path(tmp) / "2025" / "briefing.pdf"
        size_kib = pdf.stat().st_size / 1024
    # ru_maxrss of children: the render process and the kernel it started (the larger of the two)
    results["render_peak_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    with tempfile.TemporaryDirectory() as tmp:  # SYNTHETIC: 1.3 million made-up rows, validated in a process
        sys.path.insert(0, str(Path(__file__).parent))
        import big_figures

        big_figures.write(Path(tmp) / "big")
        proc = subprocess.run([sys.executable, "-c", BIG, str(Path(tmp) / "big")], capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr)
            return 1
        seconds, rows = proc.stdout.split()
        results["big_validate"] = float(seconds)
        # the largest child so far: this one, if larger than the render
        results["big_peak_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    ok = True
    for k, v in results.items():
        unit = "MiB" if k.endswith("mib") else "s"
        hit = v <= TARGETS[k]
        ok &= hit
        print(f"{k:16s} {v:8.2f} {unit:3s} target <= {TARGETS[k]:g} {unit}  {'ok' if hit else 'MISSED'}")
    print(f"{'pdf size':16s} {size_kib:8.0f} KiB ({len(ds.figures)} figures loaded)")
    print(f"{'big file':16s} {int(rows):8d} SYNTHETIC figure rows validated")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
