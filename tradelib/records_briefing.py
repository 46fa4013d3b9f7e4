"""A briefing computed from trade records, for any reporter and any period (a year, a month, a year to date).

:class:`Computed` reads what the briefing needs from :mod:`tradelib.records` once: the totals of each flow
for the period and the same period a year earlier, partners and products with their shares, growth and
contributions, concentration over every comparable period the records hold, the biggest movers and, where
the partners' own records are loaded, a mirror comparison. Every number is a :class:`~tradelib.metrics.Fact`
whose source is the records file it was computed from, with the rows it used in its note.

The sentence functions below return :class:`Text` (plain text and the facts it cites); the markup (HTML,
citation marks, escaping) is added by :mod:`tradelib.markup` only. :data:`SECTIONS` declares the briefing
once — its sections, each with its sentences and charts — and the notebook walks that list.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from . import fmt
from .errors import DataError
from .metrics import Fact
from .period import Period
from .records import measures, query, schema
from .reporter import Reporter
from .text import Text

CURRENCY = schema.CURRENCY
TOP = 5                   # partners and products named in the text
CHART_TOP = 10            # bars in a chart
MOVERS = 3
MONTHS_SHOWN = 36         # months in the chart of a monthly briefing
FLAT = 0.05               # a change that rounds to 0.0% is "flat"
# the lead: how newsworthy each kind of fact is (highest first), a change's score growing with its size
NEWS_RULES = {"a flow moving": 40, "the balance changing sign": 80, "a partner moving": 30, "a product moving": 25,
              "concentration moving": 10, "a first period": 20}
PARTNER_SHIFT_PCT = 10
CONCENTRATION_SHIFT = 0.1   # a relative change of the HHI of a tenth or more is news
FLOW_WORDS = {"X": "exports", "M": "imports"}
PARTNER_ROLE = {"X": ("market", "markets"), "M": ("supplier", "suppliers")}
PREPOSITION = {"X": "to", "M": "from"}


# ------------------------------------------------------------------------------------------ what is computed
@dataclass
class FlowFigures:
    flow: str
    value: Fact
    previous: Fact | None
    growth: Fact | None
    basis: str                 # "world row" or "sum of partners"
    level: int                 # 0: all products; else the digits of the codes held
    rows: int
    partners: pd.DataFrame     # index ISO3; name, value, previous, share, growth, contribution_pp
    products: pd.DataFrame     # index code; same columns (chapters, or the codes held)
    sections: pd.DataFrame     # index section; same columns (empty without chapters)
    concentration: pd.DataFrame  # index period code; hhi, equivalent, partners
    mirror: pd.DataFrame       # index ISO3; reported, mirror, gap, gap_pct (exports only)
    series: pd.Series          # value by comparable period held (index: Period)
    months: pd.Series = None   # value by month, the last MONTHS_SHOWN months to the period's end (monthly records)


class Computed:
    """Everything a records briefing says about ``reporter`` in ``period``, computed from ``records``."""

    def __init__(self, records: query.Records, reporter: Reporter, period: Period, flows: tuple[str, ...] = ("X", "M"),
                 lookup=None):
        self.records = records
        self.lookup = lookup      # a tradelib.lookup.Lookup that also holds published figures, or None
        self.reporter = reporter
        self.period = period
        self.earlier = period.year_earlier()
        self.source_ids = tuple(source_id(f) for f in records.files)
        self.flows: dict[str, FlowFigures] = {}
        for flow in flows:
            ff = self._flow(flow)
            if ff is not None:
                self.flows[flow] = ff
        if not self.flows:
            held = sorted({(c[0], c[2], c[3]) for f in records.files for c in f.coverage})
            mine = sorted({Period(y, m, m).code if m else str(y) for r, y, m in held if r == reporter.iso3})
            if len(mine) > 6:
                mine = [f"{len(mine)} periods from {mine[0]} to {mine[-1]}"]
            raise DataError("records", None, "period", f"the records hold nothing for {reporter.iso3} in {period.label}"
                            + (f"; they hold {', '.join(mine[:24])}" if mine else
                               f"; they hold the reporters {', '.join(sorted({h[0] for h in held})[:20])}")
                            + ". Choose one of those, or add the file that covers it")

    # -------------------------------------------------------------------------------- facts
    def fact(self, value: float, unit: str, label: str, rows: int = 0, period: Period | None = None) -> Fact:
        p = period or self.period
        return Fact(float(value), unit, label, p.year, source_ids=self.source_ids, reported=False,
                    basis=CURRENCY if unit == "percent" else "",
                    note=f"computed from {rows:,} records rows" if rows else "computed from the records")

    def name(self, code: str) -> str:
        """A partner's display name: the reporter files' own names first, then the records' code lists."""
        from . import reporter as reporters

        if code == self.reporter.iso3:
            return "re-imports"
        if code in self.reporter.partner_names:
            return self.reporter.partner_names[code]
        try:
            own = reporters.load(code)
            if own.file:
                return own.name
        except DataError:
            pass
        return self.records.name("area", code)

    def product_name(self, code: str) -> str:
        n = self.records.name("product", code, default="")
        return n if n else f"HS {code}"

    # -------------------------------------------------------------------------------- one flow
    def _totals(self, period: Period, flow: str, by: str | None = None) -> pd.DataFrame:
        return query.totals(self.records, period, self.reporter.iso3, flow, by=by)

    def _flow(self, flow: str) -> FlowFigures | None:
        cur = self._totals(self.period, flow)
        if cur.empty:
            return None
        prev = self._totals(self.earlier, flow)
        row = cur.iloc[0]
        words = FLOW_WORDS[flow]
        value = self.fact(row["value"], CURRENCY, words, int(row["rows"]))
        previous = (self.fact(prev["value"].iloc[0], CURRENCY, words, int(prev["rows"].iloc[0]), self.earlier)
                    if not prev.empty else None)
        growth = (self.fact(measures.growth(value.value, previous.value), "percent", f"growth of {words}")
                  if previous is not None and previous.value else None)
        level = int(row["level"])
        partners = self._breakdown(flow, "partner", value.value, previous)
        partners["name"] = [self.name(c) for c in partners.index]
        products = self._breakdown(flow, "hs2" if level == 0 else f"hs{level}", value.value, previous)
        products["name"] = [self.product_name(c) for c in products.index]
        sections = pd.DataFrame()
        if level <= 2 and not products.empty:
            table = measures.hs_sections()
            cur_s = measures.by_section(products["value"], table)
            prev_s = measures.by_section(products["previous"].dropna(), table) if previous is not None else None
            sections = _frame(cur_s, prev_s, value.value, previous)
            titles = table.set_index("section")["title"]
            sections["name"] = [f"{titles.get(s, s)}" for s in sections.index]
        return FlowFigures(flow, value, previous, growth, row["basis"], level, int(row["rows"]), partners, products,
                           sections, self._concentration(flow), self._mirror(flow), self._series(flow),
                           self._months(flow))

    def _breakdown(self, flow: str, by: str, total: float, previous: Fact | None) -> pd.DataFrame:
        cur = self._totals(self.period, flow, by).set_index("item")["value"]
        old = self._totals(self.earlier, flow, by).set_index("item")["value"] if previous is not None else None
        return _frame(cur, old, total, previous)

    def comparable(self) -> list[Period]:
        """The periods held that compare with this one: every year, or the same months of every year."""
        years = sorted(y for y in self.records.years() if y <= self.period.year)
        return [Period(y, self.period.first, self.period.last) for y in years]

    def _concentration(self, flow: str) -> pd.DataFrame:
        rows = {}
        for p in self.comparable():
            try:
                v = self._totals(p, flow, "partner")["value"]
            except DataError:
                continue   # a run of months not complete that year
            v = v[v > 0]
            if len(v) < 2:
                continue
            rows[p] = {"hhi": measures.hhi(v), "equivalent": measures.equivalent_number(v), "partners": len(v)}
        return pd.DataFrame.from_dict(rows, orient="index")

    def _series(self, flow: str) -> pd.Series:
        out = {}
        for p in self.comparable():
            try:
                t = self._totals(p, flow)
            except DataError:
                continue
            if not t.empty:
                out[p] = float(t["value"].iloc[0])
        return pd.Series(out, dtype=float)

    def _months(self, flow: str) -> pd.Series:
        """The months held among the last MONTHS_SHOWN to the end of a monthly period (empty for a year)."""
        if self.period.is_year:
            return pd.Series(dtype=float)
        out = {}
        y, m = self.period.year, self.period.last
        for _ in range(MONTHS_SHOWN):
            if y in self.records.years():
                t = self._totals(Period(y, m), flow)
                if not t.empty:
                    out[Period(y, m)] = float(t["value"].iloc[0])
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        return pd.Series(out, dtype=float).sort_index()

    def _mirror(self, flow: str) -> pd.DataFrame:
        if flow != "X" or len(self.records.reporters()) < 2:
            return pd.DataFrame()
        try:
            m = query.mirror(self.records, self.period, self.reporter.iso3, flow)
        except DataError:
            return pd.DataFrame()
        m["name"] = [self.name(c) for c in m.index]
        return m

    # -------------------------------------------------------------------------------- what the records cover
    def scope_words(self, flow: str) -> str:
        """"exports", or "imports of integrated circuits (HS 8542)" where the records hold some products only."""
        ff = self.flows[flow]
        words = FLOW_WORDS[flow]
        if ff.level == 0:
            return words
        codes = list(ff.products.index)
        if len(codes) == 1:
            n = self.records.name("product", codes[0], default="")
            return f"{words} of {_lower(n)} (HS {codes[0]})" if n else f"{words} of HS {codes[0]}"
        return f"{words} of the {fmt.count_word(len(codes))} products held (HS {fmt.and_list(codes)})"

    def balanced(self) -> bool:
        """Both flows held, on the same products: a balance and a total of the two mean something."""
        if set(self.flows) != {"X", "M"}:
            return False
        x, m = self.flows["X"], self.flows["M"]
        return x.level == m.level and (x.level == 0 or set(x.products.index) == set(m.products.index))

    def rows_in_period(self, flow: str) -> pd.DataFrame:
        """The period's records rows by reason left out ("" for rows that can be used)."""
        lo = query.left_out(self.records, self.period, self.reporter.iso3, flow)
        return lo.groupby("breakdown", as_index=True)["rows"].sum()

    def partner_scope(self, flow: str) -> str:
        """"" when the total is the World row; else what the sum of partners covers."""
        ff = self.flows[flow]
        if ff.basis == "world row":
            return ""
        return f"summed over the {int((ff.partners['value'] > 0).sum())} partners the records hold"


