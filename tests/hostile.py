"""Hostile inputs: text that tries to become markup, hide itself or swamp the page, put into every column of
every data file. Used by tests/test_hostile.py; ``python -m tests.hostile`` runs the whole matrix and prints
the counts.

A case is one payload appended to one column of one file, in every row (a copy of the bundled data). It is
handled when the data load refuses it with one clear line naming the file, or when the briefing built on
the data holds the text only as text: the page passes :func:`tradelib.safeguards.page_problems`.
"""
from __future__ import annotations

import csv
import html
import io
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from tradelib import paths, render, safeguards, sources
from tradelib.errors import DataError

PAYLOADS = {
    "script": "<script>alert('x14')</script>",
    "event handler": "<img src=x onerror=alert(1)><svg onload=alert(2)>",
    "attribute breakout": "\"' onmouseover=alert(1) x=\"",
    "javascript link": "<a href=\"javascript:alert(1)\">click</a>",
    "file attachment": "<a rel=\"attachment\" href=\"file:///etc/hostname\">f</a>",
    "bare urls": "javascript:alert(1)//file:///etc/passwd",
    "style loading": ("<style>@import url(http://example.invalid/x.css);</style>"
                      "<p style=\"background:url(file:///etc/passwd)\">s</p>"),
    "css escape": "\\3c script\\3e alert(1)\\3c/script\\3e</style><script>x</script>",
    "comment breakout": "--><script>x</script><!--]]><![CDATA[",
    "template": "{{ 7*7 }}{% raw %}${{7*7}}$$\\href{javascript:x}{y}$$",
    "bidi override": "total\u202egnp.exe\u2066",
    "control characters": "bell\x07\x1b[31mred\x00",
    "very long field": "L" * 100_000,
}
MARKUP = "".join(v for k, v in PAYLOADS.items() if k not in ("bidi override", "control characters",
                                                             "very long field"))
FILES = ("figures.csv", "sources.csv", "indicators.csv", "groups.csv", "baskets.csv", "conflicts.csv")


def read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        r = csv.DictReader(fh)
        return list(r.fieldnames), list(r)


