"""Nothing a data file says becomes markup, and the PDF renderer reads no file or network resource."""
from __future__ import annotations

import html
import shutil

import nbformat
import pytest
from pypdf import PdfReader

from tradelib import paths, render, safeguards, sources
from tradelib.errors import DataError, RenderError
from tradelib.markup import AnnualMarkup
from tradelib.narrative import Narrator

from . import annual, hostile
from .conftest import SYNTHETIC

SCRIPT = hostile.PAYLOADS["script"]


def write_rows(path, header, rows):
    hostile.write(path, header, rows)


def with_note(folder, file, column, text, row=0):
    header, rows = hostile.read(folder / file)
    rows[row][column] = text
    write_rows(folder / file, header, rows)


# ---------------------------------------------------------------- text rules on load

@pytest.mark.parametrize("text,expected", [
    ("abc\u202edcb", "figures.csv line 2: [plain text] note holds the invisible character U+202E at position 4"),
    ("a\u2066b", "[plain text] note holds the invisible character U+2066 at position 2"),
    ("bell\x07", "[plain text] note holds the invisible character U+0007 at position 5"),
    ("two\nlines", "[plain text] note holds the invisible character U+000A at position 4"),
    ("x" * 2001, "figures.csv line 2: [plain text] note is 2001 characters long; at most 2000 are allowed"),
])
def test_invisible_characters_and_overlong_fields_are_refused(data_copy, text, expected):
    with_note(data_copy, "figures.csv", "note", text)
    with pytest.raises(DataError) as e:
        sources.load(data_copy)
    assert expected in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("file,column,value,expected", [
    ("sources.csv", "url", 'https://example.org/"><script>x</script>', "sources.csv line 2: [source url]"),
    ("sources.csv", "url", "javascript:alert(1)", "sources.csv line 2: [source url]"),
    ("sources.csv", "url", "file:///etc/passwd", "sources.csv line 2: [source url]"),
    ("sources.csv", "source_id", "a<b>", "sources.csv line 2: [source id] source_id 'a<b>' may hold only"),
    ("groups.csv", "member", "*<script>", "groups.csv line 2: [code]"),
])
def test_codes_and_addresses_refuse_markup(data_copy, file, column, value, expected):
    with_note(data_copy, file, column, value)
    with pytest.raises(DataError) as e:
        sources.load(data_copy)
    assert expected in str(e.value)


# ---------------------------------------------------------------- escaping where text lands

def test_outlook_range_note_from_indicators_is_escaped(data_copy):
    """The hole reported in issue 14: a note in indicators.csv reached the HTML as markup."""
    header, rows = hostile.read(data_copy / "indicators.csv")
    hits = [r for r in rows if r["indicator"] == "export_growth_outlook_low" and r["year"] == "2025"]
    assert hits
    for r in hits:
        r["note"] = SCRIPT + ' <a rel="attachment" href="file:///etc/hostname">x</a>'
    write_rows(data_copy / "indicators.csv", header, rows)
    nar = Narrator(sources.load(data_copy), 2025)
    out = annual.outlook_section(nar)
    assert "<script>" not in out and "&lt;script&gt;alert('x14')&lt;/script&gt;" in out
    assert 'href="file:' not in out


def test_source_titles_and_publishers_are_escaped(data_copy):
    header, rows = hostile.read(data_copy / "sources.csv")
    for r in rows:
        r["title"] += SCRIPT
        r["publisher"] += '" onmouseover="alert(1)'
    write_rows(data_copy / "sources.csv", header, rows)
    nar = Narrator(sources.load(data_copy), 2025)
    page = AnnualMarkup(nar)
    annual.key_figures(nar, page)  # cites sources
    text = page.citations.markdown()
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert safeguards.page_problems(text) == []