def _held_in(f) -> str:
    return "a file of records supplied for it" if f.format == "extract" else f"the {f.label} database"


def source_id(f) -> str:
    return f"records-{f.sha256[:12]}"


def sources_table(records: query.Records) -> pd.DataFrame:
    """The records files as sources (for the numbered sources list): publisher, title, where, when."""
    where = {"UN Comtrade Plus": "https://comtradeplus.un.org/", "UN Comtrade (legacy)": "https://comtradeplus.un.org/",
             "CEPII BACI": "https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37"}
    rows = []
    for f in records.files:
        url = next((u for k, u in where.items() if f.label.startswith(k.split(" (")[0])), "")
        publisher = ("CEPII" if f.label.startswith("CEPII") else "United Nations, UN Comtrade" if url else
                     "Records supplied for this briefing")
        rows.append({"source_id": source_id(f), "publisher": publisher,
                     "title": f"{f.label} records ({f.classification}), file {f.name}, {f.rows:,} rows",
                     "url": url, "published": "", "accessed": f.modified[:10], "kind": "records", "seen_at": ""})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------ helpers
def _frame(cur: pd.Series, old: pd.Series | None, total: float, previous: Fact | None) -> pd.DataFrame:
    df = pd.DataFrame({"value": cur.astype(float)})
    df["share"] = measures.shares(df["value"], total)
    if old is not None and previous is not None:
        c, p = cur.astype(float), old.astype(float)
        full = pd.DataFrame({"value": c, "previous": p}).fillna(0.0)
        df = df.reindex(full.index)
        df["value"] = full["value"]
        df["share"] = measures.shares(full["value"], total)
        df["previous"] = full["previous"]
        df["growth"] = measures.growth(full["value"], full["previous"])
        df["contribution_pp"] = measures.contributions(full["value"], full["previous"], previous.value)
    else:
        df["previous"] = float("nan")
        df["growth"] = float("nan")
        df["contribution_pp"] = float("nan")
    return df.sort_values("value", ascending=False)


