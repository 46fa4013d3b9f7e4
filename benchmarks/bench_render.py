"""Benchmark of rendering: a bare render, one briefing, the batch of all years and a skipped render, in one run.

Run with `make bench`. Each measurement is a fresh process, as a user would start it:

- bare: papermill + nbconvert + WeasyPrint on a trivial two-cell notebook (a synthetic stand-in made here);
- briefing: `python -m tradelib --year 2025 --force` (one full briefing, notebook, HTML and PDF);
- batch: `python -m tradelib.batch --force` (every year with data, jobs = CPU cores, as `make reports`);
- skipped: `python -m tradelib --year 2025` on the report just rendered (inputs unchanged).

Bare and briefing are measured twice, interleaved with the rest, and the faster of each is kept, so the
comparison with the batch does not flatter it. Each line gives wall time, CPU time of the process and its
children (kernels and workers included; the machine is shared, so wall time above CPU time means waiting
for a core) and the ratio to the bare render. Targets (issue 13): the batch takes at most 3 times one
briefing, a skipped render at most a tenth of one. Exits non-zero when a target is missed.
"""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from tradelib import paths, sources
from tradelib.batch import cpu_cores
from tradelib.render import ensure_kernel

TARGETS = {"batch": 3.0, "skipped": 0.1}  # as a multiple of one briefing

BARE = r"""
import sys
from pathlib import Path
import nbformat, papermill as pm
from nbconvert import HTMLExporter
from weasyprint import HTML
src, out = Path(sys.argv[1]), Path(sys.argv[2])
pm.execute_notebook(str(src), str(out / "bare.ipynb"), parameters={"n": 2}, kernel_name=sys.argv[3],
                    progress_bar=False, report_mode=True)
body, _ = HTMLExporter(template_name="basic").from_notebook_node(nbformat.read(str(out / "bare.ipynb"), as_version=4))
HTML(string=body).write_pdf(str(out / "bare.pdf"))
"""


def bare_notebook(path: Path) -> Path:
    """A trivial parameterized notebook (synthetic, for this benchmark only)."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("n = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell('print("bare render", n * 21)')]
    nb.metadata["kernelspec"] = {"name": "tradelib", "display_name": "Python (tradelib)", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def run(args: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (this process's children) of one command; its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=paths.PROJECT_DIR)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed: {' '.join(args)}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stderr


def main() -> int:
    py = sys.executable
    kernel = ensure_kernel()
    years = sources.load().years
    jobs = cpu_cores()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        nb = bare_notebook(tmp / "bare_in.ipynb")
        (tmp / "bare").mkdir()
        one = ["--reports-dir", str(tmp / "one")]
        many = ["--reports-dir", str(tmp / "many")]
        m: dict[str, list[tuple[float, float]]] = {"bare": [], "briefing": [], "batch": [], "skipped": []}

        def bare():
            m["bare"].append(run([py, "-c", BARE, str(nb), str(tmp / "bare"), kernel])[:2])

        def briefing():
            m["briefing"].append(run([py, "-m", "tradelib", "--year", "2025", "--force", *one])[:2])

        bare()
        briefing()
        wall, cpu, err = run([py, "-m", "tradelib", "--year", "2025", *one])
        if "not rendered again" not in err:
            sys.exit(f"the second render of 2025 was not skipped:\n{err}")
        m["skipped"].append((wall, cpu))
        m["batch"].append(run([py, "-m", "tradelib.batch", "--force", "--jobs", str(jobs), *many])[:2])
        bare()
        briefing()
        rendered = sorted(int(p.name) for p in (tmp / "many").iterdir() if (p / "briefing.pdf").exists())
        if rendered != years:
            sys.exit(f"the batch rendered {rendered}, expected {years}")

    best = {k: min(v) for k, v in m.items()}  # fastest wall time (with its CPU time)
    base, one_briefing = best["bare"][0], best["briefing"][0]
    labels = {"bare": "bare render (trivial notebook)", "briefing": "one briefing (2025)",
              "batch": f"batch of {len(years)} years ({jobs} jobs)", "skipped": "skipped render (2025)"}
    ok = True
    print(f"{'measurement':34s} {'wall s':>7s} {'cpu s':>7s} {'x bare':>7s} {'x briefing':>10s}  target")
    for k, (wall, cpu) in best.items():
        vs_one = wall / one_briefing
        line = f"{labels[k]:34s} {wall:7.2f} {cpu:7.2f} {wall / base:7.2f} {vs_one:10.2f}"
        if k in TARGETS:
            hit = vs_one <= TARGETS[k]
            ok &= hit
            line += f"  <= {TARGETS[k]:g} x briefing  {'ok' if hit else 'MISSED'}"
        print(line)
    print(f"(bare and briefing: fastest of {len(m['bare'])} runs; each run a fresh process)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
