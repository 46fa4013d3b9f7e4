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
import errno
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

from . import __version__, fmt, paths, safeguards, sources
from . import reporter as reporters
from .sources import VALIDATED_ENV
from .errors import DataError, EXIT_FAILED, Interrupted, NoDataForYear, RenderError, SystemFailure, TradelibError

KERNEL_NAME = "tradelib"
CURRENCIES = sources.FIGURES_CURRENCIES  # the currencies an edition of the published figures can be in


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
    def __init__(self, message: str, signum: int):
        super().__init__(message)
        self.signum = signum


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """Turn SIGTERM into an exception so that clean-up runs and the earlier report is kept."""
    def handler(signum, frame):
        raise _Interrupted(f"interrupted by signal {signum}", signum)
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


# ---------------------------------------------------------------- publishing
#
# A finished render lies complete in reports/.tmp-<year>-*/; publishing puts it at reports/<year>/ so that at
# every instant reports/<year> is a whole report, the earlier one or the new one:
#
# * on Linux one renameat2(RENAME_EXCHANGE) swaps the two folders (reports/<year> stays a real folder, which
#   a symlink flip would not: copying, zipping and sharing the folder keep working), then the old report,
#   now at the temporary name, is deleted;
# * where the exchange is not available (another system, a file system without it) the earlier report is
#   renamed to reports/.old-<year>-*/ and the new one into place; a run that dies between the two renames
#   leaves the .old-* folder, and the next run puts it back before doing anything else.
#
# Each render holds an flock on its own temporary folder, so a leftover .tmp-* (a render killed with SIGKILL)
# is told from the working folder of a render still running, and removed.

_RENAME_EXCHANGE = 2  # <linux/fs.h>
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); OSError where not supported."""
    import ctypes
    import errno

    if not sys.platform.startswith("linux"):
        raise OSError(errno.ENOSYS, "renameat2 is Linux only")
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:  # glibc < 2.28
        raise OSError(errno.ENOSYS, "renameat2 not in the C library")
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), str(a))


class NotAFolder(TradelibError):
    pass


def check_report_folder(final: Path) -> None:
    """Refuse a reports/<year> that is not a folder (a file or a link there is never replaced)."""
    if final.is_symlink() or (final.exists() and not final.is_dir()):
        what = "a symbolic link" if final.is_symlink() else "a file"
        raise NotAFolder(f"{final} is {what}, not a report folder; move it away or delete it, then render again")


def _lock_dir(folder: Path):
    """Hold an exclusive flock on ``folder`` (released when the returned descriptor is closed)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _working(reports_dir: Path, kind: str, key) -> list[Path]:
    """The .tmp- or .old- folders of one report: ``<kind>-<key>-<suffix>`` with a suffix of letters, digits
    and underscores (mkdtemp's, a uuid's), so that the folders of 2025 never take those of 2025-11."""
    import re

    pattern = re.compile(re.escape(f"{kind}-{key}-") + r"[A-Za-z0-9_]+")
    return [p for p in reports_dir.glob(f"{kind}-{key}-*") if pattern.fullmatch(p.name)]


def recover(reports_dir: Path, year: int) -> list[str]:
    """Put back a report a killed publish left at .old-<year>-*, and remove stale .tmp-* and .old-* folders.

    Runs under the year's lock at the start of a render; returns what was done, in words.
    """
    done = []
    final = paths.report_dir(year, reports_dir)
    olds = sorted(_working(reports_dir, ".old", year), key=lambda p: p.stat().st_mtime)
    if olds and not final.exists() and not final.is_symlink():
        os.rename(olds[-1], final)
        done.append(f"restored the report of {year} from {olds[-1].name}")
        olds = olds[:-1]
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)
        done.append(f"removed {old.name}")
    for tmp in _working(reports_dir, ".tmp", year):
        try:
            fd = _lock_dir(tmp)
        except BlockingIOError:
            continue  # another render is working in it
        except OSError:
            continue  # not a folder, or gone meanwhile
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            done.append(f"removed {tmp.name}")
        finally:
            os.close(fd)
    return done