def _lower(name: str) -> str:
    """A product name inside a sentence: "Electronic integrated circuits" -> "electronic integrated circuits"."""
    return name[:1].lower() + name[1:] if name[:2] != name[:2].upper() else name


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _money(v: float) -> str:
    return fmt.money(v, CURRENCY)


def _change(g: float | None, against: str) -> str:
    """"up 7.0% on 2021", "down 3.2% on June 2023", "flat on 2021"."""
    if g is None or pd.isna(g):
        return ""
    if abs(g) < FLAT:
        return f"flat {against}"
    return f"{fmt.up_down(g)} {against}"


# ------------------------------------------------------------------------------------------ sentences
def headline(c: Computed) -> Text:
    """Each flow's value and change; the total and balance where both flows are held on the same scope."""
    out, facts = [], []
    for flow, ff in c.flows.items():
        subject = f"{c.reporter.possessive} {c.scope_words(flow)}"
        s = f"{subject} came to {_money(ff.value.value)} in {c.period.label}"
        if ff.growth is not None:
            s += f", {_change(ff.growth.value, c.period.against())} (from {_money(ff.previous.value)})"
        if c.partner_scope(flow):
            s += f", {c.partner_scope(flow)}"
        out.append(_cap(s) + ".")
        facts += [ff.value, ff.previous]
    if all(ff.growth is None for ff in c.flows.values()):
        out.append(f"The records hold no {c.earlier.label} to compare with.")
    return Text(" ".join(out), facts)


