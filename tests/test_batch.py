"""Batches, kept kernels, skipped renders and progress (renders are marked e2e; small notebooks where they suffice)."""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from tradelib import batch, fingerprint, paths, render

from .conftest import SYNTHETIC
from .test_render import digest, pdf_text, tiny_notebook

e2e = pytest.mark.e2e


def outputs(nb_path: Path) -> list[str]:
    nb = nbformat.read(str(nb_path), as_version=4)
    return ["".join(o.get("text", "")) for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def batch_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tradelib.batch", *args], capture_output=True, text=True,
                          cwd=paths.PROJECT_DIR, timeout=900)


# ---------------------------------------------------------------- a kernel kept across notebooks

@e2e
def test_a_kept_kernel_runs_each_notebook_as_in_a_fresh_kernel(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = tiny_notebook(tmp_path / "a" / "first.ipynb",
                          'import os\nleftover = 1\nprint("pid", os.getpid(), "cwd", os.getcwd())')
    second = tiny_notebook(tmp_path / "b" / "second.ipynb",
                           'import os\nprint("leftover" in globals(), "pid", os.getpid(), "cwd", os.getcwd())')
    with batch.Kernel() as kernel:
        kernel.execute(first, tmp_path / "out1.ipynb", {"year": 2024}, cwd=first.parent)
        kernel.execute(second, tmp_path / "out2.ipynb", {"year": 2025}, cwd=second.parent)
        assert kernel.notebooks == 2
    assert kernel.km is None  # shut down on leaving
    assert len(outputs(tmp_path / "out1.ipynb")) == len(outputs(tmp_path / "out2.ipynb")) == 1  # nothing else printed
    pid1, cwd1 = re.search(r"pid (\d+) cwd (\S+)", outputs(tmp_path / "out1.ipynb")[0]).groups()
    left, pid2, cwd2 = re.search(r"(True|False) pid (\d+) cwd (\S+)", outputs(tmp_path / "out2.ipynb")[0]).groups()
    assert pid1 == pid2  # the same kernel ran both
    assert left == "False"  # nothing of the first notebook is left in the second
    assert (Path(cwd1), Path(cwd2)) == (first.parent, second.parent)
    for out in ("out1.ipynb", "out2.ipynb"):
        nb = nbformat.read(str(tmp_path / out), as_version=4)
        counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
        assert counts == [1, 2, 3]  # as in a fresh kernel; papermill's injected parameters cell included
        assert "injected-parameters" in nb.cells[1].metadata.tags


@e2e
def test_a_failed_notebook_gets_a_fresh_kernel_for_the_next(tmp_path):
    bad = tiny_notebook(tmp_path / "bad.ipynb", 'raise ValueError("figures do not add up")')
    good = tiny_notebook(tmp_path / "good.ipynb", 'import os\nprint("pid", os.getpid())')
    with batch.Kernel() as kernel:
        kernel.execute(good, tmp_path / "g1.ipynb", {}, cwd=tmp_path)
        with pytest.raises(Exception, match="figures do not add up"):
            kernel.execute(bad, tmp_path / "b.ipynb", {}, cwd=tmp_path)
        assert kernel.km is None
        kernel.execute(good, tmp_path / "g2.ipynb", {}, cwd=tmp_path)
    pids = [outputs(tmp_path / n)[0].split()[1] for n in ("g1.ipynb", "g2.ipynb")]
    assert pids[0] != pids[1]


# ---------------------------------------------------------------- skipped when nothing changed

@e2e
def test_an_unchanged_render_is_skipped_and_a_changed_input_renders(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    data = tmp_path / "data"
    shutil.copytree(SYNTHETIC, data)
    nb = tiny_notebook(tmp_path / "nb.ipynb", 'print("report", year)')
    package = tmp_path / "tradelib"
    shutil.copytree(paths.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint.paths, "PACKAGE_DIR", package)  # the library as fingerprinted

    def run(**kw) -> str:
        buf = io.StringIO()
        render.render(2024, data=data, reports_dir=reports, notebook=nb,
                      progress=batch.Progress(stream=buf, after=600), **kw)
        return buf.getvalue()

    def stamp() -> str:
        return nbformat.read(str(reports / "2024" / "briefing.ipynb"), as_version=4).metadata.papermill.parameters[
            "rendered_at"] + str((reports / "2024" / "briefing.ipynb").stat().st_mtime_ns)

    assert run() == ""
    stored = fingerprint.recorded(reports / "2024")
    assert stored["parameters"] == {"year": 2024, "currency": "CNY", "data_path": str(data.resolve())}
    first, before = stamp(), digest(reports / "2024")

    said = run()
    assert said.count("\n") == 1
    assert said == (f"2024: inputs unchanged since {reports / '2024'} was rendered; not rendered again "
                    "(FORCE=1 renders anyway)\n")
    assert digest(reports / "2024") == before

    assert run(force=True) == "" and stamp() != first  # FORCE=1 renders anyway
    after_force = stamp()

    with open(data / "figures.csv", "a") as fh:  # the data file changes (a blank line: still valid)
        fh.write("\n")
    assert run() == "" and stamp() != after_force
    after_data = stamp()
    assert "not rendered again" in run()

    with open(package / "narrative.py", "a") as fh:  # the library changes
        fh.write("\n# a comment\n")
    assert run() == "" and stamp() != after_data
    assert "not rendered again" in run()

    assert run(currency="USD") == ""  # another parameter
    assert fingerprint.recorded(reports / "2024")["parameters"]["currency"] == "USD"


@e2e
def test_a_skipped_render_reads_no_data(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    nb = tiny_notebook(tmp_path / "nb.ipynb", 'print("report", year)')
    render.render(2025, reports_dir=reports, notebook=nb)
    from tradelib import sources

    def refuse(*a, **k):
        raise AssertionError("the data was read for a skipped render")

    monkeypatch.setattr(sources, "load", refuse)
    render.render(2025, reports_dir=reports, notebook=nb, progress=batch.Progress(quiet=True))


# ---------------------------------------------------------------- progress

@e2e
def test_a_slow_render_names_its_stages(tmp_path):
    slow = tiny_notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(2)")
    buf = io.StringIO()
    render.render(2025, reports_dir=tmp_path / "reports", notebook=slow, progress=batch.Progress(stream=buf, after=1))
    lines = buf.getvalue().splitlines()
    assert re.fullmatch(r"2025: executing the notebook\.\.\. \(1 s so far\)", lines[0])
    assert lines[1:3] == ["2025: writing the HTML...", "2025: writing the PDF..."]
    assert re.fullmatch(r"2025: rendered in \d+\.\d s", lines[3]) and len(lines) == 4

    quick = tiny_notebook(tmp_path / "quick.ipynb", "pass")
    buf = io.StringIO()
    render.render(2024, reports_dir=tmp_path / "reports", notebook=quick, progress=batch.Progress(stream=buf, after=60))
    assert buf.getvalue() == ""  # a render quicker than the threshold says nothing


# ---------------------------------------------------------------- batches

@e2e
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_renders_skips_and_survives_a_failed_year(tmp_path, jobs):
    reports = tmp_path / "reports"
    good = tiny_notebook(tmp_path / "good.ipynb", 'print("report", year)')
    render.render(2024, reports_dir=reports, notebook=good)  # an earlier 2024 report
    earlier = digest(reports / "2024")
    flaky = tiny_notebook(tmp_path / "flaky.ipynb",
                          'if year == 2024:\n    raise ValueError("no figures for the test")\nprint("report", year)')
    buf = io.StringIO()
    opts = batch.Options(reports_dir=reports, notebook=flaky)
    outcomes = batch.Batch([2023, 2024, 2025], opts, jobs=jobs, progress=batch.Progress(stream=buf)).run()
    status = {o.year: o.status for o in outcomes}
    assert status == {2023: "rendered", 2024: "failed", 2025: "rendered"}
    failed = next(o for o in outcomes if o.status == "failed")
    assert "executing the notebook failed: ValueError: no figures for the test" in failed.message
    assert "The earlier report was left as it was." in failed.message
    assert digest(reports / "2024") == earlier
    for year in (2023, 2025):
        assert outputs(reports / str(year) / "briefing.ipynb")[-1] == f"report {year}\n"
    text = buf.getvalue()
    assert text.startswith(f"rendering 3 briefings (2023, 2024, 2025) with {jobs} worker")
    progress = re.findall(r"^\[(\d)/3\] (\d{4}) (rendered in \d+\.\d s|FAILED: .+?) · (\d) left · [\d.]+ s elapsed$",
                          text, flags=re.M)
    assert [(n, left) for n, _, _, left in progress] == [("1", "2"), ("2", "1"), ("3", "0")]
    assert sorted(y for _, y, _, _ in progress) == ["2023", "2024", "2025"]
    assert text.splitlines()[-1].startswith("2 rendered, 0 unchanged (skipped), 1 failed in ")

    buf = io.StringIO()  # again: the two good years are unchanged, the failed one is tried again
    outcomes = batch.Batch([2023, 2024, 2025], opts, jobs=jobs, progress=batch.Progress(stream=buf)).run()
    assert {o.year: o.status for o in outcomes} == {2023: "skipped", 2024: "failed", 2025: "skipped"}
    assert "rendering 1 briefing (2024) with 1 worker" in buf.getvalue()
    assert [p.name for p in reports.iterdir() if p.name.startswith((".tmp-", ".old-"))] == []


@e2e
def test_batch_command_renders_real_briefings_like_single_renders_and_skips_them_after(tmp_path):
    single = tmp_path / "single"
    render.render(2023, reports_dir=single)
    many = tmp_path / "many"
    # one worker, 2025 first: 2023 runs on the kernel that has just run 2025
    r = batch_cli("--years", "2025 2023", "--jobs", "1", "--reports-dir", str(many))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [str(many / "2023"), str(many / "2025")]
    assert "rendering 2 briefings (2025, 2023) with 1 worker" in r.stderr
    assert "2 rendered, 0 unchanged (skipped), 0 failed" in r.stderr
    for year in (2023, 2025):
        assert sorted(p.name for p in (many / str(year)).iterdir()) == list(sorted(fingerprint.REPORT_FILES))
        params = nbformat.read(str(many / str(year) / "briefing.ipynb"), as_version=4).metadata.papermill.parameters
        assert params["year"] == year and params["rendered_at"]  # each report keeps its own audit record
    assert "45.47 trillion yuan" in pdf_text(many / "2025" / "briefing.pdf")
    # a kernel kept across notebooks gives the same briefing as a fresh one (only the render's stamp differs)
    a, b = outputs(single / "2023" / "briefing.ipynb"), outputs(many / "2023" / "briefing.ipynb")
    nb_a = nbformat.read(str(single / "2023" / "briefing.ipynb"), as_version=4)
    nb_b = nbformat.read(str(many / "2023" / "briefing.ipynb"), as_version=4)

    def shown(nb):  # the HTML shown, without the render's stamp and matplotlib's random clip-path and marker ids
        stamp = nb.metadata.papermill.parameters["rendered_at"]
        return [re.sub(r"\b(c\d+-[pm])[0-9a-f]{10}\b", r"\1<hash>",
                       str(o.get("data", {}).get("text/html", "")).replace(stamp, "<stamp>"))
                for c in nb.cells if c.cell_type == "code" for o in c.outputs]

    assert a == b and shown(nb_a) == shown(nb_b)
    assert nb_a.metadata.tradelib.inputs.digest == nb_b.metadata.tradelib.inputs.digest

    r = batch_cli("--years", "2023 2025", "--reports-dir", str(many))
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("not rendered again") == 2 and "0 rendered, 2 unchanged (skipped)" in r.stderr


@pytest.mark.parametrize("args,expected", [
    (["--years", "twenty"], "tradelib: error: argument --years: invalid year list 'twenty'; write e.g. 2023 2025"),
    (["--jobs", "0"], "tradelib: error: argument --jobs: must be 1 or more, not 0"),
    (["--years", "1990 2025"], "tradelib: error: no official figures for 1990; years available: 2015–2025"),
    (["--currency", "EUR"], "tradelib: error: unknown currency 'EUR'"),
    (["--outlook-low", "5", "--outlook-high", "2"], "tradelib: error: outlook growth range 5.0%–2.0% has its low end"),
])
def test_batch_errors_end_in_one_line_before_anything_is_written(tmp_path, args, expected):
    r = batch_cli(*args, "--reports-dir", str(tmp_path / "reports"))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(expected), r.stderr
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


@e2e
def test_an_interrupted_batch_stops_its_workers_and_keeps_earlier_reports(tmp_path):
    reports = tmp_path / "reports"
    good = tiny_notebook(tmp_path / "good.ipynb", 'print("earlier", year)')
    for year in (2023, 2024):
        render.render(year, reports_dir=reports, notebook=good)
    before = {y: digest(reports / str(y)) for y in (2023, 2024)}
    slow = tiny_notebook(tmp_path / "slow.ipynb", 'import os, pathlib, time\n'
                         'pathlib.Path(f"kernel-{year}.pid").write_text(str(os.getpid()))\ntime.sleep(60)')
    code = ("import sys; from pathlib import Path; from tradelib import batch\n"
            "opts = batch.Options(reports_dir=Path(sys.argv[1]), notebook=Path(sys.argv[2]))\n"
            "try:\n    batch.Batch([2023, 2024, 2025], opts, jobs=2).run()\n"
            "except KeyboardInterrupt:\n    print('stopped', file=sys.stderr); sys.exit(130)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(reports), str(slow)], stderr=subprocess.PIPE, text=True,
                            cwd=paths.PROJECT_DIR)
    deadline = time.time() + 180
    while time.time() < deadline and len(list(tmp_path.glob("kernel-*.pid"))) < 2:
        time.sleep(0.2)  # until both workers' kernels are running the slow cell
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert {y: digest(reports / str(y)) for y in (2023, 2024)} == before
    assert not (reports / "2025").exists()
    assert [p.name for p in reports.iterdir() if p.name.startswith((".tmp-", ".old-"))] == []
    pids = [int(f.read_text()) for f in tmp_path.glob("kernel-*.pid")]
    assert len(pids) == 2
    time.sleep(2)
    for pid in pids:  # no kernel was left running
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
