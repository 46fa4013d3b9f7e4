"""What a report is made from, and whether an existing report was made from the same.

The fingerprint of a render lists its inputs: every file of the tradelib package (library code, bundled
data, templates), the notebook, a user's data file and the companion files read beside it, the parameters
(without the render's time stamp and commit label, which record the render rather than shape it) and the
versions of Python and of the packages that compute and render. It is stored in the executed notebook's
metadata (``metadata.tradelib.inputs``), beside papermill's record of the parameters. A report whose stored
digest equals the digest of the inputs at hand would come out the same, so it is not rendered again.

This module imports nothing heavy: deciding that nothing needs doing costs a hash of a few hundred
kilobytes and the read of one notebook, not a pandas import.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path

from . import paths

METADATA_KEY = "tradelib"
REPORT_FILES = ("briefing.ipynb", "briefing.html", "briefing.pdf")
# Parameters that record the render (when, from which commit) rather than shape its content.
STAMPS = ("rendered_at", "tradelib_commit")
# The files tradelib.sources.load reads beside a user's figures file (the bundled ones otherwise);
# tests/test_fingerprint.py keeps this list in step with sources.load.
# Distributions whose version can change a briefing's numbers, charts or pages.
RENDER_PACKAGES = ("pandas", "numpy", "matplotlib", "seaborn", "statsmodels", "papermill", "nbclient", "nbconvert",
                   "nbformat", "ipykernel", "jinja2", "weasyprint")


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def package_files() -> dict[str, Path]:
    """Every file of the tradelib package (code, data, templates), keyed by its path from the project."""
    out = {}
    for p in sorted(paths.PACKAGE_DIR.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
            out[f"tradelib/{p.relative_to(paths.PACKAGE_DIR).as_posix()}"] = p
    return out


def data_files(data: str | Path | None) -> list[Path]:
    """The files sources.load reads for a user's ``data`` (none when the bundled data is used)."""
    if not data:
        return []
    from . import sources

    # the bundled files are fingerprinted with the package
    return [f for f in sources.data_files(data).values() if f.parent != paths.DATA_DIR]


def _display(path: Path) -> str:
    path = path.resolve()
    try:
        return path.relative_to(paths.PROJECT_DIR).as_posix()
    except ValueError:
        return str(path)


_environment: dict[str, str] | None = None


def environment() -> dict[str, str]:
    global _environment
    if _environment is None:
        env = {"python": sys.version.split()[0]}
        for name in RENDER_PACKAGES:
            try:
                env[name] = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                env[name] = "absent"
        _environment = env
    return dict(_environment)


def compute(parameters: dict, notebook: Path, data: str | Path | None = None, files: list[Path] = ()) -> dict:
    """The fingerprint of a render: its inputs (``files``: records files it reads) and their digest."""
    extra = list(files)
    files = {name: _sha256(p) for name, p in package_files().items()}
    for p in [Path(notebook), *data_files(data), *extra]:
        files[_display(p)] = _sha256(p)
    body = {"parameters": {k: v for k, v in sorted(parameters.items()) if k not in STAMPS},
            "files": files, "environment": environment()}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return {"digest": digest, **body}


def recorded(report_dir: Path) -> dict | None:
    """The fingerprint stored with a complete report in ``report_dir``, or None (no report, or none stored)."""
    if not all((report_dir / name).is_file() for name in REPORT_FILES):
        return None
    try:
        nb = json.loads((report_dir / "briefing.ipynb").read_text(encoding="utf-8"))
        inputs = nb["metadata"][METADATA_KEY]["inputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return inputs if isinstance(inputs, dict) and "digest" in inputs else None


def is_current(report_dir: Path, inputs: dict) -> bool:
    old = recorded(report_dir)
    return old is not None and old["digest"] == inputs["digest"]


def record(notebook: Path, inputs: dict) -> None:
    """Store ``inputs`` in the metadata of the executed notebook at ``notebook``."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    nb.metadata.setdefault(METADATA_KEY, {})["inputs"] = inputs
    nbformat.write(nb, str(notebook))


def changes(old: dict | None, new: dict) -> list[str]:
    """Names of the inputs that differ between two fingerprints (for saying why a report is rendered)."""
    if old is None:
        return []
    out = []
    for part in ("parameters", "files", "environment"):
        a, b = old.get(part, {}), new.get(part, {})
        out += [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    return out