def balance(c: Computed) -> Text:
    if not c.balanced():
        return Text("")
    x, m = c.flows["X"], c.flows["M"]
    b = x.value.value - m.value.value
    word = "surplus" if b >= 0 else "deficit"
    s = f"The trade {word} came to {_money(abs(b))}"
    if x.previous is not None and m.previous is not None:
        pb = x.previous.value - m.previous.value
        if (pb >= 0) == (b >= 0):
            s += f", {'up' if abs(b) > abs(pb) else 'down'} from {_money(abs(pb))} in {c.earlier.label}"
        else:
            s += f", against a {'surplus' if pb >= 0 else 'deficit'} of {_money(abs(pb))} in {c.earlier.label}"
    total = x.value.value + m.value.value
    s += f"; total trade (exports plus imports) was {_money(total)}."
    return Text(s, [x.value, m.value, x.previous, m.previous])


def partners(c: Computed, flow: str) -> Text:
    ff = c.flows.get(flow)
    if ff is None or ff.partners.empty:
        return Text("")
    top = ff.partners.head(TOP)
    role = PARTNER_ROLE[flow][1 if len(top) > 1 else 0]
    items = [f"{r.name} ({fmt.percent(r.share)})" for r in top.itertuples()]
    share = float(top["share"].sum())
    s = (f"The largest {role} were {fmt.and_list(items)}" if len(top) > 1 else f"The only {role} was {items[0]}")
    s += (f", together {fmt.percent(share)} of {c.scope_words(flow)}." if len(top) > 1 and share < 99.95 else ".")
    if ff.growth is not None and abs(ff.growth.value) >= FLAT:
        word = "rise" if ff.growth.value > 0 else "fall"
        up = ff.partners[ff.partners["contribution_pp"] > 0].sort_values("contribution_pp", ascending=False).head(MOVERS)
        down = ff.partners[ff.partners["contribution_pp"] < 0].sort_values("contribution_pp").head(MOVERS)
        bits = []
        if not up.empty:
            bits.append("added most: " + fmt.and_list([f"{r.name} ({fmt.pp_short(r.contribution_pp)})" for r in up.itertuples()]))
        if not down.empty:
            bits.append("took most away: " + fmt.and_list([f"{r.name} ({fmt.pp_short(r.contribution_pp)})"
                                                     for r in down.itertuples()]))
        if bits:
            s += (f" Of the {fmt.percent(abs(ff.growth.value))} {word}, in percentage points, the partners that "
                  + "; those that ".join(bits) + ".")
    return Text(s, [ff.value])


