"""Validation runs once per render: the kernel takes the dataset the render validated, when the files are
unchanged (checksums), and validates again otherwise."""
from __future__ import annotations

import shutil
import tempfile

import nbformat
import pytest

from tradelib import paths, render, sources

from .test_render import tiny_notebook


def test_a_handed_over_dataset_is_taken_only_while_the_files_are_unchanged(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data, ignore=shutil.ignore_patterns("*.md"))
    ds = sources.load(data)
    assert ds.checked == "validated on load"
    monkeypatch.setenv(sources.VALIDATED_ENV, str(sources.hand_over(ds, tmp_path)))
    again = sources.load(data)
    assert again.checked == "validated by the render that started this kernel (checksums match)"
    assert again.figures.equals(ds.figures)
    assert sources.load().checked == "validated on load"  # other files: validated
    with open(data / "figures.csv", "a") as fh:  # a changed file: validated again
        fh.write("\n")
    assert sources.load(data).checked == "validated on load"


@pytest.mark.e2e
def test_the_kernel_does_not_validate_again(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the render puts the handed-over dataset
    nb = tiny_notebook(tmp_path / "probe.ipynb", "from tradelib import sources\n"
                                                 "print(sources.load(data_path or None).checked)")
    render.render(2025, reports_dir=tmp_path / "reports", notebook=nb)
    executed = nbformat.read(str(tmp_path / "reports" / "2025" / "briefing.ipynb"), as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert printed.strip() == "validated by the render that started this kernel (checksums match)"
    assert list(tmp_path.glob("tradelib-validated-*")) == []  # removed after the render
