"""The package installs: the wheel holds everything a render needs and renders from any folder into ./reports.

The wheel is built from the source tree and installed (without its dependencies) into a new virtual
environment; the dependencies are the ones of the environment running the tests, made visible to the new one
by a path file (and their Jupyter data by JUPYTER_PATH), because resolving and downloading them again takes
minutes. The project itself comes only
from the wheel (checked).
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tradelib import paths

pytestmark = pytest.mark.e2e


# the dependencies' data files (nbconvert's page templates) are those of the test environment too
ENV = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}


def run(*cmd, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, timeout=timeout, env=ENV)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A new venv with the wheel of this source tree installed; returns the venv folder."""
    work = tmp_path_factory.mktemp("wheel")
    r = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", work / "dist", paths.PROJECT_DIR,
            cwd=work)
    assert r.returncode == 0, r.stderr
    wheel = next((work / "dist").glob("tradelib-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"tradelib/notebooks/briefing.ipynb", "tradelib/templates/briefing.html.j2",
            "tradelib/templates/briefing.css", "tradelib/data/figures.csv", "tradelib/data/sources.csv",
            "tradelib/safeguards.py"} <= names
    venv = work / "venv"
    assert run(sys.executable, "-m", "venv", venv, cwd=work).returncode == 0
    r = run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", wheel, cwd=work)
    assert r.returncode == 0, r.stderr
    site = Path(run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=work).stdout.strip())
    (site / "tradelib_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def test_installed_command_renders_from_an_empty_folder_into_its_reports(installed, tmp_path):
    empty = tmp_path / "empty folder"
    empty.mkdir()
    where = run(installed / "bin" / "python", "-c", "import tradelib; print(tradelib.__file__)", cwd=empty)
    assert where.stdout.strip().startswith(str(installed)), where  # the wheel's copy, not the source tree
    r = run(installed / "bin" / "tradelib-report", "--year", "2025", cwd=empty)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [str(empty / "reports" / "2025" / n) for n in
                                ("briefing.html", "briefing.pdf", "briefing.ipynb")]
    assert "45.47 trillion yuan" in (empty / "reports" / "2025" / "briefing.html").read_text()
    assert list(installed.rglob("reports")) == []  # nothing written into the installation


def test_python_m_tradelib_runs_from_the_installation(installed, tmp_path):
    r = run(installed / "bin" / "python", "-m", "tradelib", "--year", "1990", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith("tradelib: error: no official figures for 1990; years available: 2015–2025")
    assert not (tmp_path / "reports").exists()
