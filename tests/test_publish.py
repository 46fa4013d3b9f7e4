"""Publishing cannot lose a report: the process is killed (SIGKILL) before every file-system step of the
publish, in both ways of publishing (the atomic exchange and the two renames where the exchange is not
available), and a complete report is in place, at the latest once the next run has started."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tradelib import paths, render
from tradelib.errors import EXIT_BAD_INPUT

FILES = ("briefing.html", "briefing.ipynb", "briefing.pdf")

# Publishes a new report over reports/2025 the way render() does, counting the file-system calls of the
# publish (rename, exchange, unlink, rmdir) and killing itself with SIGKILL just before call number KILL_AT.
SCRIPT = r'''
import os, shutil, signal, sys, tempfile
from pathlib import Path
from tradelib import render

reports, kill_at, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with render._year_lock(reports, 2025):
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-2025-", dir=reports))
    lock = render._lock_dir(tmp)
for name in ("briefing.html", "briefing.ipynb", "briefing.pdf"):
    (tmp / name).write_text("new " + name)
calls = 0

def counted(fn, name):
    def wrapper(*a, **k):
        global calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*a, **k)
    return wrapper

if mode == "renames":
    def no_exchange(a, b):
        raise OSError(22, "Invalid argument")
    render._exchange = no_exchange
else:
    render._exchange = counted(render._exchange, "exchange")
os.rename = counted(os.rename, "rename")
os.unlink = counted(os.unlink, "unlink")
os.rmdir = counted(os.rmdir, "rmdir")
render._publish(tmp, reports / "2025", reports, 2025)
print(calls)
'''


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def old_report(reports: Path) -> dict[str, str]:
    final = reports / "2025"
    final.mkdir(parents=True)
    for name in FILES:
        (final / name).write_text("old " + name)
    return digest(final)


NEW = {name: hashlib.sha256(("new " + name).encode()).hexdigest() for name in FILES}


def publish(reports: Path, kill_at: int, mode: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT, str(reports), str(kill_at), mode], capture_output=True,
                          text=True, timeout=60, cwd=paths.PROJECT_DIR)


def leftovers(reports: Path) -> list[str]:
    return sorted(p.name for p in reports.iterdir() if p.name.startswith((".tmp-", ".old-")))


@pytest.mark.parametrize("mode", ["exchange", "renames"])
def test_a_kill_at_every_step_of_publishing_leaves_a_complete_report(tmp_path, mode):
    # how many file-system calls a whole publish makes
    probe = tmp_path / "probe"
    old_report(probe)
    done = publish(probe, 0, mode)
    assert done.returncode == 0, done.stderr
    steps = int(done.stdout)
    assert steps == (5 if mode == "exchange" else 6)  # exchange + 3 unlinks + rmdir; 2 renames + 3 + 1
    assert digest(probe / "2025") == NEW and leftovers(probe) == []

    for kill_at in range(1, steps + 1):
        reports = tmp_path / f"kill-{kill_at}"
        before = old_report(reports)
        r = publish(reports, kill_at, mode)
        assert r.returncode == -9, (kill_at, r.stderr)  # killed
        final = reports / "2025"
        if mode == "exchange":  # in place at every instant, not only after the next start
            assert digest(final) in (before, NEW), kill_at
        # what the next run does before anything else
        render.recover(reports, 2025)
        assert digest(final) in (before, NEW), kill_at
        assert leftovers(reports) == [], kill_at
        if mode == "renames" and kill_at == 2:  # killed between the two renames: the old one comes back
            assert digest(final) == before


def test_an_orphaned_old_report_is_restored_and_stale_folders_removed(tmp_path):
    reports = tmp_path / "reports"
    orphan = reports / ".old-2025-1a2b3c4d"
    orphan.mkdir(parents=True)
    for name in FILES:
        (orphan / name).write_text("earlier " + name)
    stale = reports / ".tmp-2025-dead"
    stale.mkdir()
    (stale / "briefing.ipynb").write_text("half")
    live = reports / ".tmp-2025-live"  # a render still working here holds its lock
    live.mkdir()
    fd = render._lock_dir(live)
    try:
        done = render.recover(reports, 2025)
    finally:
        os.close(fd)
    assert "restored the report of 2025 from .old-2025-1a2b3c4d" in done
    assert sorted(p.name for p in (reports / "2025").iterdir()) == sorted(FILES)
    assert leftovers(reports) == [".tmp-2025-live"]


def test_a_stale_old_report_beside_a_complete_one_is_removed(tmp_path):
    reports = tmp_path / "reports"
    before = old_report(reports)
    (reports / ".old-2025-aaaa").mkdir()
    render.recover(reports, 2025)
    assert digest(reports / "2025") == before and leftovers(reports) == []


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_a_year_that_is_not_a_folder_is_refused_in_one_line(tmp_path, kind):
    reports = tmp_path / "reports"
    reports.mkdir()
    target = tmp_path / "elsewhere"
    target.mkdir()
    if kind == "file":
        (reports / "2025").write_text("my notes")
    else:
        (reports / "2025").symlink_to(target)
    r = subprocess.run([sys.executable, "-m", "tradelib", "--year", "2025", "--reports-dir", str(reports)],
                       capture_output=True, text=True, timeout=300, cwd=paths.PROJECT_DIR)
    assert r.returncode == EXIT_BAD_INPUT
    what = "a file" if kind == "file" else "a symbolic link"
    assert r.stderr == (f"tradelib: error: {reports / '2025'} is {what}, not a report folder; move it away or "
                        "delete it, then render again\n")
    if kind == "file":
        assert (reports / "2025").read_text() == "my notes"
    else:
        assert (reports / "2025").is_symlink() and list(target.iterdir()) == []
    assert leftovers(reports) == []
