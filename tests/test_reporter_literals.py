"""No reporter, currency or partner-group literal in library code: what is particular to a reporter lives in
its file (tradelib/data/reporters/<ISO3>.toml). The check reads every string constant of the code (docstrings
and comments, which explain, are not code) and looks for the names and codes the reporter files hold."""
import ast
import tomllib
from pathlib import Path

import pytest

from tradelib import paths

LIBRARY = paths.PACKAGE_DIR
# Modules allowed to hold reporter literals while they are being moved to the reporter file (none now). The
# test fails when one listed here is clean, so that the list only shrinks.
PENDING: set[str] = set()


def forbidden() -> set[str]:
    """Names, possessives, adjectives, ISO3 codes, currencies (other than the records' US dollars) and the
    featured partner and product codes of every reporter file."""
    words: set[str] = set()
    for f in (LIBRARY / "data" / "reporters").glob("*.toml"):
        d = tomllib.loads(f.read_text(encoding="utf-8"))
        words |= {d["iso3"], d["name"].removeprefix("the "), d.get("adjective", ""), d.get("publisher_short", "")}
        words |= {c for c in d.get("currencies", []) if c != "USD"}
        for table in (d.get("partners", {}), d.get("products", {})):
            for key, value in table.items():
                if isinstance(value, list):
                    words |= set(value)
                elif isinstance(value, dict):
                    words |= set(value)
    words |= {"yuan", "renminbi"}
    return {w for w in words if w} - {"WLD"}   # the world is the records' own code for all partners


def literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def hits(path: Path, words: set[str]) -> list[str]:
    out = []
    for line, text in literals(path):
        for w in words:
            if w in text.replace("\u2019", "'") and _word(text, w):
                out.append(f"{path.relative_to(LIBRARY)}:{line}: {w!r} in {text[:60]!r}")
    return out


def _word(text: str, w: str) -> bool:
    import re

    return re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", text) is not None


def modules() -> list[Path]:
    return sorted(p for p in LIBRARY.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(LIBRARY)))
def test_no_reporter_literal_in_library_code(path):
    name = path.relative_to(LIBRARY).as_posix()
    found = hits(path, forbidden())
    if name in PENDING:
        assert found, f"{name} holds no reporter literal any more: take it off PENDING"
    else:
        assert not found, "reporter literals in library code (move them to the reporter file):\n" + "\n".join(found)


def test_the_check_finds_a_literal_and_skips_docstrings(tmp_path):
    p = tmp_path / "m.py"
    p.write_text('"""China is fine in a docstring."""\nNAME = "China\'s exports"\nX = "exports"\n', encoding="utf-8")
    assert [(ln, t) for ln, t in literals(p) if _word(t, "China")] == [(2, "China's exports")]
    assert {"CHN", "China", "ASEAN", "CNY", "the customs"} <= forbidden()
