from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tradelib import paths, sources

FIXTURES = Path(__file__).parent / "fixtures"
SYNTHETIC = FIXTURES / "synthetic"  # made-up numbers in the project's format (see its README)


@pytest.fixture(scope="session")
def data():
    """The bundled official figures, loaded and validated once."""
    return sources.load()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the bundled data folder, for corruption tests."""
    dest = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, dest, ignore=shutil.ignore_patterns("*.md"))
    return dest