def _publish(tmp: Path, final: Path, reports_dir: Path, year: int) -> None:
    """Replace ``final`` by ``tmp`` under the year's lock: readers see the old report or the new one."""
    with _year_lock(reports_dir, year):
        check_report_folder(final)
        if not final.exists():
            os.rename(tmp, final)
            return
        try:
            _exchange(tmp, final)
        except OSError:
            old = reports_dir / f".old-{year}-{uuid.uuid4().hex[:8]}"
            os.rename(final, old)
            try:
                os.rename(tmp, final)
            except BaseException:
                os.rename(old, final)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)  # the earlier report, now at the temporary name


def execute_notebook(notebook: Path, output: Path, parameters: dict, cwd: Path, timeout: int = 600,
                     validated: Path | None = None, kernel=None) -> None:
    """Run ``notebook`` with papermill on ``kernel`` (a :class:`tradelib.batch.Kernel`), or on a kernel of its own.

    ``validated``: the dataset the render validated, handed to the kernel's ``sources.load()`` (through an
    environment variable set inside the kernel before the notebook runs).
    """
    from .batch import Kernel

    env = {VALIDATED_ENV: str(validated) if validated else None}
    if kernel is not None:
        kernel.execute(notebook, output, parameters, cwd=cwd, timeout=timeout, env=env)
        return
    with Kernel() as own:
        own.execute(notebook, output, parameters, cwd=cwd, timeout=timeout, env=env)


def notebook_to_html(executed: Path, title: str, subtitle: str) -> str:
    """HTML with no input cells, prompts or stderr (warnings), wrapped in the house template."""
    import nbformat
    from jinja2 import Environment, FileSystemLoader
    from markupsafe import Markup
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
    # every value is escaped by the template unless marked safe: the body is nbconvert's HTML of outputs
    # that tradelib built with their data text escaped, the style sheet is the project's own
    env = Environment(loader=FileSystemLoader(str(paths.TEMPLATES_DIR)), autoescape=True)
    css = (paths.TEMPLATES_DIR / "briefing.css").read_text()
    page = env.get_template("briefing.html.j2").render(title=_text(title), subtitle=_text(subtitle), body=Markup(body),
                                                       css=Markup(css), csp=safeguards.CONTENT_SECURITY_POLICY,
                                                       meta=Markup(audit_meta(nb)))
    problems = safeguards.page_problems(page)
    if problems:
        raise RenderError("the page holds markup that tradelib did not write (" + "; ".join(problems[:3])
                          + "); text from a data file was not escaped, so nothing is published")
    return page


def _released(ds, year: int) -> str:
    """The newest release among the figures of ``year`` (a 2023 briefing is not dated by the 2025 release)."""
    own = ds.figures.loc[ds.figures.year == year, "vintage"]
    return str(own.max()) if not own.empty else ds.release_date


def audit_meta(nb) -> str:
    """The render's audit record as document metadata (HTML <meta>, which WeasyPrint writes into the PDF's
    metadata): time of render, code version and parameters, kept out of the text a reader sees."""
    params = dict(nb.metadata.get("papermill", {}).get("parameters", {}))
    tags = []
    if params.get("rendered_at"):
        tags.append(("dcterms.created", params["rendered_at"]))
    tags.append(("generator", f"tradelib {__version__}" + (f" ({params['tradelib_commit']})"
                                                           if params.get("tradelib_commit") else "")))
    shown = {k: v for k, v in params.items() if k not in ("rendered_at", "tradelib_commit")}
    if shown:
        tags.append(("description", "Parameters: " + "; ".join(f"{k} = {v}" for k, v in shown.items())))
    return "\n".join(f'<meta name="{n}" content="{html.escape(str(v))}">' for n, v in tags)


def _text(s: str) -> str:
    """Text placed in element content (never in an attribute): &, < and > escaped, quotes left as typed."""
    from markupsafe import Markup

    return Markup(html.escape(s, quote=False))