def products(c: Computed, flow: str) -> Text:
    ff = c.flows.get(flow)
    if ff is None or len(ff.products) < 2:
        return Text("")
    if not ff.sections.empty:
        table, what = ff.sections, "sections of the Harmonized System"
    else:
        table, what = ff.products, "products"
    top = table.head(3)
    items = [f"{_lower(r.name)} ({fmt.percent(r.share)})" for r in top.itertuples()]
    s = f"By {what}, the largest shares of {c.scope_words(flow)} were {fmt.and_list(items)}."
    if ff.growth is not None and table["contribution_pp"].notna().any():
        lead = table.reindex(table["contribution_pp"].abs().sort_values(ascending=False).index).head(MOVERS)
        s += (" Contributions to the change, in percentage points: "
              + fmt.and_list([f"{_lower(r.name)} {fmt.pp_short(r.contribution_pp)}" for r in lead.itertuples()]) + ".")
    return Text(s, [ff.value])


def concentration(c: Computed, flow: str) -> Text:
    ff = c.flows.get(flow)
    if ff is None or ff.concentration.empty or c.period not in ff.concentration.index:
        return Text("")
    now = ff.concentration.loc[c.period]
    s = (f"{_cap(c.scope_words(flow))} went to {int(now.partners)} partners" if flow == "X" else
         f"{_cap(c.scope_words(flow))} came from {int(now.partners)} partners")
    s += (f"; the Herfindahl–Hirschman index of their shares was {fmt.number(now.hhi, 3)}, as concentrated as "
          f"{fmt.number(now.equivalent, 0)} partners of equal size would be")
    hist = ff.concentration.drop(c.period)
    before = hist[hist.index < c.period]
    if c.earlier in before.index:
        old = float(before.loc[c.earlier, "hhi"])
        word = ("more concentrated than" if now.hhi > old * (1 + 0.005) else
                "less concentrated than" if now.hhi < old * (1 - 0.005) else "about as concentrated as")
        s += f", {word} in {c.earlier.label} ({fmt.number(old, 3)})"
    if len(before) >= 3:
        first = min(before.index)
        if now.hhi >= before["hhi"].max():
            s += f"; the most concentrated since at least {first.label}"
        elif now.hhi <= before["hhi"].min():
            s += f"; the least concentrated since at least {first.label}"
    return Text(s + ".", [ff.value])


def movers(c: Computed, flow: str) -> Text:
    ff = c.flows.get(flow)
    if ff is None or ff.growth is None:
        return Text("")
    out = []
    for table, kind in ((ff.partners, "partners"), (ff.products if len(ff.products) > 1 else pd.DataFrame(), "products")):
        if table.empty:
            continue
        ch = (table["value"] - table["previous"]).dropna()
        up, down = ch[ch > 0].nlargest(MOVERS), ch[ch < 0].nsmallest(MOVERS)

        def item(code, delta):
            name = table.loc[code, "name"]
            name = _lower(name) if kind == "products" else name
            g = table.loc[code, "growth"]
            rate = f", {fmt.signed_percent(g)}" if pd.notna(g) and table.loc[code, "previous"] > 0 else ", new"
            return f"{name} ({'+' if delta > 0 else fmt.MINUS}{_money(abs(delta))}{rate})"

        bits = []
        if not up.empty:
            bits.append("rose most: " + fmt.and_list([item(k, v) for k, v in up.items()]))
        if not down.empty:
            bits.append("fell most: " + fmt.and_list([item(k, v) for k, v in down.items()]))
        if bits:
            word = "Partners" if kind == "partners" else "Products"
            out.append(f"{word} whose {FLOW_WORDS[flow]} " + "; ".join(bits) + ".")
    return Text(" ".join(out), [ff.value, ff.previous])


