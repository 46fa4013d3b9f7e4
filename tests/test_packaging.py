"""The project's files agree with each other: dependencies, notebooks, Makefile help."""
import re
import subprocess
import tomllib

import jupytext
import nbformat
import pytest
import yaml

from tradelib import paths

ROOT = paths.PROJECT_DIR


# pip names whose conda-forge package is named differently (an extra on PyPI is its own package there)
CONDA_NAMES = {"ibis-duckdb": "ibis-framework[duckdb]"}


def _name(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+(?:\[[a-z,]+\])?)\s*(.*)$", req)
    name = m.group(1).lower().replace("_", "-")
    return CONDA_NAMES.get(name, name), m.group(2).replace(" ", "")


def test_environment_yml_lists_the_same_runtime_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_deps = dict(_name(d) for d in project["dependencies"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_name(d) for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip")))
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    conda.update(_name(d) for d in pip_section if not d.startswith("-e"))  # packages not on conda-forge
    assert conda == pip_deps
    py = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert py == [f"python{project['requires-python']}"]


@pytest.mark.parametrize("nb_path", sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_notebooks_have_no_outputs_and_match_their_text_pair(nb_path):
    nb = nbformat.read(str(nb_path), as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    assert nb.metadata.kernelspec.name == "tradelib"
    py = nb_path.with_suffix(".py")
    assert py.exists(), f"{py.name} (jupytext py:percent pair) is missing; run make notebooks"
    text = jupytext.read(str(py))
    assert [c.source for c in text.cells] == [c.source for c in nb.cells], "run make notebooks to re-pair"


@pytest.mark.parametrize("notebook", [paths.BRIEFING_NOTEBOOK, paths.RECORDS_BRIEFING_NOTEBOOK], ids=lambda p: p.stem)
def test_report_notebook_has_one_parameters_cell_of_literals(notebook):
    nb = nbformat.read(str(notebook), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for line in tagged[0].source.splitlines():
        assert re.match(r"^\w+: [\w |]+ = (-?[\d.]+|\"[^\"]*\"|None|\[\])\s+# .+$", line), line


@pytest.mark.parametrize("notebook", [paths.BRIEFING_NOTEBOOK, paths.RECORDS_BRIEFING_NOTEBOOK], ids=lambda p: p.stem)
def test_no_number_is_typed_into_the_report_notebook(notebook):
    nb = nbformat.read(str(notebook), as_version=4)
    body = [c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    body += [c.source for c in nb.cells if c.cell_type == "markdown"]
    numbers = re.findall(r"(?<![\w\"'])\d+(?:\.\d+)?(?![\w])", "\n".join(body))
    assert numbers == []


def test_make_help_lists_every_target():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    targets = re.findall(r"^([a-z][a-z-]*):.*##", (ROOT / "Makefile").read_text(), flags=re.M)
    for t in targets:
        assert re.search(rf"^\s+{t}\s", out, flags=re.M), t
    assert {"report", "test", "install"} <= set(targets)