def write(path: Path, header: list[str], rows: list[dict]) -> None:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def data_with(folder: Path, injections: list[tuple[str, str]], payload: str) -> Path:
    """A copy of the bundled data in ``folder`` with ``payload`` appended to each (file, column), every row
    (the first row only for a payload of 10,000 characters or more)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(paths.DATA_DIR, folder, ignore=shutil.ignore_patterns("*.md"))
    by_file: dict[str, list[str]] = {}
    for f, c in injections:
        by_file.setdefault(f, []).append(c)
    for f, cols in by_file.items():
        header, rows = read(folder / f)
        for row in rows if len(payload) < 10_000 else rows[:1]:  # a very long field: one row is enough
            for c in cols:
                row[c] = (row[c] or "") + payload
        write(folder / f, header, rows)
    return folder


def columns() -> list[tuple[str, str]]:
    return [(f, c) for f in FILES for c in read(paths.DATA_DIR / f)[0]]


def clear_refusal(e: DataError, file: str) -> str | None:
    """What is wrong with a refusal message, or None when it is one clear line."""
    msg = str(e)
    if "\n" in msg or len(msg) > 600:
        return f"message not one short line ({len(msg)} characters)"
    if not msg.startswith(file):
        return f"message does not name {file}: {msg[:80]}"
    if safeguards.HIDDEN_CHARS.search(msg):
        return "message carries a control or bidirectional character"
    return None


def build_page(data_folder: Path, year: int = 2025, currency: str = "CNY") -> str:
    """The briefing's HTML page, built in this process: the notebook's code cells run with ``display``
    collected, then the same HTML step as a render (which refuses a page with foreign markup)."""
    import IPython.display
    import jupytext
    import nbformat

    nb = jupytext.read(paths.NOTEBOOKS_DIR / "briefing.py")
    outputs: list[dict] = []

    def collect(obj, *args, **kwargs):
        data = getattr(obj, "data", None)
        outputs.append({"text/html": data} if isinstance(data, str) else {"text/plain": str(obj)})

    ns: dict = {}
    params = {"year": year, "currency": currency, "data_path": str(data_folder), "rendered_at": "2026-01-01T00:00:00",
              "tradelib_commit": "test"}
    with mock.patch.object(IPython.display, "display", collect):
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            exec(cell.source, ns)
            if "parameters" in cell.metadata.get("tags", []):
                ns.update(params)
    executed = nbformat.v4.new_notebook()
    executed.cells = [nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output("display_data", data=o)
                                                              for o in outputs])]
    path = data_folder.parent / f"{data_folder.name}.ipynb"
    nbformat.write(executed, str(path))
    return render.notebook_to_html(path, f"China's foreign trade in {year}", "hostile-input test")


@dataclass
class Outcome:
    refused: list[tuple[str, str, str]] = field(default_factory=list)     # (file, column, payload)
    accepted: list[tuple[str, str, str]] = field(default_factory=list)
    failed: set[tuple[str, str, str]] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    reached_page: list[str] = field(default_factory=list)                 # payloads seen (escaped) in a page

    @property
    def tried(self) -> int:
        return len(self.refused) + len(self.accepted)

    def summary(self) -> str:
        failed = len(self.failed & set(self.refused + self.accepted))
        return (f"{self.tried} cases tried, {self.tried - failed} handled ({len(self.refused)} refused with "
                f"one clear line, {len(self.accepted)} accepted and shown as text), {failed} failures; "
                f"{len(self.failures)} problems in all")


def load_cases(work: Path, payloads: dict[str, str] = PAYLOADS, cols: list[tuple[str, str]] | None = None,
               outcome: Outcome | None = None) -> Outcome:
    """Each payload in each column, loaded: refused with one clear line, or accepted."""
    out = outcome or Outcome()
    for f, c in cols or columns():
        for name, payload in payloads.items():
            folder = data_with(work / "case", [(f, c)], payload)
            try:
                sources.load(folder)
            except DataError as e:
                problem = clear_refusal(e, f)
                if problem:
                    out.failures.append(f"{f} {c} {name}: {problem}")
                    out.failed.add((f, c, name))
                out.refused.append((f, c, name))
            except Exception as e:  # anything else is a failure of the load
                out.failures.append(f"{f} {c} {name}: {type(e).__name__}: {str(e)[:120]}")
                out.failed.add((f, c, name))
                out.refused.append((f, c, name))
            else:
                out.accepted.append((f, c, name))
    return out


def render_cases(work: Path, out: Outcome, payloads: dict[str, str] = PAYLOADS, pdf: tuple[str, ...] = (),
                 like: str | None = None) -> Outcome:
    """For each payload, every column that accepted it carries it at once; the briefing page must be safe.

    ``like``: take the columns from the cases of that payload (for payloads not tried one column at a time).
    """
    for name, payload in payloads.items():
        cases = [(f, c, n) for f, c, n in out.accepted if n == (like if like and name != like else name)]
        cells = [(f, c) for f, c, _ in cases]
        if not cells:
            continue
        folder = data_with(work / f"page-{len(out.reached_page)}-{abs(hash(name))}", cells, payload)
        try:
            page = build_page(folder)
        except DataError as e:  # a combination refused on load: fine if said in one clear line
            if "\n" in str(e) or safeguards.HIDDEN_CHARS.search(str(e)):
                out.failures.append(f"page with {name}: unclear refusal")
            continue
        except Exception as e:
            out.failures.append(f"page with {name} in {len(cells)} columns: {type(e).__name__}: {str(e)[:200]}")
            out.failed.update((f, c, name) for f, c, _ in cases)
            continue
        if html.escape(payload, quote=False) in page or html.escape(payload) in page:
            out.reached_page.append(name)
        if name in pdf:
            problem = pdf_problem(page, folder.parent / f"{folder.name}.pdf")
            if problem:
                out.failures.append(f"PDF with {name}: {problem}")
                out.failed.update((f, c, name) for f, c, _ in cases)
    return out


def pdf_problem(page: str, path: Path) -> str | None:
    """Render the page to PDF; say what is wrong if it embeds a file or links anywhere but http(s) or itself."""
    from pypdf import PdfReader

    render.html_to_pdf(page, path, path.parent)
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    if "/Names" in root and "/EmbeddedFiles" in root["/Names"]:
        return "embeds a file"
    for p in reader.pages:
        for a in p.get("/Annots") or []:
            a = a.get_object()
            if a.get("/Subtype") == "/FileAttachment":
                return "has a file attachment annotation"
            uri = (a.get("/A") or {}).get("/URI")
            if uri is not None and not str(uri).startswith(("http://", "https://")):
                return f"links to {str(uri)[:60]!r}"
    return None


def main(work: Path) -> int:
    out = load_cases(work)
    render_cases(work, out, pdf=("file attachment", "style loading"))
    print(f"hostile inputs, {len(columns())} columns of {len(FILES)} files x {len(PAYLOADS)} payloads: {out.summary()}")
    print(f"payloads seen escaped on a briefing page: {', '.join(out.reached_page)}")
    for f in out.failures:
        print("  FAIL", f)
    return 1 if out.failures else 0


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        sys.exit(main(Path(d)))