def mirror(c: Computed) -> Text:
    ff = c.flows.get("X")
    if ff is None or ff.mirror.empty:
        return Text("")
    items = []
    for code, r in ff.mirror.sort_values("reported", ascending=False).iterrows():
        if not r["reported"] or pd.isna(r["mirror"]):
            continue
        pct = (r["mirror"] / r["reported"] - 1) * 100
        how = ("about the same as" if abs(pct) < 0.5 else
               f"{fmt.percent(abs(pct))} {'more' if pct > 0 else 'less'} than")
        items.append(f"{r['name']} recorded imports from {c.reporter.name} of {_money(r['mirror'])}, {how} the "
                     f"{_money(r['reported'])} of exports {c.reporter.name} reported to it")
    if not items:
        return Text("")
    s = (_cap("; ".join(items)) + ". "
         "Importers value goods with freight and insurance (CIF) and exporters without (FOB), and goods shipped "
         "through a third country can be booked against different partners, so the two sides rarely match.")
    return Text(s, [ff.value])


def against_published(c: Computed) -> Text:
    """The records' totals beside the figures the reporter's publisher released, where both are held."""
    if c.lookup is None:
        return Text("")
    items, facts = [], []
    for flow, ff in c.flows.items():
        if ff.level != 0 or ff.basis != "world row":
            continue
        pub, comp = c.lookup.both(FLOW_WORDS[flow], c.period)
        if pub is None or comp is None:
            continue
        gap = (comp.value / pub.value - 1) * 100
        how = "the same amount" if abs(gap) < 0.05 else f"{fmt.percent(abs(gap))} {'more' if gap > 0 else 'less'}"
        items.append(f"{FLOW_WORDS[flow]} of {_money(comp.value)} against the {_money(pub.value)} "
                     f"{c.reporter.publisher_short or 'the publisher'} published ({how})")
        facts += [comp, pub]
    if not items:
        return Text("")
    return Text(f"The records give {fmt.and_list(items)}. Records are revised after the first release and count some "
                "flows differently, so small gaps are usual.", facts)


def lead(c: Computed) -> list[Text]:
    """The main points: the period's most newsworthy facts, chosen by :data:`NEWS_RULES`."""
    found: list[tuple[float, Text]] = []
    for flow, ff in c.flows.items():
        what = _cap(c.scope_words(flow))
        if ff.growth is None:
            found.append((NEWS_RULES["a first period"], Text(f"{what} came to {_money(ff.value.value)} in "
                                                             f"{c.period.label}.", [ff.value])))
            continue
        found.append((NEWS_RULES["a flow moving"] + abs(ff.growth.value),
                      Text(f"{what} {'were flat' if abs(ff.growth.value) < FLAT else fmt.change_verb(ff.growth.value)} "
                           f"{c.period.against()}, to {_money(ff.value.value)}.", [ff.value, ff.previous])))
        big = ff.partners[(ff.partners["share"] >= 1) & (ff.partners["growth"].abs() >= PARTNER_SHIFT_PCT)]
        if not big.empty:
            r = big.loc[big["contribution_pp"].abs().idxmax()]
            found.append((NEWS_RULES["a partner moving"] + abs(r.contribution_pp),
                          Text(f"{_cap(FLOW_WORDS[flow])} {PREPOSITION[flow]} {r['name']} "
                               f"{fmt.change_verb(r.growth)}, the largest contribution to the change among "
                               f"partners ({fmt.pp_short(r.contribution_pp)}).", [ff.value])))
        conc = ff.concentration
        if c.period in conc.index and c.earlier in conc.index:
            a, b = float(conc.loc[c.earlier, "hhi"]), float(conc.loc[c.period, "hhi"])
            if a and abs(b / a - 1) >= CONCENTRATION_SHIFT:
                found.append((NEWS_RULES["concentration moving"],
                              Text(f"{_cap(FLOW_WORDS[flow])} became {'more' if b > a else 'less'} concentrated on "
                                   f"few partners (Herfindahl–Hirschman index {fmt.number(a, 3)} to "
                                   f"{fmt.number(b, 3)}).", [ff.value])))
    if set(c.flows) == {"X", "M"} and all(ff.previous is not None for ff in c.flows.values()):
        b = c.flows["X"].value.value - c.flows["M"].value.value
        pb = c.flows["X"].previous.value - c.flows["M"].previous.value
        if (b >= 0) != (pb >= 0):
            found.append((NEWS_RULES["the balance changing sign"],
                          Text(f"The trade balance turned to a {'surplus' if b >= 0 else 'deficit'} of "
                               f"{_money(abs(b))}.", [c.flows["X"].value, c.flows["M"].value])))
    elif c.balanced():
        b = c.flows["X"].value.value - c.flows["M"].value.value
        found.append((NEWS_RULES["a first period"] - 1,
                      Text(f"The trade {'surplus' if b >= 0 else 'deficit'} came to {_money(abs(b))}.",
                           [c.flows["X"].value, c.flows["M"].value])))
    found.sort(key=lambda x: -x[0])
    return [t for _, t in found[:3]]