def html_to_pdf(html_text: str, output: Path, base: Path) -> None:
    """Print the page; the renderer loads no file or network resource (see :mod:`tradelib.safeguards`)."""
    from weasyprint import HTML

    # PDF/UA-1: a tagged PDF (structure tree, language, title) that screen readers can follow; the fetcher
    # serves data: URIs only, so nothing in a page can make the PDF load a local file or a network address
    HTML(string=html_text, base_url=str(base), url_fetcher=safeguards.pdf_url_fetcher()).write_pdf(
        str(output), pdf_variant="pdf/ua-1")


def _keep_failed(tmp: Path, reports_dir: Path, year: int) -> Path | None:
    """Copy the executed notebook of a failed run to reports/.failed/; best effort: a failure here (a full
    disk, a read-only folder) keeps nothing and never replaces the error that stopped the render."""
    nb = tmp / "briefing.ipynb"
    dest = None
    try:
        if not nb.is_file() or nb.stat().st_size == 0:
            return None
        dest = reports_dir / ".failed" / f"{year}-{dt.datetime.now().strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy2(nb, dest / "briefing.ipynb")
        return dest / "briefing.ipynb"
    except OSError:
        if dest is not None:
            shutil.rmtree(dest, ignore_errors=True)  # no 0-byte or half-copied notebook left behind
        return None


def check_currency(currency: str) -> str:
    currency = currency.upper()
    if currency not in CURRENCIES:
        raise TradelibError(f"unknown currency {currency!r}; use " + " or ".join(
            f"CURRENCY={c} ({fmt.currency_name(c)})" for c in CURRENCIES))
    return currency


def check_outlook(outlook_low: float | None, outlook_high: float | None) -> None:
    if outlook_low is not None or outlook_high is not None:
        from . import outlook

        if outlook_low is None or outlook_high is None:
            raise outlook.OutlookError("give both OUTLOOK_LOW and OUTLOOK_HIGH (annual export growth, %)")
        outlook.check_range(outlook_low, outlook_high)


def content_parameters(year: int, currency: str, data_path: Path | None, outlook_low: float | None,
                       outlook_high: float | None, records: list | None = None) -> dict:
    """The notebook parameters that shape the briefing (the render adds its time stamp and commit label)."""
    parameters = {"year": int(year), "currency": currency, "data_path": str(data_path) if data_path else ""}
    if records:
        parameters["records"] = [str(f) for f in records]
    for name, value in (("outlook_low", outlook_low), ("outlook_high", outlook_high)):
        if value is not None:
            parameters[name] = float(value)
    return parameters


def render(year: int, currency: str = CURRENCIES[0], data: str | Path | None = None, reports_dir: Path | None = None,
           notebook: Path | None = None, timeout: int = 600, outlook_low: float | None = None,
           outlook_high: float | None = None, *, force: bool = False, kernel=None, progress=None, dataset=None,
           inputs: dict | None = None, records: list | None = None) -> Path:
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
    records = [Path(f).resolve() for f in records or []]
    inputs = inputs or fingerprint.compute(content_parameters(year, currency, data_path, outlook_low, outlook_high,
                                                              records), notebook, data_path, files=records)
    if not force and final.is_dir() and not final.is_symlink() and fingerprint.is_current(final, inputs):
        progress.skipped(year, final)
        return final

    check_outlook(outlook_low, outlook_high)
    if dataset is None:
        dataset = sources.load(data_path)  # a DataError here stops before anything is written
    ds = dataset
    if year not in ds.years:
        raise NoDataForYear(year, ds.years)
    if records:   # a file no reader understands, or a year the records do not hold, stops here
        from . import records_briefing as rb
        from .period import Period
        from .records import query

        rb.Computed(query.load(records), reporters.load(sources.FIGURES_REPORTER), Period(year))
    title = f"{reporters.load(sources.FIGURES_REPORTER).possessive} foreign trade in {year}"
    subtitle = (f"Annual briefing · figures in {fmt.currency_name(currency)} · "
                f"data as released up to {_released(ds, year)} · tradelib {__version__}")
    return _run(year, notebook, content_parameters(year, currency, data_path, outlook_low, outlook_high, records), title,
                subtitle, inputs, reports_dir, final, ds, kernel, progress, timeout)


