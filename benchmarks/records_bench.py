"""Benchmark of the trade-records layer against pandas, on a synthetic BACI-like dataset.

    python benchmarks/records_bench.py [--rows N] [--seed S]

1. Generates SYNTHETIC data shaped like a CEPII BACI release (never real figures): about 220 exporters,
   220 importers and 5,000 HS6 products; ``--rows`` rows (10 million by default) for the reference year and
   about 96 % as many for the previous year (90 % of the cells go on, 6 % of ``--rows`` are cells traded
   only in the previous year). Which exporter x importer x product cells exist follows log-normal country
   and product sizes, and values are log-normal, so group sizes look like real trade. The files are BACI
   CSV (``t,i,j,k,v,q``: BACI numeric country codes, products as 6-digit integers) named
   ``BACI_HS22_Y<year>_synthetic_seed<S>.csv`` in a cache folder keyed by seed and size
   (``$TRADELIB_BENCH_CACHE``, default ``~/.cache/tradelib/bench``), so a second run skips generation.
2. Converts them to Parquet with tradelib's :class:`~tradelib.records.store.Store` (timed on its own; not
   part of the query target).
3. In one subprocess, tradelib (:mod:`tradelib.records.query` and :mod:`tradelib.records.measures`), for
   every reporter: total exports, top 10 partners, top 10 HS chapters, contributions to growth by chapter
   (percentage points) and the Herfindahl-Hirschman concentration of partners. In another subprocess, the
   same in idiomatic pandas (``pandas.read_parquet`` of the same Parquet, vectorised group-bys). Each side
   is timed best of 5 and reports its own peak memory (``VmHWM``).
4. Checks that both sides give the same numbers (relative tolerance 1e-9), then prints
   ``records: N rows, tradelib T1 s, pandas T2 s, R× faster, peak P MiB`` (N: rows of both years queried,
   P: tradelib's peak) and exits non-zero when a result differs or a target is missed.

Targets on the project's 2-core machine: tradelib at least 10 times faster than pandas, at most 5 s for
the tradelib queries, tradelib peak memory at most 1.5 GiB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

YEAR = 2023
ROWS = 10_000_000
SEED = 20260101
COUNTRIES = 220
PRODUCTS = 5_000
KEEP = 0.90          # share of the reference year's cells also traded in the previous year
ONLY_PREVIOUS = 0.06  # cells traded only in the previous year, as a share of the reference year's rows
TOP = 10
REPEAT = 5
RTOL = 1e-9
TARGETS = {"speedup": 10.0, "seconds": 5.0, "peak_mib": 1536.0}
HEADER = "t,i,j,k,v,q\n"


# ------------------------------------------------------------------------------------------ synthetic data

def country_codes(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` BACI numeric country codes (sorted): pycountry's countries under the provider's own codes."""
    import pycountry

    from tradelib.records import areas

    codes = set()
    for c in pycountry.countries:
        code = areas.code_of_iso3(c.alpha_3)
        if code is not None and areas.kind(code, c.alpha_3) == "country":
            codes.add(int(code))
    codes = np.array(sorted(codes))
    if len(codes) < n:
        raise SystemExit(f"only {len(codes)} country codes are known; ask for at most that many")
    return np.sort(rng.choice(codes, n, replace=False))


