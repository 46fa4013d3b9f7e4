"""Rendering many briefings in one go: a kernel kept across notebooks, worker processes, progress.

``python -m tradelib.batch`` (``make reports``) renders every year with data, or the years given, in one
process: the library, pandas and matplotlib are imported once into one Jupyter kernel that runs notebook
after notebook, and nbconvert and WeasyPrint are set up once. ``--jobs N`` runs N such workers side by side,
each with its own kernel. Every briefing is still rendered by :func:`tradelib.render.render`: executed by
papermill (the executed notebook with its injected parameters stays the audit record of each report), built
in a temporary folder and swapped into place whole. Reports whose inputs are unchanged are skipped
(``--force`` renders them anyway); see :mod:`tradelib.fingerprint`.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import queue
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import fingerprint, fmt, paths
from . import reporter as reporters
from .errors import NoDataForYear, TradelibError

ENGINE_NAME = "tradelib-kept-kernel"


# ---------------------------------------------------------------- progress

class Progress:
    """Progress lines on stderr (stdout keeps the paths of what was written).

    A single render names its stage (notebook, HTML, PDF) once it has taken longer than ``after`` seconds:
    the stage it is in then, and each later stage as it starts.
    """

    def __init__(self, stream=None, after: float = 3.0, quiet: bool = False):
        self.stream = stream
        self.after = after
        self.quiet = quiet
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._label = ""
        self._stage = ""
        self._start = 0.0
        self._talking = False

    def say(self, text: str) -> None:
        if self.quiet:
            return
        with self._lock:
            print(text, file=self.stream or sys.stderr, flush=True)

    def skipped(self, year: int, folder: Path) -> None:
        self.say(f"{year}: inputs unchanged since {_short(folder)} was rendered; not rendered again "
                 f"(FORCE=1 renders anyway)")

    def begin(self, year: int) -> None:
        self._label, self._stage, self._start, self._talking = str(year), "", time.monotonic(), False
        if not self.quiet and self.after is not None:
            self._timer = threading.Timer(self.after, self._slow)
            self._timer.daemon = True
            self._timer.start()

    def stage(self, name: str) -> None:
        self._stage = name
        if self._talking:
            self.say(f"{self._label}: {name}...")

    def end(self, ok: bool = True) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._talking and ok:
            self.say(f"{self._label}: rendered in {time.monotonic() - self._start:.1f} s")
        self._talking = False

    def _slow(self) -> None:
        self._talking = True
        self.say(f"{self._label}: {self._stage}... ({time.monotonic() - self._start:.0f} s so far)")


def _short(folder: Path) -> str:
    try:
        return str(folder.relative_to(Path.cwd()))
    except ValueError:
        return str(folder)


# ---------------------------------------------------------------- one kernel across notebooks

# Clears the namespace and starts a new session (execution count 1); imported modules stay imported.
_RESET = """\
get_ipython().reset(new_session=True)
import os as _os, sys as _sys
_os.chdir({cwd!r})
_k = _v = None
for _k, _v in {env!r}.items():
    _os.environ.pop(_k, None) if _v is None else _os.environ.__setitem__(_k, _v)
if "tradelib.charts" in _sys.modules:
    _sys.modules["tradelib.charts"].restart_ids()