def _run(year, notebook: Path, parameters: dict, title: str, subtitle: str, inputs: dict, reports_dir: Path,
         final: Path, ds, kernel, progress, timeout: int) -> Path:
    """Execute ``notebook`` with ``parameters`` in a working folder beside ``final``, write its HTML and PDF, and
    swap the folder into place at ``final``; ``year`` names the report's lock and working folders."""
    from . import fingerprint

    try:
        step = "preparing the reports folder"
        reports_dir.mkdir(parents=True, exist_ok=True)
        with _year_lock(reports_dir, year):
            check_report_folder(final)
            for done in recover(reports_dir, year):
                print(f"tradelib: {done}", file=sys.stderr)
            tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{year}-", dir=reports_dir))
            tmp_lock = _lock_dir(tmp)  # tells this working folder from one a killed render left
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; the published folder is for sharing
    except OSError as e:
        raise SystemFailure(describe_os_error(e, step)) from None
    rendered_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    parameters = {**parameters, "rendered_at": rendered_at, "tradelib_commit": git_commit()}
    step = "executing the notebook"
    published = False
    handover = None
    progress.begin(year)
    progress.stage(step)
    try:
        with _sigterm_as_interrupt():
            executed = tmp / "briefing.ipynb"
            try:
                validated = None
                if isinstance(ds, sources.Dataset):
                    handover = Path(tempfile.mkdtemp(prefix="tradelib-validated-"))  # private (0700), for the kernel
                    validated = sources.hand_over(ds, handover)
                elif isinstance(ds, tuple):   # settled monthly figures and the files they were read from
                    from . import monthly

                    handover = Path(tempfile.mkdtemp(prefix="tradelib-validated-"))
                    validated = monthly.hand_over(ds[0], ds[1], handover)
                execute_notebook(notebook, executed, parameters, cwd=notebook.parent, timeout=timeout,
                                 validated=validated, kernel=kernel)
                fingerprint.record(executed, inputs)
            except Exception as e:  # papermill raises PapermillExecutionError, DeadKernelError, ...
                raise _failure(step, e) from e
            step = "writing the HTML"
            progress.stage(step)
            try:
                page = notebook_to_html(executed, title, subtitle)
                (tmp / "briefing.html").write_text(page, encoding="utf-8")
                step = "writing the PDF"
                progress.stage(step)
                html_to_pdf(page, tmp / "briefing.pdf", tmp)
            except RenderError:
                raise
            except Exception as e:
                raise _failure(step, e) from e
            step = "publishing the report"
            try:
                with _signals_deferred():  # a signal during the swap is acted on once the swap is done
                    _publish(tmp, final, reports_dir, year)
                    published = True
            except OSError as e:
                raise SystemFailure(describe_os_error(e, step)) from None
    except (RenderError, _Interrupted, KeyboardInterrupt) as e:
        progress.end(ok=False)
        kept = _keep_failed(tmp, reports_dir, year)
        where = f"; the executed notebook of this run is kept at {kept}" if kept else ""
        if published:
            earlier = " The new report had been published."
        else:
            earlier = " The earlier report was left as it was." if final.is_dir() else ""
        if isinstance(e, RenderError):
            raise type(e)(f"{e}{where}.{earlier}") from e
        signum = e.signum if isinstance(e, _Interrupted) else signal.SIGINT
        words = f"interrupted by signal {signum}" if signum != signal.SIGINT else "Ctrl-C"
        raise Interrupted(f"render interrupted ({words}) while {step}{where}.{earlier}", signum) from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if handover is not None:
            shutil.rmtree(handover, ignore_errors=True)
        os.close(tmp_lock)
    progress.end()
    return final


def live_records(reporter: str, period, flows: tuple[str, ...] = ("X", "M")) -> list[Path]:
    """Fetch from UN Comtrade's API (or find in its cache, see :mod:`tradelib.records.live`) what a records
    briefing needs: for each flow, the period and the same period a year earlier (month by month for a run of
    months), by partner and by HS chapter. A period with nothing published a year earlier is skipped."""
    import warnings

    from .period import Period
    from .records import live

    def months(p):
        return [Period(p.year, m) for m in p.months] if p.is_range else [p]

    files: list[Path] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", live.TruncatedWarning)
        for p in (period, period.year_earlier()):
            for one in months(p):
                for flow in flows:
                    for cmd, partner in (("TOTAL", None), ("AG2", "WLD")):
                        try:
                            files.append(live.fetch(reporter, one.code, flow=flow, partner=partner, cmd=cmd))
                        except live.LiveDataError:
                            if p == period:
                                raise
    for w in caught:
        print(f"tradelib: warning: {w.message}", file=sys.stderr)
    return files