def product_codes(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` distinct HS6 codes as BACI writes them (integers, leading zero dropped), sorted."""
    chapters = np.array([c for c in range(1, 98) if c != 77])
    pool = (chapters[:, None, None] * 10_000 + np.arange(1, 100)[None, :, None] * 100
            + np.arange(10, 100, 10)[None, None, :]).ravel()
    return np.sort(rng.choice(pool, n, replace=False))


def _cells(want: int, size_x, size_m, size_k, rng: np.random.Generator) -> np.ndarray:
    """``want`` distinct cells ``(i * countries + j) * products + k`` without self-trade, each held with
    probability ``min(1, lam * size_x[i] * size_m[j] * size_k[k])`` (a gravity-like pattern: large
    exporters trade most products with large importers; small ones a few), ``lam`` set so that about
    ``want`` cells are held; one draw per exporter, then exactly ``want`` kept at random."""
    countries, products = len(size_x), len(size_k)
    mk = (size_m[:, None] * size_k[None, :]).ravel()          # index j * products + k
    ordered = np.sort(mk)
    below = np.concatenate([[0.0], np.cumsum(ordered)])

    def expected(lam):
        # sum over i of sum_jk min(1, lam * x_i * mk): the cells at 1 counted, the rest summed
        cut = np.searchsorted(ordered, 1.0 / (lam * size_x))
        return float(np.sum(len(ordered) - cut + lam * size_x * below[cut]))

    lo, hi = 1e-30, 1e30
    target = want * 1.02 + 6 * want ** 0.5  # room for self-trade cells and the binomial spread
    for _ in range(200):
        mid = (lo * hi) ** 0.5
        lo, hi = (mid, hi) if expected(mid) < target else (lo, mid)
    while True:
        parts = []
        for i in range(countries):
            p = np.minimum(1.0, hi * size_x[i] * mk)
            p[i * products:(i + 1) * products] = 0.0             # no trade with itself
            parts.append(i * countries * products + np.flatnonzero(rng.random(len(mk)) < p))
        cells = np.concatenate(parts)
        if len(cells) >= want:
            return rng.choice(cells, want, replace=False)
        hi *= 1.05


def generate(rows: int, seed: int = SEED, countries: int = COUNTRIES, products: int = PRODUCTS) -> dict:
    """Synthetic BACI-like records for ``YEAR - 1`` and ``YEAR``: {year: DataFrame t, i, j, k, v, q}.

    A cell is held with a probability rising with exporter size x importer size x product size (all
    log-normal, importer size correlated with exporter size; see :func:`_cells`), without self-trade.
    Values are in thousand US dollars with 3
    decimals, quantities in tonnes (2 % missing), as in BACI.
    """
    rng = np.random.default_rng(seed)
    codes = country_codes(countries, rng)
    prods = product_codes(products, rng)
    size_x = rng.lognormal(0.0, 2.0, countries)
    size_m = size_x ** 0.8 * rng.lognormal(0.0, 1.0, countries)
    size_k = rng.lognormal(0.0, 1.5, products)
    want = rows + int(round(rows * ONLY_PREVIOUS))
    if want > countries * (countries - 1) * products * 0.5:
        raise SystemExit(f"{rows:,} rows is too dense for {countries} countries and {products} products")
    cells = _cells(want, size_x, size_m, size_k, rng)
    current = np.sort(cells[:rows])
    kept = current[rng.random(rows) < KEEP]
    previous = np.sort(np.concatenate([kept, cells[rows:]]))

    def frame(year, flat, v_thousand):
        ij, k = np.divmod(flat, products)
        i, j = np.divmod(ij, countries)
        unit = np.exp(2.0 + 0.5 * np.log(size_k[k]))  # thousand dollars per tonne, by product
        q = np.round(v_thousand / unit * rng.lognormal(0.0, 0.3, len(flat)), 3)
        q[rng.random(len(flat)) < 0.02] = np.nan
        return pd.DataFrame({"t": np.full(len(flat), year, dtype=np.int16), "i": codes[i].astype(np.int32),
                             "j": codes[j].astype(np.int32), "k": prods[k].astype(np.int32),
                             "v": v_thousand, "q": q})

    def values(flat):
        ij, k = np.divmod(flat, products)
        i, j = np.divmod(ij, countries)
        logv = (0.4 * np.log(size_x[i]) + 0.4 * np.log(size_m[j]) + 0.3 * np.log(size_k[k])
                + rng.normal(2.5, 2.0, len(flat)))
        return np.maximum(np.round(np.exp(logv), 3), 0.001)

    v_cur = values(current)
    # previous-year values of continuing cells: the current value over a log-normal growth factor
    pos = np.searchsorted(current, previous)
    cont = (pos < rows) & (current[np.minimum(pos, rows - 1)] == previous)
    v_prev = np.empty(len(previous))
    v_prev[cont] = np.maximum(np.round(v_cur[pos[cont]] / rng.lognormal(0.04, 0.4, int(cont.sum())), 3), 0.001)
    v_prev[~cont] = values(previous[~cont])
    return {YEAR - 1: frame(YEAR - 1, previous, v_prev), YEAR: frame(YEAR, current, v_cur)}


def write_baci(df: pd.DataFrame, path: Path) -> None:
    """Write one year as a BACI CSV (``t,i,j,k,v,q``; a missing quantity is an empty field)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(HEADER.encode())
        pacsv.write_csv(pa.Table.from_pandas(df, preserve_index=False), fh,
                        pacsv.WriteOptions(include_header=False, quoting_style="none"))
    os.replace(tmp, path)


def dataset(folder: Path, rows: int, seed: int) -> tuple[list[Path], dict, float | None]:
    """The synthetic BACI files (generated, or reused from ``folder``), their row counts, generation time."""
    paths = [folder / f"BACI_HS22_Y{y}_synthetic_seed{seed}.csv" for y in (YEAR - 1, YEAR)]
    info = folder / "rows.json"
    if all(p.exists() for p in paths) and info.exists():
        return paths, {int(k): v for k, v in json.loads(info.read_text()).items()}, None
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    data = generate(rows, seed)
    for (year, df), path in zip(sorted(data.items()), paths):
        write_baci(df, path)
    counts = {year: len(df) for year, df in data.items()}
    info.write_text(json.dumps(counts))
    return paths, counts, time.perf_counter() - t


# ------------------------------------------------------------------------------------------ the two sides

def _top(df: pd.DataFrame, n: int = TOP) -> pd.DataFrame:
    """The ``n`` largest items per reporter (largest first, ties by code), with their rank."""
    out = df.sort_values(["reporter", "value", "item"], ascending=[True, False, True], kind="stable")
    out = out.groupby("reporter", sort=False).head(n).copy()
    out["rank"] = out.groupby("reporter", sort=False).cumcount() + 1
    return out.set_index(["reporter", "rank"])[["item", "value"]]


def run_tradelib(csv_paths, store_root, year: int = YEAR) -> dict:
    """The analyst's path: load the BACI files (the store already holds them) and query every reporter."""
    from tradelib.records import Period, load, measures, totals

    records = load(csv_paths, store=store_root)
    cur, prev = Period(year), Period(year).previous()
    total = totals(records, cur).set_index("reporter")["value"]
    total_prev = totals(records, prev).set_index("reporter")["value"]
    partners = totals(records, cur, by="partner")
    chapters = totals(records, cur, by="hs2")
    chapters_prev = totals(records, prev, by="hs2")
    contributions = measures.contributions(chapters.set_index(["reporter", "item"])["value"],
                                           chapters_prev.set_index(["reporter", "item"])["value"],
                                           total_previous=total_prev, by="reporter")
    by_partner = partners.set_index(["reporter", "item"])["value"]
    hhi = measures.hhi(by_partner, by="reporter")
    return {"total": total.rename("value"), "top_partners": measures.top_by(by_partner, TOP),
            "top_chapters": measures.top_by(chapters.set_index(["reporter", "item"])["value"], TOP),
            "contributions": contributions.rename("contribution_pp"), "hhi": hhi.rename("hhi")}


def run_pandas(parquet_paths, year: int = YEAR) -> dict:
    """The same computations in idiomatic pandas, vectorised over reporters."""
    # the stored chapter column, as a pandas user reading the same files would use it
    df = pd.concat([pd.read_parquet(p, columns=["reporter", "partner", "year", "chapter", "value_usd"])
                    for p in parquet_paths], ignore_index=True)
    cur = df[df["year"] == year]
    prev = df[df["year"] == year - 1]
    total = cur.groupby("reporter")["value_usd"].sum()
    total_prev = prev.groupby("reporter")["value_usd"].sum()
    partners = cur.groupby(["reporter", "partner"])["value_usd"].sum()
    def two_digits(s):  # chapter numbers as HS codes ("01"), on the small result
        return s.rename(index=lambda c: f"{c:02d}", level="chapter")
    chapters = two_digits(cur.groupby(["reporter", "chapter"])["value_usd"].sum())
    chapters_prev = two_digits(prev.groupby(["reporter", "chapter"])["value_usd"].sum())
    contributions = chapters.sub(chapters_prev, fill_value=0.0).div(total_prev, level="reporter") * 100.0
    shares = partners / partners.groupby(level="reporter").transform("sum")
    hhi = (shares ** 2).groupby(level="reporter").sum()

    def frame(s):
        return s.rename_axis(["reporter", "item"]).rename("value").reset_index().astype({"reporter": str, "item": str})
    # the stored text columns come back as categoricals; the small results are given plain text labels
    total.index = total.index.astype(str)
    contributions.index = contributions.index.set_levels([lv.astype(str) for lv in contributions.index.levels])
    hhi.index = hhi.index.astype(str)
    return {"total": total.rename_axis("reporter").rename("value"), "top_partners": _top(frame(partners)),
            "top_chapters": _top(frame(chapters)),
            "contributions": contributions.rename_axis(["reporter", "item"]).rename("contribution_pp"),
            "hhi": hhi.rename_axis("reporter").rename("hhi")}


def compare(a: dict, b: dict, rtol: float = RTOL) -> list[str]:
    """Differences between two result sets (empty when they agree within ``rtol``, relative)."""
    problems = []
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, pd.DataFrame):
            x, y = x.sort_index(), y.sort_index()
            if not x.index.equals(y.index):
                problems.append(f"{key}: the two sides hold different reporters or ranks")
                continue
            items = x["item"].astype(str).to_numpy() != y["item"].astype(str).to_numpy()
            if items.any():
                where = x.index[items][0]
                problems.append(f"{key}: {where}: {x['item'][where]} against {y['item'][where]}")
            x, y = x["value"], y["value"]
        x = x.sort_index()
        y = y.sort_index()
        if len(x) != len(y) or not x.index.equals(y.index):
            only = x.index.symmetric_difference(y.index)
            problems.append(f"{key}: {len(x)} against {len(y)} items (e.g. {list(only[:3])} on one side only)")
            continue
        xv, yv = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
        bad = ~np.isclose(xv, yv, rtol=rtol, atol=0.0) & ~(np.isnan(xv) & np.isnan(yv))
        if key == "contributions":
            # a change close to zero: compare relative to the reporter's contributions, not to itself
            scale = pd.Series(np.abs(xv), index=x.index).groupby(level=0).transform("max").to_numpy()
            bad &= np.abs(xv - yv) > rtol * scale
        if bad.any():
            w = np.flatnonzero(bad)[0]
            problems.append(f"{key}: {x.index[w]}: {xv[w]!r} against {yv[w]!r} ({int(bad.sum())} differ)")
    return problems


def peak_mib() -> float:
    """This process's peak resident memory in MiB: VmHWM, which exec resets (on Linux ``ru_maxrss`` keeps
    the parent's peak across fork and exec, so a child started by a parent holding the generated data
    would report the parent's peak); ``ru_maxrss`` where /proc is absent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(side: str, csv_paths, parquet_paths, store_root, out: Path) -> None:
    """Run one side best of ``REPEAT`` in this process; write its results and print its timings as JSON."""
    best, result = float("inf"), None
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        result = run_tradelib(csv_paths, store_root) if side == "tradelib" else run_pandas(parquet_paths)
        times.append(time.perf_counter() - t)
        best = min(best, times[-1])
    pd.to_pickle(result, out)
    print(json.dumps({"side": side, "best": best, "times": times, "peak_mib": peak_mib()}))


def run_child(side, csv_paths, parquet_paths, store_root, tmp: Path) -> tuple[dict, dict]:
    out = tmp / f"{side}.pkl"
    cmd = [sys.executable, __file__, "--child", side, "--store", str(store_root), "--out", str(out),
           "--csv", *map(str, csv_paths), "--parquet", *parquet_paths]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"the {side} side failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), pd.read_pickle(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=ROWS, help="rows of the reference year (default 10,000,000)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--child", choices=["tradelib", "pandas"], help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--csv", nargs="*", help=argparse.SUPPRESS)
    ap.add_argument("--parquet", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.csv, args.parquet, args.store, Path(args.out))
        return 0
    if args.rows < 1000:
        ap.error("--rows must be at least 1000")

    from tradelib.records.store import Store

    cache = Path(os.environ.get("TRADELIB_BENCH_CACHE") or Path.home() / ".cache" / "tradelib" / "bench")
    folder = cache / f"synthetic-baci-seed{args.seed}-rows{args.rows}"
    csv_paths, counts, gen = dataset(folder, args.rows, args.seed)
    print(f"synthetic BACI-like data (seed {args.seed}; not real trade): {YEAR} {counts[YEAR]:,} rows, "
          f"{YEAR - 1} {counts[YEAR - 1]:,} rows; {COUNTRIES} exporters, {COUNTRIES} importers, "
          f"{PRODUCTS:,} HS6 products; " + (f"generated in {gen:.1f} s" if gen is not None
                                          else f"reused from {folder}"))
    tmp = Path(tempfile.mkdtemp(prefix="records-bench-", dir=cache))
    try:
        store = Store(tmp / "store")
        t = time.perf_counter()
        files = [store.add(p) for p in csv_paths]
        conv = time.perf_counter() - t
        rows = sum(f.rows for f in files)
        print(f"conversion to Parquet (tradelib Store): {conv:.1f} s for {rows:,} rows "
              f"({rows / conv / 1e6:.2f} million rows/s; not part of the query target)")
        parquet = [f.parquet for f in files]
        lib, lib_res = run_child("tradelib", csv_paths, parquet, store.root, tmp)
        pdx, pd_res = run_child("pandas", csv_paths, parquet, store.root, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    problems = compare(lib_res, pd_res)
    for p in problems:
        print(f"MISMATCH {p}")
    speedup = pdx["best"] / lib["best"]
    print(f"records: {rows} rows, tradelib {lib['best']:.2f} s, pandas {pdx['best']:.2f} s, "
          f"{speedup:.1f}× faster, peak {lib['peak_mib']:.0f} MiB")
    print(f"runs (s): tradelib {', '.join(f'{x:.2f}' for x in lib['times'])}; "
          f"pandas {', '.join(f'{x:.2f}' for x in pdx['times'])}; pandas peak {pdx['peak_mib']:.0f} MiB; "
          f"{len(lib_res['total'])} reporters, results agree" + ("" if not problems else " NOT"))
    checks = [("speedup", speedup >= TARGETS["speedup"], f"{speedup:.1f}× faster, target at least "
               f"{TARGETS['speedup']:g}×"),
              ("seconds", lib["best"] <= TARGETS["seconds"], f"tradelib {lib['best']:.2f} s, target at most "
               f"{TARGETS['seconds']:g} s"),
              ("peak", lib["peak_mib"] <= TARGETS["peak_mib"], f"peak {lib['peak_mib']:.0f} MiB, target at "
               f"most {TARGETS['peak_mib']:g} MiB")]
    missed = [msg for _, ok, msg in checks if not ok]
    for msg in missed:
        print(f"target missed: {msg}")
    return 1 if problems or missed else 0


if __name__ == "__main__":
    sys.exit(main())