del _os, _sys, _k, _v
"""
# No input history database: a render does not need one, and kernels side by side would contend for it.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]


class Kernel:
    """A Jupyter kernel kept across notebooks.

    Started on first use. Before each notebook its namespace is cleared, its execution count set back to 1
    and its working folder set, so a notebook runs as in a fresh kernel except that the modules it imports
    (tradelib, pandas, matplotlib, statsmodels) are imported already. After a failed or interrupted notebook
    the kernel is shut down, and the next notebook gets a fresh one.
    """

    def __init__(self, kernel_name: str | None = None):
        self.kernel_name = kernel_name
        self.km = None
        self.kc = None
        self.notebooks = 0

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    # The manager and client are the asynchronous ones nbclient uses itself: with them it notices a kernel
    # that dies mid-notebook (a blocking client would wait for its output for ever).
    def start(self, cwd: Path) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        from .render import ensure_kernel

        _register_engine()
        self.kernel_name = self.kernel_name or ensure_kernel()
        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        try:
            run_sync(self.km.start_kernel)(cwd=str(cwd), extra_arguments=KERNEL_ARGUMENTS)
            self.kc = self.km.client()
            self.kc.allow_stdin = False
            self.kc.start_channels()
            run_sync(self.kc.wait_for_ready)(timeout=60)
        except BaseException:
            self.shutdown()
            raise

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and self.kc is not None and run_sync(self.km.is_alive)()

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        kc, km, self.kc, self.km = self.kc, self.km, None, None
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is not None and km.has_kernel:
            with contextlib.suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)

    def execute(self, notebook: Path, output: Path, parameters: dict, cwd: Path, timeout: int = 600,
                env: dict | None = None) -> None:
        """Execute ``notebook`` with papermill (parameters injected and recorded) into ``output``.

        ``env``: environment variables set (or, with None, removed) in the kernel before the notebook runs.
        """
        import papermill as pm

        if not self.alive():
            self.shutdown()
            self.start(cwd)
        ok = False
        try:
            self._reset(cwd, env or {})
            pm.execute_notebook(str(notebook), str(output), parameters=parameters, engine_name=ENGINE_NAME,
                                kernel_name=self.kernel_name, kernel=self, progress_bar=False, log_output=False,
                                execution_timeout=timeout, report_mode=True)
            ok = True
            self.notebooks += 1
        finally:
            if not ok:  # a failed, timed-out or interrupted notebook may have left the kernel busy or broken
                self.shutdown()

    def _reset(self, cwd: Path, env: dict) -> None:
        from jupyter_core.utils import run_sync

        reply = run_sync(self.kc.execute_interactive)(_RESET.format(cwd=str(cwd), env=env), silent=True, store_history=False,
                                                      timeout=60, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"could not reset the kernel: {reply['content'].get('evalue', '')}")


_engine_registered = False


def _register_engine() -> None:
    """A papermill engine that runs the notebook on a :class:`Kernel` instead of starting its own."""
    global _engine_registered
    if _engine_registered:
        return
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class KeptKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, kernel=None,
                                     **kwargs):
            client = PapermillNotebookClient(nb_man, km=kernel.km, timeout=execution_timeout,
                                             startup_timeout=start_timeout, kernel_name=kernel_name,
                                             log_output=log_output, stdout_file=stdout_file,
                                             stderr_file=stderr_file)
            client.kc = kernel.kc  # the kernel's own client: no new connection per notebook
            return client.execute()

    papermill_engines.register(ENGINE_NAME, KeptKernelEngine)
    _engine_registered = True


# ---------------------------------------------------------------- the batch

@dataclass
class Job:
    year: int | str   # the year of an annual briefing, or the period code of a monthly one (2025-11)
    inputs: dict


@dataclass
class Options:
    currency: str = reporters.figures_reporter().currencies[0]
    data: str | None = None
    reports_dir: Path | None = None
    notebook: Path | None = None
    outlook_low: float | None = None
    outlook_high: float | None = None
    timeout: int = 600
    monthly: bool = False   # monthly briefings (the years are period codes)


@dataclass
class Outcome:
    year: int | str
    status: str  # "rendered", "skipped" or "failed"
    seconds: float = 0.0
    message: str = ""


@dataclass
class DataSummary:
    """What a render needs to know of the loaded figures; the batch loads and checks them once."""
    years: list[int]
    release_date: str


def _render_job(job: Job, opts: Options, kernel: Kernel, data) -> Outcome:
    from . import render

    t = time.perf_counter()
    try:
        if opts.monthly:
            render.render_monthly(str(job.year), opts.currency, opts.data, opts.reports_dir, opts.notebook,
                                  opts.timeout, force=True, kernel=kernel, progress=Progress(quiet=True),
                                  figures=data, inputs=job.inputs)
            return Outcome(job.year, "rendered", time.perf_counter() - t)
        render.render(job.year, opts.currency, opts.data, opts.reports_dir, opts.notebook, opts.timeout,
                      opts.outlook_low, opts.outlook_high, force=True, kernel=kernel,
                      progress=Progress(quiet=True), dataset=data, inputs=job.inputs)
    except TradelibError as e:
        return Outcome(job.year, "failed", time.perf_counter() - t, str(e))
    return Outcome(job.year, "rendered", time.perf_counter() - t)


class _Stop(BaseException):
    pass


def _raise_stop(signum, frame):
    raise _Stop()


def _worker(tasks, results, opts: Options, data: DataSummary) -> None:
    """A worker process: one kept kernel, briefings taken from ``tasks`` until a None arrives."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops workers with SIGTERM
    signal.signal(signal.SIGTERM, _raise_stop)
    try:
        from . import monthly, render, sources

        # the figures validated once per worker (a DataSummary crosses processes; the dataset is handed to
        # each notebook's kernel, which then need not validate the files again)
        dataset = (monthly.load(folder=render.monthly_folder(opts.data)) if opts.monthly else sources.load(opts.data))
        with Kernel() as kernel:
            while (job := tasks.get()) is not None:
                results.put(_render_job(job, opts, kernel, dataset))
    except _Stop:
        pass