def methods(c: Computed) -> Text:
    """What the figures are and how they were computed (for the closing section)."""
    parts = [f"This briefing is computed from trade records, not from a statistical release: "
             f"{c.reporter.possessive} trade as held in {fmt.and_list(sorted({_held_in(f) for f in c.records.files}))}, "
             f"in US dollars as the records give them (not in {c.reporter.possessive} own currency)."]
    for flow, ff in c.flows.items():
        basis = ("the reporter's World row" if ff.basis == "world row" else
                 f"the sum over the partners held (the records have no World row)")
        scope = ("all products" if ff.level == 0 else
                 f"only the products held, at {ff.level} digits of the Harmonized System")
        rows = c.rows_in_period(flow)
        kept = int(rows.get("", 0))
        out = "; ".join(f"{int(n):,} {why}" for why, n in rows.items() if why)
        parts.append(f"{_cap(FLOW_WORDS[flow])}: {kept + int(rows.sum() - kept):,} records rows for {c.period.label}"
                     + (f", of which left out: {out}" if out else "")
                     + f"; the total is {basis} and covers {scope}.")
    if not c.period.is_year:
        parts.append(f"{c.period.label} is compared with {c.earlier.label}, the same months a year earlier.")
    parts.append("Growth is the change on the same period a year earlier; a contribution is a partner's or a "
                 "product's change as percentage points of the earlier total, so contributions add up to the "
                 "growth of the total. Concentration is the Herfindahl–Hirschman index, the sum of squared shares "
                 "(1 when one partner takes everything). Rows that break a total down, repeat a cell or aggregate "
                 "partners are left out of every sum.")
    return Text(" ".join(parts), [])


# ------------------------------------------------------------------------------------------ the briefing, declared once
@dataclass(frozen=True)
class Part:
    kind: str                         # "text", "points", "keyfigures", "chart", "table"
    build: Callable[[Computed], object]


@dataclass(frozen=True)
class Section:
    title: Callable[[Computed], str] | str
    parts: tuple[Part, ...]


def _per_flow(fn, flow):
    return lambda c: fn(c, flow)


SECTIONS: tuple[Section, ...] = (
    Section("Main points", (Part("points", lead),)),
    Section("Key figures", (Part("keyfigures", lambda c: c),)),
    Section("The period", (Part("text", headline), Part("text", balance), Part("chart", lambda c: ("months", c)),
                           Part("chart", lambda c: ("series", c)))),
    Section("Partners", (Part("text", _per_flow(partners, "X")), Part("chart", lambda c: ("partners", c, "X")),
                         Part("text", _per_flow(partners, "M")), Part("chart", lambda c: ("partners", c, "M")),
                         Part("text", _per_flow(concentration, "X")), Part("text", _per_flow(concentration, "M")))),
    Section("Products", (Part("text", _per_flow(products, "X")), Part("chart", lambda c: ("sections", c, "X")),
                         Part("text", _per_flow(products, "M")), Part("chart", lambda c: ("sections", c, "M")))),
    Section("Biggest movers", (Part("text", _per_flow(movers, "X")), Part("text", _per_flow(movers, "M")))),
    Section("Seen from the partners' side", (Part("text", mirror),)),
)
# The sections an annual briefing on published figures gains when records are given (their titles under one
# heading), the first setting the records' totals beside the published ones.
ADDED_TO_PUBLISHED: tuple[Section, ...] = (
    Section("Published and computed totals", (Part("text", against_published),)),
    *SECTIONS[3:],
)