def records_key(reporter: str, period) -> str:
    """The folder of a records briefing under reports/: ``IND-2023``, ``CHN-2024-06``, ``CHN-2024-01..06``."""
    return f"{reporter}-{period.code}"


def render_records(reporter: str, period: str, records: list[str | Path], flow: str | None = None,
                   reports_dir: Path | None = None, notebook: Path | None = None, timeout: int = 600, *,
                   force: bool = False, kernel=None, progress=None) -> Path:
    """Render the records briefing of ``reporter`` for ``period`` from the ``records`` files into
    ``reports_dir/<ISO3>-<period>/``; return that folder.

    The files are read and the briefing's figures computed once before anything is written, so that a file
    no reader understands, or a period the files do not hold, ends in one line and leaves earlier reports as
    they were.
    """
    from . import fingerprint
    from . import records_briefing as rb
    from .batch import Progress
    from .period import Period
    from .records import query

    progress = progress or Progress()
    rep = reporters.load(reporter)
    per = Period.parse(period)
    files = [Path(f).resolve() for f in records]
    if not files:
        raise DataError("records", None, "files", "no records file given; name at least one with RECORDS=")
    flow = (flow or "").upper() or None
    if flow not in (None, "X", "M"):
        raise DataError("records", None, "flow", f"flow {flow!r} is neither X (exports) nor M (imports)")
    recs = query.load(files, reporter=rep.iso3, flow=flow)
    computed = rb.Computed(recs, rep, per, flows=(flow,) if flow else ("X", "M"))  # errors stop here
    reports_dir = Path(reports_dir or paths.REPORTS_DIR).resolve()
    notebook = Path(notebook or paths.RECORDS_BRIEFING_NOTEBOOK)
    key = records_key(rep.iso3, per)
    final = reports_dir / key
    parameters = {"reporter": rep.file or rep.iso3, "period": per.code, "records": [str(f) for f in files],
                  "flow": flow or ""}
    inputs = fingerprint.compute(parameters, notebook, files=files)
    if not force and final.is_dir() and not final.is_symlink() and fingerprint.is_current(final, inputs):
        progress.skipped(key, final)
        return final
    kinds = " and ".join(sorted({f.label for f in recs.files}))
    title = f"{rep.possessive} trade in {per.label}"
    what = " and ".join(computed.scope_words(f) for f in computed.flows)
    subtitle = (f"{per.adjective} briefing on {what} · computed from {kinds} records · figures in US "
                f"dollars · tradelib {__version__}")
    return _run(key, notebook, parameters, title, subtitle, inputs, reports_dir, final, None, kernel, progress,
                timeout)


def monthly_key(period) -> str:
    """The folder of a monthly briefing under reports/: the release's period, ``2025-11`` or ``2025-01..02``
    (an annual briefing's folder is the year alone, a records briefing's starts with the reporter's code)."""
    return period.code


def monthly_parameters(period, currency: str, folder: Path | None) -> dict:
    return {"period": period.code, "currency": currency, "data_path": str(folder) if folder else ""}


def monthly_folder(data: str | Path | None) -> Path | None:
    """The data folder of a monthly briefing (None: the bundled data); refuses a file or a missing folder."""
    if not data:
        return None
    folder = Path(data).resolve()
    if not folder.is_dir() or not (folder / "monthly_sightings.csv").is_file():
        raise DataError(folder, None, "data folder", "a monthly briefing reads a data folder holding "
                        "monthly_sightings.csv (and sources.csv, domains.csv, groups.csv); give such a folder "
                        "with DATA=, or leave DATA out for the bundled data")
    return folder