class Batch:
    """Render the briefings for ``years`` with ``jobs`` workers; report progress; return the outcomes."""

    def __init__(self, years: list[int] | None, opts: Options, jobs: int = 1, force: bool = False,
                 progress: Progress | None = None):
        self.years = years
        self.opts = opts
        self.jobs = max(1, int(jobs))
        self.force = force
        self.progress = progress or Progress()
        self.outcomes: list[Outcome] = []
        self.data: DataSummary | None = None
        self.dataset = None

    def plan(self) -> list[Job]:
        """Fingerprint every briefing before anything is read; say which are skipped; check the rest."""
        from . import render

        opts = self.opts
        if opts.monthly:
            return self._plan_monthly()
        currency = render.check_currency(opts.currency)
        opts.currency = currency
        opts.reports_dir = Path(opts.reports_dir or paths.REPORTS_DIR).resolve()
        opts.notebook = Path(opts.notebook or paths.BRIEFING_NOTEBOOK).resolve()
        data_path = Path(opts.data).resolve() if opts.data else None
        opts.data = str(data_path) if data_path else None
        years = self.years
        ds = None
        if years is None:  # every year with data: the data must be read to know them
            ds = self._load(data_path)
            years = ds.years
        jobs = []
        for year in dict.fromkeys(int(y) for y in years):
            params = render.content_parameters(year, currency, data_path, opts.outlook_low, opts.outlook_high)
            inputs = fingerprint.compute(params, opts.notebook, data_path)
            folder = paths.report_dir(year, opts.reports_dir)
            if not self.force and fingerprint.is_current(folder, inputs):
                self.progress.skipped(year, folder)
                self.outcomes.append(Outcome(year, "skipped"))
            else:
                jobs.append(Job(year, inputs))
        if jobs:
            render.check_outlook(opts.outlook_low, opts.outlook_high)
            ds = ds or self._load(data_path)
            missing = [j.year for j in jobs if j.year not in ds.years]
            if missing:
                raise NoDataForYear(missing[0], ds.years)
            self.data = DataSummary(ds.years, ds.release_date)
            self.dataset = ds  # the validated figures, handed to each notebook rendered in this process
        return jobs

    def _plan_monthly(self) -> list[Job]:
        """Monthly briefings: ``years`` holds period codes, or None (or "all") for every release held. The
        figures are settled once here and handed to each render (and each notebook's kernel)."""
        from . import monthly, render, sources
        from . import monthly_briefing as mb
        from . import reporter as reporters
        from .period import Period

        opts = self.opts
        opts.currency = render.check_currency(opts.currency)
        opts.reports_dir = Path(opts.reports_dir or paths.REPORTS_DIR).resolve()
        opts.notebook = Path(opts.notebook or paths.MONTHLY_BRIEFING_NOTEBOOK).resolve()
        rep = reporters.load(sources.FIGURES_REPORTER)
        asked = None if self.years in (None, ["all"]) else [mb.check_period(Period.parse(p), rep) for p in self.years]
        folder = render.monthly_folder(opts.data)
        opts.data = str(folder) if folder else None
        figures = monthly.load(folder=folder)
        held = sorted({Period.parse(p) for p in figures.figures.period})
        for p in asked or []:
            if p not in held:
                mb.Briefing(figures, rep, p, opts.currency)   # the one-line error naming the months held
        files = [f for f in monthly.data_files(folder) if f.parent != paths.DATA_DIR]
        jobs = []
        for p in dict.fromkeys(asked or held):
            inputs = fingerprint.compute(render.monthly_parameters(p, opts.currency, folder), opts.notebook,
                                         files=files)
            out = opts.reports_dir / render.monthly_key(p)
            if not self.force and fingerprint.is_current(out, inputs):
                self.progress.skipped(p.code, out)
                self.outcomes.append(Outcome(p.code, "skipped"))
            else:
                jobs.append(Job(p.code, inputs))
        self.dataset = figures
        return jobs

    @staticmethod
    def _load(data_path):
        from . import sources

        return sources.load(data_path)

    def run(self) -> list[Outcome]:
        start = time.perf_counter()
        jobs = self.plan()
        n = len(jobs)
        if n:
            workers = min(self.jobs, n)
            self.progress.say(f"rendering {n} briefing{'s' if n > 1 else ''} "
                              f"({', '.join(str(j.year) for j in jobs)}) with {workers} "
                              f"worker{'s' if workers > 1 else ''}")
            done = 0

            def report(o: Outcome) -> None:
                nonlocal done
                done += 1
                self.outcomes.append(o)
                left = n - done
                what = f"rendered in {o.seconds:.1f} s" if o.status == "rendered" else f"FAILED: {o.message}"
                self.progress.say(f"[{done}/{n}] {o.year} {what} · {left} left · "
                                  f"{time.perf_counter() - start:.1f} s elapsed")

            if workers == 1:
                self._run_here(jobs, report)
            else:
                self._run_workers(jobs, workers, report)
        rendered = sum(o.status == "rendered" for o in self.outcomes)
        skipped = sum(o.status == "skipped" for o in self.outcomes)
        failed = [o for o in self.outcomes if o.status == "failed"]
        self.progress.say(f"{rendered} rendered, {skipped} unchanged (skipped), {len(failed)} failed "
                          f"in {time.perf_counter() - start:.1f} s")
        return self.outcomes

    def _run_here(self, jobs: list[Job], report) -> None:
        with Kernel() as kernel:
            for job in jobs:
                report(_render_job(job, self.opts, kernel, self.dataset))

    def _run_workers(self, jobs: list[Job], workers: int, report) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")  # a clean interpreter: no inherited threads, sockets or kernels
        tasks, results = ctx.Queue(), ctx.Queue()
        for job in jobs:
            tasks.put(job)
        for _ in range(workers):
            tasks.put(None)
        procs = [ctx.Process(target=_worker, args=(tasks, results, self.opts, self.data), name=f"tradelib-worker-{i + 1}")
                 for i in range(workers)]
        for p in procs:
            p.start()
        pending = {j.year for j in jobs}

        def stop(signum, frame):
            raise KeyboardInterrupt(f"signal {signum}")

        old = signal.signal(signal.SIGTERM, stop) if threading.current_thread() is threading.main_thread() else None
        try:
            while pending:
                try:
                    o = results.get(timeout=0.5)
                except queue.Empty:
                    if not any(p.is_alive() for p in procs):
                        for year in sorted(pending):
                            report(Outcome(year, "failed", message="its worker process ended unexpectedly"))
                        break
                    continue
                pending.discard(o.year)
                report(o)
        except KeyboardInterrupt:
            with contextlib.suppress(queue.Empty):  # no further briefing is started...
                while True:
                    tasks.get_nowait()
            for _ in procs:
                tasks.put(None)
            for p in procs:  # ...and each worker cleans up its render (the earlier report stays) and its kernel
                if p.is_alive():
                    os.kill(p.pid, signal.SIGTERM)
            for p in procs:
                p.join(timeout=60)
            raise
        finally:
            if old is not None:
                signal.signal(signal.SIGTERM, old)
            for p in procs:
                p.join(timeout=60)
                if p.is_alive():
                    p.kill()