def test_a_page_with_foreign_markup_is_not_published(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": "<p>fine</p><img src=x onerror=alert(1)>"})])]
    nbformat.write(nb, str(tmp_path / "x.ipynb"))
    with pytest.raises(RenderError, match=r"the page holds markup that tradelib did not write \(an? <img> element"):
        render.notebook_to_html(tmp_path / "x.ipynb", "T", "S")


def test_title_and_subtitle_are_escaped_in_the_page_and_the_pdf_metadata(tmp_path):
    nb = nbformat.v4.new_notebook()
    nbformat.write(nb, str(tmp_path / "x.ipynb"))
    page = render.notebook_to_html(tmp_path / "x.ipynb", "Trade <script>x</script> & more", "released <b>")
    assert "<title>Trade &lt;script&gt;x&lt;/script&gt; &amp; more</title>" in page
    assert "released &lt;b&gt;" in page
    render.html_to_pdf(page, tmp_path / "x.pdf", tmp_path)
    assert PdfReader(str(tmp_path / "x.pdf")).metadata.title == "Trade <script>x</script> & more"


@pytest.mark.parametrize("problem,markup", [
    ("script", "<script>1</script>"),
    ("event handler", '<p onclick="x">a</p>'),
    ("javascript link", '<a href="javascript:x">a</a>'),
    ("file link", '<a href="file:///etc/passwd">a</a>'),
    ("attachment", '<a rel="attachment" href="https://e.org/x">a</a>'),
    ("style url", '<p style="background:url(http://e.invalid/x)">a</p>'),
    ("css escape", '<p style="content:\'\\3c\'">a</p>'),
    ("style sheet", "<style>@import 'http://e.invalid/x.css';</style>"),
    ("svg handler", '<svg onload="x"></svg>'),
    ("foreign object", "<svg><foreignObject></foreignObject></svg>"),
    ("bidi", "<p>a\u202eb</p>"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=http://e.invalid">'),
])
def test_page_check_finds_each_kind_of_foreign_markup(problem, markup):
    assert safeguards.page_problems("<p>ok</p>" + markup), problem


# ---------------------------------------------------------------- the PDF renderer fetches nothing

@pytest.mark.parametrize("url", ["file:///etc/hostname", "http://127.0.0.1:9/x.css", "https://example.org/x.png",
                                 "relative.png", "ftp://e.org/x"])
def test_url_fetcher_refuses_files_and_network(url):
    with pytest.raises(safeguards.RefusedURL, match="the briefing loads no file or network resource"):
        safeguards.url_fetcher(url)


def test_url_fetcher_serves_data_uris():
    got = safeguards.url_fetcher("data:text/plain;base64,aGk=")
    body = (got.get("string") or got["file_obj"].read()) if isinstance(got, dict) else got.read()  # WeasyPrint <70, 70+
    assert body == b"hi"


def test_pdf_embeds_no_local_file_and_loads_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("local secret")
    page = (f'<html><head><link rel="stylesheet" href="file://{secret}"></head><body>'
            f'<a rel="attachment" href="file://{secret}">attached</a>'
            f'<img src="file://{secret}"><img src="http://127.0.0.1:9/x.png"><p>text</p></body></html>')
    render.html_to_pdf(page, tmp_path / "x.pdf", tmp_path)
    data = (tmp_path / "x.pdf").read_bytes()
    assert b"EmbeddedFile" not in data and b"local secret" not in data
    assert hostile.pdf_problem(page, tmp_path / "y.pdf") is None


# ---------------------------------------------------------------- companion files

def test_a_data_file_alone_takes_no_companion_from_its_folder(tmp_path):
    folder = tmp_path / "downloads"
    shutil.copytree(paths.DATA_DIR, folder, ignore=shutil.ignore_patterns("*.md"))
    with_note(folder, "indicators.csv", "note", SCRIPT)
    ds = sources.load(folder / "figures.csv")
    assert ds.files["indicators"] == paths.INDICATORS_CSV and ds.files["sources"] == paths.SOURCES_CSV
    assert SCRIPT not in set(ds.indicators.note)
    assert sources.describe_files(ds.files) == ("figures.csv from the path given; sources.csv, indicators.csv, "
                                                "groups.csv, baskets.csv, conflicts.csv, domains.csv as bundled")


def test_a_data_folder_names_its_companions_and_the_briefing_says_so():
    ds = sources.load(SYNTHETIC)
    assert ds.files["sources"] == SYNTHETIC / "sources.csv"
    nar = Narrator(ds, 2024)
    about = annual.about(nar)   # the closing "About this briefing" names the files used
    assert ("This edition was computed from a data set supplied for it: figures.csv, sources.csv, indicators.csv, "
            "groups.csv, baskets.csv, conflicts.csv, domains.csv from the folder given.") in about


def test_a_data_file_whose_sources_lie_beside_it_says_how_to_use_them():
    with pytest.raises(DataError) as e:
        sources.load(SYNTHETIC / "figures.csv")
    assert str(e.value).endswith(f"to use the sources.csv beside the file, give its folder as the data "
                                 f"(DATA={SYNTHETIC})")


# ---------------------------------------------------------------- the matrix

SAMPLE = {k: hostile.PAYLOADS[k] for k in ("script", "attribute breakout", "bidi override", "very long field")}


@pytest.mark.e2e
def test_hostile_inputs_in_every_column_of_every_file(tmp_path):
    """Four kinds of payload in each of the 55 columns, one at a time: each refused in one clear line or
    accepted. Then every markup payload at once, in every column that accepted markup, on a briefing page that
    must hold it only as text, and printed to PDF. (``python -m tests.hostile`` runs all thirteen payloads one
    column at a time and a page for each.)"""
    out = hostile.load_cases(tmp_path, SAMPLE)
    assert out.tried == len(hostile.columns()) * len(SAMPLE) == 224   # 56 text columns (with seen_at) x 4
    hostile.render_cases(tmp_path, out, {"all markup": hostile.MARKUP}, pdf=("all markup",), like="script")
    print("hostile inputs:", out.summary())
    assert out.failures == []
    # the free-text columns take markup as text and it reaches the page, escaped
    accepted = {(f, c) for f, c, n in out.accepted if n == "script"}
    assert {("sources.csv", "title"), ("sources.csv", "publisher"), ("indicators.csv", "note"),
            ("figures.csv", "note")} <= accepted
    assert out.reached_page == ["all markup"]
    assert not any(n in ("bidi override", "very long field") for *_, n in out.accepted)
