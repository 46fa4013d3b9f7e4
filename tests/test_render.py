"""End-to-end: rendering briefings, and what happens when a render fails (marked e2e; a few renders each)."""
from __future__ import annotations

import hashlib
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from tradelib import paths, render
from tradelib.errors import NoDataForYear, RenderError

from .conftest import SYNTHETIC

pytestmark = pytest.mark.e2e

SECTIONS = ["Main points", "Key figures", "Headline trade", "Exports moving up the value chain",
            "Partners and diversification", "Imports and commodities", "The domestic market", "Outlook",
            "About this briefing"]
# what a reader must never see: notes to the team, parameter names, lists of what was not found
INTERNAL = ["Not found", "not found", "not published", "see the notes", "Parameters:", "outlook_low", "data_path",
            "are held for this year", "rendered at"]


def pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def cli(*args: str, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tradelib", *args], capture_output=True, text=True,
                          cwd=cwd or paths.PROJECT_DIR, timeout=600, **kw)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The 2025 and 2023 briefings, rendered once into a temporary reports folder."""
    reports = tmp_path_factory.mktemp("reports")
    for year in (2025, 2023):
        render.render(year, reports_dir=reports)
    return reports


def test_2025_briefing_carries_the_headline_figures(rendered):
    folder = rendered / "2025"
    assert sorted(p.name for p in folder.iterdir()) == ["briefing.html", "briefing.ipynb", "briefing.pdf"]
    text = pdf_text(folder / "briefing.pdf")
    for needle in ("45.47 trillion yuan", "3.8%", "26.99 trillion yuan", "6.1%", "18.48 trillion yuan", "0.5%",
                   "5.25 trillion yuan", "13.2%", "27.1%", "48.7%", "11.2%", "5.4 percentage points",
                   "third consecutive year", "about 10% of world imports", "world's largest trader in goods",
                   "400 million", "50 trillion yuan", "2–4% a year"):
        assert needle in text, needle


def test_2025_briefing_has_every_section_and_no_code(rendered):
    html = (rendered / "2025" / "briefing.html").read_text()
    for s in SECTIONS:
        assert s in html, s
    assert "jp-InputArea" not in html and "input_area" not in html
    assert "import tradelib" not in html and "Narrator(" not in html
    assert "Traceback" not in html and "Warning" not in html and "Error" not in html
    assert html.count("<svg") == 4  # series, products, partners, outlook (shares, commodities: too few figures)
    assert "<h1>China's foreign trade in 2025</h1>" in html
    body = html.split("<body>", 1)[1]
    for words in INTERNAL:
        assert words not in body, words


def test_pdf_is_a4_with_page_numbers_and_title(rendered):
    reader = PdfReader(str(rendered / "2025" / "briefing.pdf"))
    w, h = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(w), round(h)) == (595, 842)  # A4 in points
    n = len(reader.pages)
    assert f"Page 1 of {n}" in reader.pages[0].extract_text()
    first = reader.pages[0].extract_text()
    assert "China's foreign trade in 2025" in first and "Key figures, 2025" in first
    assert "data as released up to 2026-01-14" in first
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] and root["/Lang"] == "en"  # tagged (PDF/UA-1)


def struct_elements(root) -> list:
    """Every element of a PDF's structure tree (tagged PDF), depth first."""
    out = []

    def walk(e):
        e = e.get_object()
        if not hasattr(e, "get"):
            return
        if e.get("/S") is not None:
            out.append(e)
        kids = e.get("/K")
        for k in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
            if hasattr(k, "get_object"):
                walk(k)

    walk(root["/StructTreeRoot"])
    return out


def test_each_chart_is_a_tagged_figure_with_its_text_alternative(rendered):
    """The tagged PDF (no PDF/UA validator is installable from the package registries; veraPDF is not on
    them): one /Figure per chart, each with the text alternative written from the chart's data."""
    html = (rendered / "2025" / "briefing.html").read_text()
    root = PdfReader(str(rendered / "2025" / "briefing.pdf")).trailer["/Root"]
    elements = struct_elements(root)
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == html.count("<svg") == 4
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert alts[0].startswith("China's goods trade, 2015–2025 (trillion yuan). 2015: exports 14.14 trillion yuan")
    assert "United States: 4.01 trillion yuan, change: no yuan figure" in alts[2]
    assert alts[3].startswith("Exports, 2015–2025, and the outlook to 2030. Published exports: 2015 14.14 trillion")
    kinds = {str(e["/S"]) for e in elements}
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/L", "/LI", "/Caption", "/Link"} <= kinds


