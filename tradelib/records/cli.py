"""``python -m tradelib records``: a quick look at trade records from the shell.

    python -m tradelib records FILE... --reporter ISO3 (--year YYYY | --period YYYY-MM) [--flow X|M]
        [--by partner|group|hs2|hs4|hs6] [--top N] [--format table|csv]

Prints the total first (code TOTAL), then the top N items with their code (ISO3 for a country, the HS code
for a product), name, value (US dollars), share (percent of the total) and growth (percent on the same period
a year earlier; empty where the records hold no earlier period), then one line on coverage: the rows used and
the rows left out, and why.
"""
from __future__ import annotations

import argparse
import sys
import warnings

import pandas as pd

from ..errors import DataError, TradelibError
from . import areas, query, schema
from ..period import Period

BY_CHOICES = ["partner", "group", "hs2", "hs4", "hs6"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise DataError("records", None, "arguments", message)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m tradelib records", description="Totals, shares and growth from trade records.")
    p.add_argument("files", nargs="*", metavar="FILE", help="UN Comtrade (Plus or legacy) or CEPII BACI files")
    p.add_argument("--live", action="store_true", help="fetch the records from the UN Comtrade API (cached; the "
                   "full API with COMTRADE_API_KEY set, else the preview, 500 records a call)")
    p.add_argument("--reporter", required=True, help="ISO3 code of the reporter, whatever codes the file uses")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--year", type=int, help="a year, e.g. 2022")
    when.add_argument("--period", help="a month (2024-06), a run of months of one year (2024-01..06) or a year (2024)")
    p.add_argument("--flow", choices=["X", "M"], default=None,
                   help="X exports (default) or M imports; required for an extract with no flow column")
    p.add_argument("--by", choices=BY_CHOICES, default="partner", help="what to break the total down by")
    p.add_argument("--top", type=int, default=10, help="how many items to list (default 10)")
    p.add_argument("--format", choices=["table", "csv"], default="table", help="table (default) or csv")
    p.add_argument("--groups", default=None, metavar="CSV", help="partner groups for --by group, in the columns "
                   "of tradelib/data/groups.csv (default: the bundled groups)")
    p.add_argument("--store", default=None, help="folder of the Parquet copies (default $TRADELIB_STORE or "
                   "~/.cache/tradelib/records)")
    return p


def _reporter(records: query.Records, text: str) -> str:
    iso = text.strip().upper()
    held = records.reporters()
    if iso in held:
        return iso
    # a numeric code, or an ISO code the provider replaces (IND for 699 ...)
    code = int(iso) if iso.isdigit() else areas.code_of_iso3(iso)
    if code is not None and areas.iso3(code) in held:
        return areas.iso3(code)
    raise DataError("records", None, "reporter", f"no records for reporter {text}; the files hold "
                    f"{', '.join(held[:20])}{' ...' if len(held) > 20 else ''}")


def _live_files(reporter: str, period: Period, flow: str, by: str) -> list:
    """Fetch (or find in the cache) what the table needs: the period and the same period a year earlier."""
    from . import live

    asks = [("TOTAL", None)] if by in ("partner", "group") else \
        [("TOTAL", "WLD"), ({"hs2": "AG2", "hs4": "AG4", "hs6": "AG6"}[by], "WLD")]
    files = [live.fetch(reporter, period.code, flow=flow, partner=p, cmd=c) for c, p in asks]
    try:
        files += [live.fetch(reporter, period.year_earlier().code, flow=flow, partner=p, cmd=c) for c, p in asks]
    except live.LiveDataError:
        pass  # no earlier period published: growth stays empty
    return files


def table(records: query.Records, reporter: str, period: Period, flow: str, by: str, top: int,
          groups: pd.DataFrame | None = None) -> tuple[pd.DataFrame, str]:
    """The rows to print and the coverage line."""
    from . import measures

    dim = "partner" if by == "group" else by
    cur_total = query.totals(records, period, reporter, flow)
    if cur_total.empty:
        held = sorted({c[2] if not c[3] else f"{c[2]}-{c[3]:02d}" for f in records.files for c in f.coverage
                       if c[0] == reporter and c[1] == flow})
        raise DataError("records", None, "period", f"no {schema.FLOW_NAMES.get(flow, flow)} of {reporter} in "
                        f"{period.label}; the files hold {', '.join(str(h) for h in held) or 'none for that flow'}")
    prev = period.year_earlier()
    prev_total = query.totals(records, prev, reporter, flow)
    items = query.totals(records, period, reporter, flow, by=dim)
    prev_items = query.totals(records, prev, reporter, flow, by=dim)
    total = float(cur_total["value"].iloc[0])
    total_prev = float(prev_total["value"].iloc[0]) if not prev_total.empty else None
    cur = items.set_index("item")["value"]
    old = prev_items.set_index("item")["value"] if not prev_items.empty else pd.Series(dtype=float)
    if by == "group":
        if groups is None:
            from .. import sources
            groups = sources.read_csv_rows(sources.paths.GROUPS_CSV, sources.GROUP_COLUMNS)
        as_of = period.end.isoformat()
        cur = measures.by_group(cur, groups, as_of)["value"].dropna()
        old = measures.by_group(old, groups, as_of)["value"].dropna() if not old.empty else old
    out = pd.DataFrame({"value": cur})
    out["share"] = measures.shares(out["value"], total)
    out["growth"] = measures.growth(out["value"], old.reindex(out.index)) if total_prev is not None else float("nan")
    out = out.sort_values("value", ascending=False).head(top)
    kind = "product" if by.startswith("hs") else "area"
    out.insert(0, "name", [records.name(kind, c, default="") if by != "group" else c for c in out.index])
    head = pd.DataFrame({"name": [f"{records.name('area', reporter)}, {schema.FLOW_NAMES.get(flow, flow)}"],
                         "value": [total],
                         "share": [100.0],
                         "growth": [measures.growth(total, total_prev) if total_prev is not None else float("nan")]},
                        index=[schema.TOTAL])
    result = pd.concat([head, out])
    result.index.name = "code"
    return result.reset_index(), _coverage_line(records, period, reporter, flow, cur_total, items, by)


def _coverage_line(records, period, reporter, flow, cur_total, items, by) -> str:
    """rows for the period, rows used (total, breakdown), rows left out and why, and what the total covers."""
    lo = query.left_out(records, period, reporter, flow)
    total_rows = int(lo["rows"].sum())
    basis = cur_total["basis"].iloc[0]
    level = int(cur_total["level"].iloc[0])
    used_total = int(cur_total["rows"].iloc[0])
    used_items = int(items["rows"].sum()) if not items.empty else 0
    what = "partner" if by in ("partner", "group") else f"{by[2:]}-digit product"
    used = (f"{used_total:,} used for the total ({'the World row' if basis == 'world row' else 'the sum of the partners'})"
            + ("" if basis != "world row" else f", {used_items:,} {what} rows for the breakdown"))
    reasons = lo[lo.breakdown != ""].groupby("breakdown")["rows"].sum()
    notes = [f"{int(n):,} {r}" + ("" if r.startswith(("duplicate", "same")) else " breakdowns")
             for r, n in reasons.items()]
    plain = lo[lo.breakdown == ""]
    finer = int(plain[plain.level > level]["rows"].sum())
    if finer and by in ("partner", "group"):
        notes.append(f"{finer:,} product rows finer than the total beside it")
    out = f"coverage: {total_rows:,} rows for {period.label}; {used}; left out: {'; '.join(notes) if notes else 'none'}"
    if basis == "world row" and by in ("partner", "group") and used_items:
        total = float(cur_total["value"].iloc[0])
        share = float(items["value"].sum()) / total * 100 if total else float("nan")
        if abs(share - 100) >= 0.05:
            out += f"; the partners add up to {share:.1f}% of the World row"
    if basis != "world row":
        out += "; no World row, so the total is the sum of the partners held"
        if by == "partner":
            out += f" ({items['item'].nunique()})"
    if period.is_year and query._annual_from_months(records, period, reporter, flow):
        out += f"; the year is the sum of the {len(query.months_held(records, period, reporter, flow))} month(s) held"
    if level > 0:
        out += f"; the records hold product codes of {level} digits only, not all products"
    return out


def _fmt_table(df: pd.DataFrame) -> str:
    show = df.copy()
    show["value"] = show["value"].map(lambda v: f"{v:,.0f}")
    show["share"] = show["share"].map(lambda v: "" if pd.isna(v) else f"{v:.1f}")
    show["growth"] = show["growth"].map(lambda v: "" if pd.isna(v) else f"{v:+.1f}")
    show["name"] = show["name"].map(lambda s: (s[:40] + "…") if isinstance(s, str) and len(s) > 41 else s)
    return show.to_string(index=False)


def main(argv: list[str]) -> int:
    try:
        args = parser().parse_args(argv)
        if args.top < 1:
            raise DataError("records", None, "arguments", "--top must be 1 or more")
        period = Period(args.year) if args.year is not None else Period.parse(args.period)
        files = list(args.files)
        if args.live:
            from . import live

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", live.TruncatedWarning)
                files += _live_files(args.reporter, period, args.flow or "X", args.by)
            for w in caught:
                print(f"tradelib records: warning: {w.message}", file=sys.stderr)
        if not files:
            raise DataError("records", None, "arguments", "give one or more FILEs, or --live")
        groups = None
        if args.groups:
            from .. import sources
            groups = sources.read_csv_rows(args.groups, ["group", "member", "valid_from", "valid_to"],
                                           optional=("name", "source_id", "note"))
        records = query.load(files, reporter=args.reporter, flow=args.flow, store=args.store)
        reporter = _reporter(records, args.reporter)
        flow = args.flow or "X"
        df, coverage = table(records, reporter, period, flow, args.by, args.top, groups)
    except TradelibError as e:
        print(f"tradelib records: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tradelib records: interrupted", file=sys.stderr)
        return 130
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False)
        print(coverage, file=sys.stderr)
    else:
        print(_fmt_table(df))
        print(coverage)
    return 0
