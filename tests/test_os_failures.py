"""Operating-system failures end in one line with exit status 1, and an earlier report stays whole.

Read-only and full file systems are real small tmpfs mounts where the test may mount (root in a container
with the capability), missing permissions a render run as user nobody; each is skipped where that is not
possible. The same failures are also simulated in-process, which runs everywhere.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tradelib import paths, render
from tradelib.errors import EXIT_FAILED, RenderError, SystemFailure

from .test_render import digest, tiny_notebook


def cli(*args: str, cwd: Path | None = None, prefix: list[str] = (), **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "tradelib", *args], capture_output=True, text=True,
                          cwd=cwd or paths.PROJECT_DIR, timeout=600, **kw)


def one_line(stderr: str) -> str:
    """The error line; a slow render's stage lines ("2025: writing the HTML...") may come before it."""
    lines = [ln for ln in stderr.splitlines() if not re.match(r"^\d{4}: .*\.\.\.( \(\d+ s so far\))?$", ln)]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0].strip()


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs; yields a function (size, read_only) -> mount point."""
    mounted = []

    def mount(size: str, read_only: bool = False) -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], capture_output=True)
        if r.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)


def earlier_report(reports: Path) -> dict:
    (reports / "2025").mkdir(parents=True)
    for name in ("briefing.html", "briefing.ipynb", "briefing.pdf"):
        (reports / "2025" / name).write_text("earlier " + name)
    return digest(reports / "2025")


def test_read_only_reports_folder(tmpfs):
    reports = tmpfs("1m") / "reports"
    before = earlier_report(reports)
    remount_read_only(reports.parent)
    r = cli("--year", "2025", "--reports-dir", str(reports))
    assert r.returncode == EXIT_FAILED
    assert one_line(r.stderr) == (f"tradelib: error: preparing the reports folder failed: Read-only file system "
                                  f"({reports / '.lock-2025'}); the folder is on a read-only file system; give a "
                                  "writable one with --reports-dir")
    assert digest(reports / "2025") == before


@pytest.mark.e2e
def test_full_disk(tmpfs):
    """A disk with room for the earlier report but not the new notebook: the disk's error, not papermill's,
    and no empty notebook kept in .failed/."""
    reports = tmpfs("128k") / "reports"
    before = earlier_report(reports)
    r = cli("--year", "2025", "--reports-dir", str(reports))
    assert r.returncode == EXIT_FAILED
    line = one_line(r.stderr)
    # the step that runs out of room depends on how much of the notebook papermill writes as it goes
    assert re.match(r"tradelib: error: (executing the notebook|writing the HTML|writing the PDF) failed: "
                    r"No space left on device", line), line
    assert line.endswith("the disk is full; free some space (or give --reports-dir on another disk) and render "
                         "again. The earlier report was left as it was."), line
    assert digest(reports / "2025") == before
    failed = reports / ".failed"
    assert not failed.exists() or all(p.stat().st_size > 0 for p in failed.rglob("*") if p.is_file())
    assert [p.name for p in reports.iterdir() if p.name.startswith((".tmp-", ".old-"))] == []


def test_missing_permission(request):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("runs the render as user nobody, which needs root and setpriv")
    private = [p for p in [paths.PROJECT_DIR, *paths.PROJECT_DIR.parents] if not p.stat().st_mode & 0o001]
    if private:  # e.g. a clone inside a mktemp -d folder (mode 700): nobody cannot reach the project's code
        pytest.skip(f"user nobody cannot reach the project through {private[0]} (not searchable by others)")
    top = Path(tempfile.mkdtemp(prefix="tradelib-perm-", dir="/tmp"))  # pytest's own folders are private
    request.addfinalizer(lambda: shutil.rmtree(top, ignore_errors=True))
    reports = top / "reports"
    before = earlier_report(reports)
    for d in (top, reports):
        os.chmod(d, 0o755)  # owned by root: user nobody may read, not write
    r = cli("--year", "2025", "--reports-dir", str(reports),
            prefix=["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"], env={**os.environ, "HOME": "/tmp"})
    if "Permission denied" in r.stderr and "tradelib" not in r.stderr:
        pytest.skip("user nobody cannot run the project's Python here")
    assert r.returncode == EXIT_FAILED, r.stderr
    assert one_line(r.stderr) == (f"tradelib: error: preparing the reports folder failed: Permission denied "
                                  f"({reports / '.lock-2025'}); no permission to write there; give a folder you can "
                                  "write with --reports-dir or fix its permissions")
    assert digest(reports / "2025") == before


def test_deleted_current_folder(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    r = subprocess.run(["sh", "-c", f'cd "{gone}" && rmdir "{gone}" && exec "{sys.executable}" -m tradelib --year 2025'],
                       capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(paths.PROJECT_DIR)})
    assert r.returncode == EXIT_FAILED
    assert one_line(r.stderr) == ("tradelib: error: the current folder no longer exists (deleted meanwhile?); change "
                                  "to an existing folder and run again")


@pytest.mark.e2e
@pytest.mark.parametrize("code,words", [
    (errno.ENOSPC, "No space left on device (/r/briefing.pdf); the disk is full"),
    (errno.EROFS, "Read-only file system (/r/briefing.pdf); the folder is on a read-only file system"),
    (errno.EACCES, "Permission denied (/r/briefing.pdf); no permission to write there"),
])
def test_os_errors_while_writing_are_one_line(tmp_path, monkeypatch, code, words):
    reports = tmp_path / "reports"
    before = earlier_report(reports)

    def refuse(page, output, base):
        raise OSError(code, os.strerror(code), "/r/briefing.pdf")

    monkeypatch.setattr(render, "html_to_pdf", refuse)
    good = tiny_notebook(tmp_path / "good.ipynb", 'print("new report")')
    with pytest.raises(SystemFailure) as e:
        render.render(2025, reports_dir=reports, notebook=good)
    assert str(e.value).startswith(f"writing the PDF failed: {words}")
    assert "\n" not in str(e.value) and e.value.exit_status == EXIT_FAILED
    assert digest(reports / "2025") == before


@pytest.mark.e2e
def test_working_folder_deleted_during_the_render(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    before = earlier_report(reports)
    monkeypatch.setattr(render, "html_to_pdf", lambda page, output, base: shutil.rmtree(base))
    good = tiny_notebook(tmp_path / "good.ipynb", 'print("new report")')
    with pytest.raises(SystemFailure) as e:
        render.render(2025, reports_dir=reports, notebook=good)
    assert str(e.value).startswith("publishing the report failed: No such file or directory")
    assert "a folder the render was using no longer exists" in str(e.value)
    assert str(e.value).endswith("The earlier report was left as it was.")
    assert digest(reports / "2025") == before


@pytest.mark.e2e
def test_keeping_the_failed_notebook_never_hides_the_first_error(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    earlier_report(reports)

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copy2", full)
    bad = tiny_notebook(tmp_path / "bad.ipynb", 'raise ValueError("figures do not add up")')
    with pytest.raises(RenderError) as e:
        render.render(2025, reports_dir=reports, notebook=bad)
    assert str(e.value) == ("executing the notebook failed: ValueError: figures do not add up. The earlier report "
                            "was left as it was.")
    assert not (reports / ".failed").exists() or not any((reports / ".failed").rglob("*.ipynb"))