def test_executed_notebook_is_the_audit_record(rendered):
    nb = nbformat.read(str(rendered / "2025" / "briefing.ipynb"), as_version=4)
    params = nb.metadata.papermill.parameters
    assert params["year"] == 2025 and params["currency"] == "CNY" and params["rendered_at"]
    assert params["tradelib_commit"]
    stderr = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.get("name") == "stderr" or o.get("output_type") == "error"]
    assert stderr == []  # no warnings or errors while the briefing was computed
    head, body = (rendered / "2025" / "briefing.html").read_text().split("<body>", 1)
    # the audit record is document metadata, not text for the reader
    assert params["rendered_at"] not in body and params["tradelib_commit"] not in body
    assert f'<meta name="dcterms.created" content="{params["rendered_at"]}">' in head
    meta = PdfReader(str(rendered / "2025" / "briefing.pdf")).metadata
    assert meta["/Creator"] == f"tradelib 0.1.0 ({params['tradelib_commit']})"
    assert "year = 2025" in meta["/Subject"] and "currency = CNY" in meta["/Subject"]


def test_2023_briefing_reads_right_for_a_flat_year(rendered):
    text = pdf_text(rendered / "2023" / "briefing.pdf")
    assert "41.76 trillion yuan" in text and "up 0.2% on 2022" in text
    assert "reached a record" not in text
    assert "revised figure for 2022" in text
    assert "imports fell 0.3%" in text
    assert "data as released up to 2024-01-11" in text  # the 2023 release, not the newest in the data
    html = (rendered / "2023" / "briefing.html").read_text()
    for s in ("Main points", "Key figures", "Headline trade", "Partners and diversification", "About this briefing"):
        assert s in html, s
    for words in INTERNAL:
        assert words not in html.split("<body>", 1)[1], words


def test_usd_briefing(tmp_path):
    render.render(2025, currency="USD", reports_dir=tmp_path)
    text = pdf_text(tmp_path / "2025" / "briefing.pdf")
    assert "US$6.35 trillion" in text and "figures in US dollars" in text
    assert re.search(r"45\.47 trillion yuan[\d,\[\]]* was a record", text)
    assert "5.4 percentage points of the 6.1% growth of total exports" in text
    assert "(5.5%)" not in text


def test_year_without_data_is_refused_and_nothing_is_written(tmp_path):
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / "briefing.pdf").write_bytes(b"earlier report")
    r = cli("--year", "1990", "--reports-dir", str(tmp_path))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no official figures for 1990; years available: 2015–2025" in lines[0]
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "1990").exists()
    assert (tmp_path / "2025" / "briefing.pdf").read_bytes() == b"earlier report"
    with pytest.raises(NoDataForYear):
        render.render(1990, reports_dir=tmp_path)


# ---------------------------------------------------------------- failure modes: nothing lost

