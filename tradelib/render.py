"""Render a briefing: papermill executes the notebook, nbconvert writes HTML without code, WeasyPrint the PDF.

Everything is built in a temporary folder beside ``reports/<year>/`` and moved into place only when the
notebook, the HTML and the PDF all succeeded; an earlier report stays intact otherwise. The executed
notebook of a failed run is kept in ``reports/.failed/`` and its path is named in the error.

PDF engine: WeasyPrint over the same HTML. It needs no LaTeX and no browser, prints CSS paged media (A4,
margins, running page numbers, no chart split across pages) and renders the inline SVG charts as vectors;
its only system libraries (Pango, HarfBuzz) come with the machine image.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import html
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from . import __version__, paths
from .errors import NoDataForYear, RenderError, TradelibError

KERNEL_NAME = "tradelib"
CURRENCIES = ("CNY", "USD")


def ensure_kernel() -> str:
    """Register (or repair) the project's Jupyter kernel inside this Python's prefix; return its name.

    papermill then starts the notebook on this very interpreter, never a stray ``python3`` kernel.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return KERNEL_NAME
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL_NAME, display_name="Python (tradelib)", prefix=sys.prefix)
    return KERNEL_NAME


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(paths.PROJECT_DIR), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10)
        if out.returncode == 0:
            dirty = subprocess.run(["git", "-C", str(paths.PROJECT_DIR), "status", "--porcelain", "--", "tradelib",
                                    "notebooks"], capture_output=True, text=True, timeout=10).stdout.strip()
            return out.stdout.strip() + ("+changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return "unknown"


class _Interrupted(BaseException):
    pass


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """Turn SIGTERM into an exception so that clean-up runs and the earlier report is kept."""
    def handler(signum, frame):
        raise _Interrupted(f"interrupted by signal {signum}")
    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not in the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextlib.contextmanager
def _year_lock(reports_dir: Path, year: int):
    reports_dir.mkdir(parents=True, exist_ok=True)
    lock_path = reports_dir / f".lock-{year}"
    with open(lock_path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _publish(tmp: Path, final: Path, reports_dir: Path, year: int) -> None:
    """Replace ``final`` by ``tmp`` under the year's lock: readers see the old report or the new one."""
    with _year_lock(reports_dir, year):
        old = None
        if final.exists():
            old = reports_dir / f".old-{year}-{uuid.uuid4().hex[:8]}"
            os.rename(final, old)
        try:
            os.rename(tmp, final)
        except BaseException:
            if old is not None:
                os.rename(old, final)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def execute_notebook(notebook: Path, output: Path, parameters: dict, cwd: Path, timeout: int = 600,
                     kernel=None) -> None:
    """Run ``notebook`` with papermill on ``kernel`` (a :class:`tradelib.batch.Kernel`), or on a kernel of its own."""
    from .batch import Kernel

    if kernel is not None:
        kernel.execute(notebook, output, parameters, cwd=cwd, timeout=timeout)
        return
    with Kernel() as own:
        own.execute(notebook, output, parameters, cwd=cwd, timeout=timeout)


def notebook_to_html(executed: Path, title: str, subtitle: str) -> str:
    """HTML with no input cells, prompts or stderr (warnings), wrapped in the house template."""
    import nbformat
    from jinja2 import Environment, FileSystemLoader
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(executed), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                            and o.get("output_type") != "error"]
    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.anchor_link_text = ""
    body, _ = exporter.from_notebook_node(nb)
    env = Environment(loader=FileSystemLoader(str(paths.TEMPLATES_DIR)), autoescape=False)
    css = (paths.TEMPLATES_DIR / "briefing.css").read_text()
    return env.get_template("briefing.html.j2").render(title=html.escape(title, quote=False),
                                                        subtitle=html.escape(subtitle, quote=False),
                                                        body=body, css=css)


def html_to_pdf(html_text: str, output: Path, base: Path) -> None:
    from weasyprint import HTML

    HTML(string=html_text, base_url=str(base)).write_pdf(str(output))


def _keep_failed(tmp: Path, reports_dir: Path, year: int) -> Path | None:
    nb = tmp / "briefing.ipynb"
    if not nb.exists():
        return None
    dest = reports_dir / ".failed" / f"{year}-{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(nb, dest / "briefing.ipynb")
    return dest / "briefing.ipynb"


def check_currency(currency: str) -> str:
    currency = currency.upper()
    if currency not in CURRENCIES:
        raise TradelibError(f"unknown currency {currency!r}; use CURRENCY=CNY (yuan) or CURRENCY=USD (US dollars)")
    return currency


def check_outlook(outlook_low: float | None, outlook_high: float | None) -> None:
    if outlook_low is not None or outlook_high is not None:
        from . import outlook

        if outlook_low is None or outlook_high is None:
            raise outlook.OutlookError("give both OUTLOOK_LOW and OUTLOOK_HIGH (annual export growth, %)")
        outlook.check_range(outlook_low, outlook_high)


def content_parameters(year: int, currency: str, data_path: Path | None, outlook_low: float | None,
                       outlook_high: float | None) -> dict:
    """The notebook parameters that shape the briefing (the render adds its time stamp and commit label)."""
    parameters = {"year": int(year), "currency": currency, "data_path": str(data_path) if data_path else ""}
    for name, value in (("outlook_low", outlook_low), ("outlook_high", outlook_high)):
        if value is not None:
            parameters[name] = float(value)
    return parameters


def render(year: int, currency: str = "CNY", data: str | Path | None = None, reports_dir: Path | None = None,
           notebook: Path | None = None, timeout: int = 600, outlook_low: float | None = None,
           outlook_high: float | None = None, *, force: bool = False, kernel=None, progress=None, dataset=None,
           inputs: dict | None = None) -> Path:
    """Render the briefing for ``year`` into ``reports_dir/<year>/``; return that folder.

    When the report there was made from the same inputs (:mod:`tradelib.fingerprint`) nothing is rendered
    unless ``force``. A batch passes its kept ``kernel`` (:class:`tradelib.batch.Kernel`), the ``dataset`` it
    loaded and checked from ``data`` (what a render uses of it: ``years``, ``release_date``) and the ``inputs``
    it fingerprinted before reading anything; ``progress`` (a :class:`tradelib.batch.Progress`) names the
    stages of a slow render.
    """
    from . import fingerprint
    from .batch import Progress

    progress = progress or Progress()
    currency = check_currency(currency)
    data_path = Path(data).resolve() if data else None
    reports_dir = Path(reports_dir or paths.REPORTS_DIR).resolve()
    notebook = Path(notebook or paths.BRIEFING_NOTEBOOK)
    final = paths.report_dir(year, reports_dir)
    # Fingerprinted before anything is read; an input changed during the render makes the next one run.
    # Identical inputs would give the same report, or the same error: a report on record is a success.
    inputs = inputs or fingerprint.compute(content_parameters(year, currency, data_path, outlook_low, outlook_high),
                                           notebook, data_path)
    if not force and fingerprint.is_current(final, inputs):
        progress.skipped(year, final)
        return final

    check_outlook(outlook_low, outlook_high)
    if dataset is None:
        from . import sources

        dataset = sources.load(data_path)  # a DataError here stops before anything is written
    ds = dataset
    if year not in ds.years:
        raise NoDataForYear(year, ds.years)
    reports_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{year}-", dir=reports_dir))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; the published folder is for sharing
    rendered_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    parameters = {
        **content_parameters(year, currency, data_path, outlook_low, outlook_high),
        "rendered_at": rendered_at,
        "tradelib_commit": git_commit(),
    }
    step = "executing the notebook"
    progress.begin(year)
    progress.stage(step)
    try:
        with _sigterm_as_interrupt():
            executed = tmp / "briefing.ipynb"
            try:
                execute_notebook(notebook, executed, parameters, cwd=notebook.parent, timeout=timeout, kernel=kernel)
                fingerprint.record(executed, inputs)
            except Exception as e:  # papermill raises PapermillExecutionError, DeadKernelError, ...
                raise RenderError(f"{step} failed: {_one_line(e)}") from e
            step = "writing the HTML"
            progress.stage(step)
            title = f"China's foreign trade in {year}"
            subtitle = (f"Annual briefing · figures in {'yuan' if currency == 'CNY' else 'US dollars'} · "
                        f"data as released up to {ds.release_date} · tradelib {__version__}")
            try:
                page = notebook_to_html(executed, title, subtitle)
                (tmp / "briefing.html").write_text(page, encoding="utf-8")
                step = "writing the PDF"
                progress.stage(step)
                html_to_pdf(page, tmp / "briefing.pdf", tmp)
            except Exception as e:
                raise RenderError(f"{step} failed: {_one_line(e)}") from e
            _publish(tmp, final, reports_dir, year)
    except (RenderError, _Interrupted, KeyboardInterrupt) as e:
        progress.end(ok=False)
        kept = _keep_failed(tmp, reports_dir, year)
        where = f"; the executed notebook of this run is kept at {kept}" if kept else ""
        earlier = " The earlier report was left as it was." if final.exists() else ""
        msg = str(e) if isinstance(e, RenderError) else f"render interrupted ({str(e) or 'Ctrl-C'}) while {step}"
        raise RenderError(f"{msg}{where}.{earlier}") from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    progress.end()
    return final


def _one_line(e: BaseException) -> str:
    text = str(e).strip()
    # papermill's error text ends with the exception line of the failing cell
    lines = [ln for ln in text.splitlines() if ln.strip()]
    last = lines[-1] if lines else type(e).__name__
    return last if len(last) < 300 else last[:297] + "..."


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, like every other expected error
        self.exit(2, f"tradelib: error: {message}; see python -m tradelib --help\n")


def main(argv: list[str] | None = None) -> int:
    p = _Parser(prog="tradelib-report", description="Render the annual trade briefing.")
    p.add_argument("--year", type=int, required=True, help="reference year, e.g. 2025")
    p.add_argument("--currency", default="CNY", help="CNY (yuan, default) or USD (US dollars)")
    p.add_argument("--data", default=None, help="a figures CSV in the project's format (default: bundled data)")
    p.add_argument("--reports-dir", default=None, help="where reports/<year>/ goes (default: ./reports)")
    p.add_argument("--outlook-low", type=float, default=None, help="low end of the export growth scenario, %% a year")
    p.add_argument("--outlook-high", type=float, default=None, help="high end of the export growth scenario, %% a year")
    p.add_argument("--force", action="store_true", help="render even when the report's inputs are unchanged")
    args = p.parse_args(argv)
    try:
        out = render(args.year, args.currency, args.data, Path(args.reports_dir) if args.reports_dir else None,
                     outlook_low=args.outlook_low, outlook_high=args.outlook_high, force=args.force)
    except TradelibError as e:
        print(f"tradelib: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tradelib: interrupted; the earlier report was left as it was", file=sys.stderr)
        return 130
    for name in ("briefing.html", "briefing.pdf", "briefing.ipynb"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