# ---------------------------------------------------------------- command line

def cpu_cores() -> int:
    """The CPU cores this process may run on (the default number of workers)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"tradelib: error: {message}; see python -m tradelib.batch --help\n")


def _years(text: str) -> list[int]:
    out = []
    for part in text.replace(",", " ").split():
        lo, sep, hi = part.partition("-")
        try:
            out += list(range(int(lo), int(hi) + 1)) if sep else [int(part)]
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid year list {text!r}; write e.g. 2023 2025 or 2015-2025")
    return out


def main(argv: list[str] | None = None) -> int:
    p = _Parser(prog="python -m tradelib.batch", description="Render the annual briefing for many years at once.")
    p.add_argument("--years", type=_years, default=None,
                   help="years to render, e.g. '2023 2025' or 2015-2025 (default: every year with data)")
    p.add_argument("--periods", default=None,
                   help="monthly briefings instead: 'all' (every release held) or periods such as "
                        "'2025-10 2025-11 2026-01..02'; they land in reports/<period>/")
    p.add_argument("--currency", default=reporters.figures_reporter().currencies[0], help=" or ".join(
        f"{c} ({fmt.currency_name(c)}{', default' if i == 0 else ''})" for i, c in enumerate(reporters.figures_reporter().currencies)))
    p.add_argument("--data", default=None, help="a figures CSV in the project's format, or a data folder "
                   "(monthly briefings: one holding monthly_sightings.csv); default: the bundled data")
    p.add_argument("--reports-dir", default=None, help="where reports/<year>/ go (default: ./reports)")
    p.add_argument("--outlook-low", type=float, default=None, help="low end of the export growth scenario, %% a year")
    p.add_argument("--outlook-high", type=float, default=None, help="high end of the export growth scenario, %% a year")
    p.add_argument("--jobs", type=int, default=None,
                   help="briefings rendered side by side (default: the number of CPU cores)")
    p.add_argument("--force", action="store_true", help="render even the reports whose inputs are unchanged")
    args = p.parse_args(argv)
    jobs = args.jobs if args.jobs is not None else cpu_cores()
    if jobs < 1:
        p.error(f"argument --jobs: must be 1 or more, not {jobs}")
    if args.periods is not None and args.years is not None:
        p.error("give --years (annual briefings) or --periods (monthly briefings), not both")
    periods = args.periods.replace(",", " ").split() if args.periods is not None else None
    if periods is not None and (not periods or ("all" in periods and len(periods) > 1)):
        p.error("argument --periods: write all, or periods such as '2025-10 2025-11'")
    opts = Options(currency=args.currency, data=args.data,
                   reports_dir=Path(args.reports_dir) if args.reports_dir else None,
                   outlook_low=args.outlook_low, outlook_high=args.outlook_high, monthly=periods is not None)
    batch = Batch(periods if periods is not None else args.years, opts, jobs=jobs, force=args.force)
    try:
        outcomes = batch.run()
    except TradelibError as e:
        print(f"tradelib: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tradelib: interrupted; reports not yet rendered keep their earlier version", file=sys.stderr)
        return 130
    failed = [o for o in outcomes if o.status == "failed"]
    for o in sorted(outcomes, key=lambda o: str(o.year)):
        if o.status != "failed":
            print(paths.report_dir(o.year, opts.reports_dir))
    if failed:
        print(f"tradelib: error: {len(failed)} briefing{'s' if len(failed) > 1 else ''} failed "
              f"({', '.join(str(o.year) for o in failed)}); their earlier reports were left as they were",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    # Run from the package module, so that what worker processes receive names tradelib.batch, not __main__.
    from tradelib.batch import main as batch_main

    sys.exit(batch_main())