def tiny_notebook(path: Path, body: str) -> Path:
    """A small parameterized notebook standing in for the briefing in failure tests."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('year = 2025\ncurrency = "CNY"\ndata_path = ""\nrendered_at = ""\n'
                                       'tradelib_commit = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "tradelib", "display_name": "Python (tradelib)", "language": "python"}
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def earlier(tmp_path):
    """A reports folder holding an earlier 2025 report."""
    reports = tmp_path / "reports"
    good = tiny_notebook(tmp_path / "good.ipynb", 'print("earlier report")')
    render.render(2025, reports_dir=reports, notebook=good)
    return reports, digest(reports / "2025")


def leftovers(reports: Path) -> list[str]:
    return [p.name for p in reports.iterdir() if p.name.startswith((".tmp-", ".old-"))]


def test_a_raising_cell_keeps_the_earlier_report(tmp_path, earlier):
    reports, before = earlier
    bad = tiny_notebook(tmp_path / "bad.ipynb", 'raise ValueError("figures do not add up")')
    with pytest.raises(RenderError) as exc:
        render.render(2025, reports_dir=reports, notebook=bad)
    msg = str(exc.value)
    assert "executing the notebook failed: ValueError: figures do not add up" in msg
    kept = Path(re.search(r"kept at (\S+briefing\.ipynb)", msg).group(1))
    assert kept.exists() and kept.parent.parent == reports / ".failed"
    assert "The earlier report was left as it was." in msg
    assert digest(reports / "2025") == before
    assert leftovers(reports) == []


def test_a_dead_kernel_keeps_the_earlier_report(tmp_path, earlier):
    reports, before = earlier
    bad = tiny_notebook(tmp_path / "dies.ipynb", "import os\nos._exit(1)")
    with pytest.raises(RenderError, match="executing the notebook failed"):
        render.render(2025, reports_dir=reports, notebook=bad, timeout=60)
    assert digest(reports / "2025") == before
    assert leftovers(reports) == []


def test_a_failing_pdf_step_keeps_the_earlier_report(tmp_path, earlier, monkeypatch):
    reports, before = earlier

    def broken(*a, **k):
        raise OSError("cannot load library 'pango'")

    monkeypatch.setattr(render, "html_to_pdf", broken)
    good = tiny_notebook(tmp_path / "good2.ipynb", 'print("new report")')
    with pytest.raises(RenderError, match=r"writing the PDF failed: cannot load library 'pango'"):
        render.render(2025, reports_dir=reports, notebook=good)
    assert digest(reports / "2025") == before
    assert leftovers(reports) == []


@pytest.mark.parametrize("sig,words", [(signal.SIGTERM, "interrupted by signal 15"), (signal.SIGINT, "Ctrl-C")])
def test_an_interrupt_mid_render_keeps_the_earlier_report(tmp_path, earlier, sig, words):
    reports, before = earlier
    slow = tiny_notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(60)")
    code = ("import sys; from pathlib import Path; from tradelib import render; from tradelib.errors import "
            "TradelibError\ntry:\n    render.render(2025, reports_dir=Path(sys.argv[1]), notebook=Path(sys.argv[2]))\n"
            "except TradelibError as e:\n    print(e, file=sys.stderr); sys.exit(e.exit_status)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(reports), str(slow)], stderr=subprocess.PIPE, text=True,
                            cwd=paths.PROJECT_DIR)
    deadline = time.time() + 60
    while time.time() < deadline and not list(reports.glob(".tmp-*")):
        time.sleep(0.2)
    time.sleep(3)  # the kernel is running the slow cell
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + sig, err  # 143 for SIGTERM, 130 for Ctrl-C
    assert f"render interrupted ({words}) while executing the notebook" in err
    assert digest(reports / "2025") == before
    assert leftovers(reports) == []


def test_two_concurrent_renders_leave_one_whole_report(tmp_path):
    reports = tmp_path / "reports"
    procs = [subprocess.Popen([sys.executable, "-m", "tradelib", "--year", "2025", "--reports-dir", str(reports)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=paths.PROJECT_DIR)
             for _ in range(2)]
    for p in procs:
        p.communicate(timeout=600)
        assert p.returncode == 0
    folder = reports / "2025"
    assert sorted(x.name for x in folder.iterdir()) == ["briefing.html", "briefing.ipynb", "briefing.pdf"]
    nb = nbformat.read(str(folder / "briefing.ipynb"), as_version=4)
    stamp = nb.metadata.papermill.parameters["rendered_at"]
    assert f'content="{stamp}"' in (folder / "briefing.html").read_text()  # HTML and notebook: the same render
    assert leftovers(reports) == []


# ---------------------------------------------------------------- user data

def test_user_data_folder_is_used(tmp_path):
    r = cli("--year", "2024", "--data", str(SYNTHETIC), "--reports-dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "2024" / "briefing.html").read_text()
    assert "10.29 trillion yuan" in html  # the SYNTHETIC fixture's made-up total
    head, body = html.split("<body>", 1)  # the audit record names the data folder in the document metadata
    assert f"data_path = {SYNTHETIC}" in head
    # the reader is told the edition was computed from a supplied data set, and from which files
    assert ("figures.csv, sources.csv, indicators.csv, groups.csv, baskets.csv, conflicts.csv, domains.csv from the "
            "folder given") in body


@pytest.mark.parametrize("content,expected", [
    (b"", "figures.csv: [not empty] the file is empty"),
    (b"year,flow\n2025,total\n", "figures.csv line 1: [columns] missing column(s)"),
    ("year,flow,partner,product,enterprise,measure,value,unit,currency,source_id,vintage,note,quote\n"
     "2025,total,WLD,ALL,ALL,value,lots,trillion,CNY,seed-01,2026-01-14,,\n".encode(), "figures.csv line 2: [numeric]"),
    ("year,flow,partner,product,enterprise,measure,value,unit,currency,source_id,vintage,note,quote\n"
     "2025,total,WLD,ALL,ALL,value,45.47,zillion,CNY,seed-01,2026-01-14,,\n".encode(), "figures.csv line 2: [known unit]"),
    ("year,flow\n2025,total ¥\n".encode("utf-16"), "figures.csv line 1: [encoding]"),
])
def test_malformed_user_data_ends_in_one_clear_line(tmp_path, content, expected):
    bad = tmp_path / "figures.csv"
    bad.write_bytes(content)
    reports = tmp_path / "reports"
    r = cli("--year", "2025", "--data", str(bad), "--reports-dir", str(reports))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert expected in r.stderr
    assert not (reports / "2025").exists()


def test_exploratory_notebook_runs_on_the_project_kernel(tmp_path):
    import papermill as pm

    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(str(paths.NOTEBOOKS_DIR / "explore.ipynb"), str(out), kernel_name=render.ensure_kernel(),
                        parameters={"year": 2023}, progress_bar=False, cwd=str(paths.NOTEBOOKS_DIR))
    nb = nbformat.read(str(out), as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert errors == []
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "41.76 trillion yuan" in printed