def render_monthly(period: str, currency: str = CURRENCIES[0], data: str | Path | None = None,
                   reports_dir: Path | None = None, notebook: Path | None = None, timeout: int = 600, *,
                   force: bool = False, kernel=None, progress=None, figures=None, inputs: dict | None = None) -> Path:
    """Render the monthly briefing on the customs' release for ``period`` (``2025-11``, ``2025-01..02``) from
    the published monthly figures into ``reports_dir/<period>/``; return that folder.

    The period's form is checked before anything is read; the figures are settled (or ``figures``, settled
    by a batch, used) and the briefing's figures looked up once before anything is written, so that a month
    not held ends in one line naming the months held. A report made from the same inputs is not rendered
    again unless ``force``.
    """
    from . import fingerprint, fmt, monthly
    from . import monthly_briefing as mb
    from .batch import Progress
    from .period import Period

    progress = progress or Progress()
    currency = check_currency(currency)
    rep = reporters.load(sources.FIGURES_REPORTER)
    per = mb.check_period(Period.parse(period), rep)
    folder = monthly_folder(data)
    reports_dir = Path(reports_dir or paths.REPORTS_DIR).resolve()
    notebook = Path(notebook or paths.MONTHLY_BRIEFING_NOTEBOOK)
    key = monthly_key(per)
    final = reports_dir / key
    parameters = monthly_parameters(per, currency, folder)
    files = monthly.data_files(folder)
    inputs = inputs or fingerprint.compute(parameters, notebook, files=[f for f in files if f.parent != paths.DATA_DIR])
    if not force and final.is_dir() and not final.is_symlink() and fingerprint.is_current(final, inputs):
        progress.skipped(key, final)
        return final
    figures = figures if figures is not None else monthly.load(folder=folder)
    briefing = mb.Briefing(figures, rep, per, currency)   # a month not held stops here
    subtitle = (f"Monthly briefing · figures in {fmt.currency_name(currency)} · data as released up to "
                f"{briefing.latest_release} · tradelib {__version__}")
    return _run(key, notebook, parameters, mb.title(briefing), subtitle, inputs, reports_dir, final,
                (figures, files), kernel, progress, timeout)


def _failure(step: str, e: BaseException) -> RenderError:
    """One error for a failed step: the operating system's own words where it refused, else the step's."""
    cause = e
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, OSError) and cause.errno in _OS_HINTS:
        return SystemFailure(describe_os_error(cause, step))
    return RenderError(f"{step} failed: {_one_line(e)}")


_OS_HINTS = {
    errno.EROFS: "the folder is on a read-only file system; give a writable one with --reports-dir",
    errno.EACCES: "no permission to write there; give a folder you can write with --reports-dir or fix its permissions",
    errno.EPERM: "the operation is not permitted there; give another folder with --reports-dir",
    errno.ENOSPC: "the disk is full; free some space (or give --reports-dir on another disk) and render again",
    errno.EDQUOT: "the disk quota is used up; free some space and render again",
    errno.ENOENT: "a folder the render was using no longer exists (deleted meanwhile?); check the path and render "
                  "again",
    errno.ENOTDIR: "a part of the path is a file, not a folder; check the path",
}


def describe_os_error(e: OSError, step: str) -> str:
    """An operating-system error in one line: the step, the system's words, the path and what to do."""
    where = f" ({e.filename})" if e.filename else ""
    hint = _OS_HINTS.get(e.errno, "check the folder and render again")
    return f"{step} failed: {e.strerror or e}{where}; {hint}"


