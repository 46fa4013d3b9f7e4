"""The fingerprint of a render's inputs: what changes it, what does not, and how it is read back from a report."""
from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from tradelib import fingerprint, paths, sources

from .conftest import SYNTHETIC

PARAMS = {"year": 2025, "currency": "CNY", "data_path": ""}


def test_same_inputs_same_digest_and_stamps_do_not_count():
    a = fingerprint.compute({**PARAMS, "rendered_at": "2026-01-01T00:00:00+00:00", "tradelib_commit": "abc"},
                            paths.BRIEFING_NOTEBOOK)
    b = fingerprint.compute({**PARAMS, "rendered_at": "2026-02-02T00:00:00+00:00", "tradelib_commit": "def"},
                            paths.BRIEFING_NOTEBOOK)
    assert a == b
    assert "rendered_at" not in a["parameters"] and a["parameters"]["year"] == 2025


def test_the_inputs_listed_are_library_data_templates_notebook_and_environment():
    files = fingerprint.compute(PARAMS, paths.BRIEFING_NOTEBOOK)["files"]
    for name in ("tradelib/render.py", "tradelib/narrative.py", "tradelib/data/figures.csv",
                 "tradelib/data/sources.csv", "tradelib/templates/briefing.css",
                 "tradelib/templates/briefing.html.j2", "notebooks/briefing.ipynb"):
        assert len(files[name]) == 64, name
    assert not any("__pycache__" in k or k.endswith(".pyc") for k in files)
    env = fingerprint.compute(PARAMS, paths.BRIEFING_NOTEBOOK)["environment"]
    assert {"python", "pandas", "matplotlib", "papermill", "nbconvert", "weasyprint"} <= set(env)


@pytest.mark.parametrize("change,expected", [
    ({"year": 2024}, ["year"]),
    ({"currency": "USD"}, ["currency"]),
    ({"outlook_low": 2.0, "outlook_high": 4.0}, ["outlook_high", "outlook_low"]),
])
def test_a_changed_parameter_changes_the_digest(change, expected):
    a = fingerprint.compute(PARAMS, paths.BRIEFING_NOTEBOOK)
    b = fingerprint.compute({**PARAMS, **change}, paths.BRIEFING_NOTEBOOK)
    assert a["digest"] != b["digest"]
    assert fingerprint.changes(a, b) == expected


def test_a_changed_data_file_changes_the_digest(tmp_path):
    data = tmp_path / "mine"
    shutil.copytree(SYNTHETIC, data)
    params = {**PARAMS, "data_path": str(data)}
    before = fingerprint.compute(params, paths.BRIEFING_NOTEBOOK, data)
    assert fingerprint.compute(params, paths.BRIEFING_NOTEBOOK, data) == before
    with open(data / "sources.csv", "a") as fh:  # a companion file of the folder given as the data
        fh.write("\n")
    after = fingerprint.compute(params, paths.BRIEFING_NOTEBOOK, data)
    assert fingerprint.changes(before, after) == [str((data / "sources.csv").resolve())]


def test_a_changed_library_file_changes_the_digest(tmp_path, monkeypatch):
    package = tmp_path / "tradelib"
    shutil.copytree(paths.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint.paths, "PACKAGE_DIR", package)
    before = fingerprint.compute(PARAMS, paths.BRIEFING_NOTEBOOK)
    with open(package / "metrics.py", "a") as fh:
        fh.write("\n# edited\n")
    after = fingerprint.compute(PARAMS, paths.BRIEFING_NOTEBOOK)
    assert fingerprint.changes(before, after) == ["tradelib/metrics.py"]
    (package / "templates" / "briefing.css").write_text("body { color: red }")
    assert "tradelib/templates/briefing.css" in fingerprint.changes(before, fingerprint.compute(PARAMS, paths.BRIEFING_NOTEBOOK))


def test_a_changed_notebook_changes_the_digest(tmp_path):
    nb = tmp_path / "briefing.ipynb"
    shutil.copy(paths.BRIEFING_NOTEBOOK, nb)
    before = fingerprint.compute(PARAMS, nb)
    node = nbformat.read(str(nb), as_version=4)
    node.cells.append(nbformat.v4.new_markdown_cell("A new closing note."))
    nbformat.write(node, str(nb))
    assert fingerprint.changes(before, fingerprint.compute(PARAMS, nb)) == [str(nb.resolve())]


@pytest.mark.parametrize("layout", ["folder", "file"])
def test_companion_files_are_those_sources_load_reads(data_copy, layout):
    data = data_copy if layout == "folder" else data_copy / "figures.csv"
    read = [f for f in sources.load(data).files.values() if f.parent != paths.DATA_DIR]   # not the bundled ones
    assert fingerprint.data_files(data) == read


def test_a_user_file_without_companions_is_fingerprinted_alone(tmp_path):
    own = tmp_path / "figures.csv"
    shutil.copy(SYNTHETIC / "figures.csv", own)
    assert fingerprint.data_files(own) == [own]
    assert fingerprint.data_files(None) == [] and fingerprint.data_files("") == []


def _report(folder, inputs=None, files=fingerprint.REPORT_FILES):
    folder.mkdir(parents=True)
    for name in files:
        (folder / name).write_text("x")
    if "briefing.ipynb" in files:
        nb = nbformat.v4.new_notebook()
        if inputs is not None:
            nb.metadata["tradelib"] = {"inputs": inputs}
        nbformat.write(nb, str(folder / "briefing.ipynb"))
    return folder


def test_a_report_is_current_only_when_whole_and_stamped_with_the_same_digest(tmp_path):
    inputs = fingerprint.compute(PARAMS, paths.BRIEFING_NOTEBOOK)
    assert fingerprint.is_current(_report(tmp_path / "same", inputs), inputs)
    other = fingerprint.compute({**PARAMS, "year": 2024}, paths.BRIEFING_NOTEBOOK)
    assert not fingerprint.is_current(_report(tmp_path / "other", other), inputs)
    assert not fingerprint.is_current(_report(tmp_path / "unstamped"), inputs)  # rendered before fingerprints
    assert not fingerprint.is_current(_report(tmp_path / "no-pdf", inputs, files=("briefing.ipynb", "briefing.html")),
                                      inputs)
    assert not fingerprint.is_current(tmp_path / "absent", inputs)
    broken = _report(tmp_path / "broken", inputs)
    (broken / "briefing.ipynb").write_text("{not json")
    assert not fingerprint.is_current(broken, inputs)


def test_record_stores_the_inputs_in_the_notebook_metadata(tmp_path):
    folder = _report(tmp_path / "r")
    inputs = fingerprint.compute(PARAMS, paths.BRIEFING_NOTEBOOK)
    fingerprint.record(folder / "briefing.ipynb", inputs)
    stored = json.loads((folder / "briefing.ipynb").read_text())["metadata"]["tradelib"]["inputs"]
    assert stored == inputs and fingerprint.recorded(folder) == inputs