@contextlib.contextmanager
def _signals_deferred():
    """Hold SIGINT and SIGTERM until the block is done (they are delivered afterwards)."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    except (AttributeError, ValueError, OSError):  # not on this system or not in the main thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _one_line(e: BaseException) -> str:
    text = str(e).strip()
    # papermill's error text ends with the exception line of the failing cell; other errors say it first
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    last = (lines[-1] if type(e).__name__ == "PapermillExecutionError" else lines[0]) if lines else type(e).__name__
    return last if len(last) < 300 else last[:297] + "..."


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, like every other expected error
        self.exit(2, f"tradelib: error: {message}; see python -m tradelib --help\n")


def main(argv: list[str] | None = None) -> int:
    p = _Parser(prog="tradelib-report", description="Render the annual trade briefing.")
    p.add_argument("--year", type=int, default=None, help="reference year, e.g. 2025")
    p.add_argument("--period", default=None, help="a month (2025-11) or January–February (2025-01..02): the "
                   "monthly briefing on the published figures; with --records a year (2023), a month (2019-06) or "
                   "months of one year (2019-01..06)")
    p.add_argument("--reporter", default=None, help="ISO3 code of the reporter (or a reporter .toml file); "
                   "default: the reporter of the published figures")
    p.add_argument("--records", action="append", default=[], metavar="FILE",
                   help="a trade-records file (UN Comtrade Plus, legacy Comtrade, BACI, tidy extract); repeatable")
    p.add_argument("--live", action="store_true", help="fetch the records from UN Comtrade's API (cached; "
                   "COMTRADE_API_KEY for the full API, else the preview)")
    p.add_argument("--flow", default=None, help="X or M: the flow of a tidy extract, or the only flow to brief on")
    p.add_argument("--currency", default=CURRENCIES[0], help=" or ".join(
        f"{c} ({fmt.currency_name(c)}{', default' if i == 0 else ''})" for i, c in enumerate(CURRENCIES)))
    p.add_argument("--data", default=None, help="a figures CSV in the project's format, or a data folder "
                   "(for a monthly briefing: one holding monthly_sightings.csv); default: the bundled data")
    p.add_argument("--reports-dir", default=None, help="where reports/<year>/ goes (default: reports/ in the current folder)")
    p.add_argument("--outlook-low", type=float, default=None, help="low end of the export growth scenario, %% a year")
    p.add_argument("--outlook-high", type=float, default=None, help="high end of the export growth scenario, %% a year")
    p.add_argument("--force", action="store_true", help="render even when the report's inputs are unchanged")
    args = p.parse_args(argv)
    try:
        os.getcwd()
    except FileNotFoundError:
        print("tradelib: error: the current folder no longer exists (deleted meanwhile?); change to an existing "
              "folder and run again", file=sys.stderr)
        return EXIT_FAILED
    try:
        reports_dir = Path(args.reports_dir) if args.reports_dir else None
        own = sources.FIGURES_REPORTER
        rep = reporters.load(args.reporter).iso3 if args.reporter else own
        period = args.period or (str(args.year) if args.year is not None else None)
        if period is None:
            raise DataError("arguments", None, "period", "give a year (YEAR=2025) or a period (PERIOD=2019-06)")
        if args.live:
            from .period import Period

            args.records = [*args.records, *live_records(rep, Period.parse(period),
                                                         (args.flow.upper(),) if args.flow else ("X", "M"))]
        if args.records and rep == own and period.isdigit() and int(period) in sources.load(args.data).years:
            # the annual briefing on published figures, with the sections computed from the records
            out = render(int(period), args.currency, args.data, reports_dir, outlook_low=args.outlook_low,
                         outlook_high=args.outlook_high, force=args.force, records=args.records)
        elif args.records:
            out = render_records(args.reporter or own, period, args.records, args.flow, reports_dir, force=args.force)
        elif rep != own:
            raise DataError("arguments", None, "records", f"tradelib holds published figures for {own} only; for "
                            f"{rep} give the records to compute from, e.g. RECORDS=path/to/comtrade.csv")
        elif not period.isdigit():
            out = render_monthly(period, args.currency, args.data, reports_dir, force=args.force)
        else:
            out = render(int(period), args.currency, args.data, reports_dir,
                         outlook_low=args.outlook_low, outlook_high=args.outlook_high, force=args.force)
    except TradelibError as e:
        print(f"tradelib: error: {e}", file=sys.stderr)
        return e.exit_status
    except KeyboardInterrupt:  # before the render started working (loading data)
        print("tradelib: interrupted (Ctrl-C); nothing was written", file=sys.stderr)
        return 128 + signal.SIGINT
    except OSError as e:
        print(f"tradelib: error: {describe_os_error(e, 'rendering')}", file=sys.stderr)
        return EXIT_FAILED
    for name in ("briefing.html", "briefing.pdf", "briefing.ipynb"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
