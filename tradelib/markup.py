"""HTML for the briefings: the records briefing (:data:`tradelib.records_briefing.SECTIONS`), the monthly
briefing (:data:`tradelib.monthly_briefing.SECTIONS`) and the annual briefing on published figures
(:data:`tradelib.report.ANNUAL_SECTIONS`).

The one place where plain text becomes markup: text from sentences and data is escaped here, citation marks
are added here (:class:`Citations` numbers the sources in order of first use as the page is written, so that
the sources section lists them with the same numbers), charts are embedded here with their captions, text
alternatives and source lines.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from . import charts, fmt
from . import records_briefing as rb
from .metrics import Fact
from .text import Text

if TYPE_CHECKING:
    from .narrative import Narrator, Outlook
    from .report import Chart


def esc(text: str) -> str:
    return html.escape(str(text), quote=False)


def esc_quotes(text: str) -> str:
    """Escaped, quotes as well: the annual briefing's headings, captions, source lines and closing section."""
    return html.escape(str(text))


@dataclass
class Citations:
    """Numbers sources in order of first citation."""

    sources: pd.DataFrame
    order: list[str] = field(default_factory=list)

    def number(self, source_id: str) -> int:
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def mark(self, *facts: Fact | None) -> str:
        """Footnote marks for the facts' primary sources (the first, highest-ranked source of each figure;
        corroborating sources stay in the data and are listed by the data card)."""
        ids: list[str] = []
        for f in facts:
            if f is None or not f.source_ids:
                continue
            primary = f.source_ids[0]
            if primary not in ids:
                ids.append(primary)
        if not ids:
            return ""
        nums = sorted({self.number(s) for s in ids})
        links = ",".join(f'<a href="#src-{a}">{a}</a>' if a == b else
                         f'<a href="#src-{a}">{a}</a>\u2013<a href="#src-{b}">{b}</a>' for a, b in ranges(nums))
        return f'<sup class="fn">[{links}]</sup>'

    def entries(self) -> list[tuple[int, dict]]:
        out = []
        for i, sid in enumerate(self.order, start=1):
            row = self.sources.loc[self.sources.source_id == sid].iloc[0].to_dict()
            out.append((i, row))
        return out

    def markdown(self) -> str:
        lines = []
        for n, s in self.entries():
            pub = f", published {html.escape(s['published'])}" if s.get("published") else ""
            lines.append(f'<p class="source" id="src-{n}"><span class="source-n">[{n}]</span> '
                         f'{html.escape(s["publisher"])}, '
                         f'\u201c{html.escape(s["title"])}\u201d{pub}, '
                         + (f'<a href="{html.escape(s["url"])}">{html.escape(s["url"])}</a> ' if s.get("url") else "")
                         + f'({"file dated" if s.get("kind") == "records" else "accessed"} {html.escape(s["accessed"])}).</p>')
        return "\n".join(lines)


def ranges(nums: list[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 5] -> [(1, 3), (5, 5)]; runs of two stay separate numbers."""
    out: list[tuple[int, int]] = []
    for n in sorted(set(nums)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    split = []
    for a, b in out:
        split += [(a, a), (b, b)] if b == a + 1 else [(a, b)]
    return split


MAX_PUBLISHERS = 3   # a source line names this many publishers, then counts the others


class Page:
    """What the markup of every briefing shares: its numbered :class:`Citations`, text with the marks at its
    anchors, and source lines naming the most cited publishers."""

    citations: Citations
    quote = False   # double quotes escaped in sentences, and publishers' names escaped as attribute-safe text

    def marks(self, facts) -> str:
        return self.citations.mark(*[f for f in facts if f is not None])

    def cited(self, t: Text) -> str:
        """The text escaped, each citation mark at its anchor (all at the end where the text has none)."""
        out = []
        for segment, facts in t.segments():
            text = esc(segment)
            out.append((text.replace('"', "&quot;") if self.quote else text) + self.marks(facts))
        return "".join(out)

    def source_line(self, facts, note: str = "") -> str:
        """"Sources: <the most cited publishers> [n]" from the facts' primary sources, after ``note``."""
        facts = [f for f in facts if f is not None and f.source_ids]
        if not facts:
            return ""
        src = self.citations.sources.set_index("source_id")["publisher"]
        counts: dict[str, int] = {}
        for f in facts:
            p = src.get(f.source_ids[0], "")
            counts[p] = counts.get(p, 0) + 1
        names = sorted(counts, key=lambda p: -counts[p])
        shown = "; ".join(names[:MAX_PUBLISHERS])
        if len(names) > MAX_PUBLISHERS:
            shown += f" and {len(names) - MAX_PUBLISHERS} other publishers"
        label = "Source" if len(names) == 1 else "Sources"
        lead = f"{esc(note)} " if note else ""
        shown = esc_quotes(shown) if self.quote else esc(shown)
        return f'<div class="source-line">{lead}{label}: {shown}{self.marks(facts)}.</div>'


class Markup(Page):
    def __init__(self, computed: rb.Computed, citations: Citations | None = None):
        """``citations``: the numbered sources of a briefing these sections join (the records files are added
        to its sources); by default the records files alone."""
        self.c = computed
        table = rb.sources_table(computed.records)
        self.own_sources = table
        if citations is None:
            citations = Citations(table)
        else:
            new = table[~table.source_id.isin(citations.sources.source_id)]
            citations.sources = pd.concat([citations.sources, new], ignore_index=True)
        self.citations = citations

    # ------------------------------------------------------------------ pieces
    def text(self, t: Text) -> str:
        return f"<p>{self.cited(t)}</p>" if t else ""

    def points(self, items: list[Text]) -> str:
        lis = "".join(f"<li>{self.cited(t)}</li>" for t in items if t)
        return f"<ul>{lis}</ul>" if lis else ""

    def keyfigures(self, c: rb.Computed) -> str:
        rows = []
        for flow, ff in c.flows.items():
            g = fmt.signed_percent(ff.growth.value) if ff.growth is not None else "–"
            prev = rb._money(ff.previous.value) if ff.previous is not None else "–"
            rows.append((rb._cap(c.scope_words(flow)), rb._money(ff.value.value), prev, g))
        if c.balanced():
            x, m = c.flows["X"], c.flows["M"]
            b = x.value.value - m.value.value
            pb = (x.previous.value - m.previous.value) if x.previous is not None and m.previous is not None else None
            rows.append(("Balance", _signed_money(b), _signed_money(pb) if pb is not None else "–", "–"))
        head = f"<tr><th></th><th>{esc(c.period.label)}</th><th>{esc(c.earlier.label)}</th><th>Change</th></tr>"
        if all(ff.previous is None for ff in c.flows.values()):   # nothing to compare with: one column
            rows = [r[:2] for r in rows]
            head = f"<tr><th></th><th>{esc(c.period.label)}</th></tr>"
        body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in r) + "</tr>" for r in rows)
        facts = [f for ff in c.flows.values() for f in (ff.value, ff.previous)]
        return (f'<div class="keybox"><table><thead>{head}</thead><tbody>{body}</tbody></table>'
                f'<div class="source-line">US dollars. Source: {esc(self.publishers())}{self.marks(facts)}.</div></div>')

    def publishers(self) -> str:
        return "; ".join(dict.fromkeys(self.own_sources["publisher"]))

    def figure(self, fig, caption: str, alt: str, facts) -> str:
        return (f'<figure class="chart" id="fig-{charts.slug(caption)}"><figcaption>{esc(caption)}</figcaption>'
                f'{charts.to_svg(fig, alt)}<div class="source-line">Source: {esc(self.publishers())}'
                f'{self.marks(facts)}; computed by tradelib.</div></figure>')

    def chart(self, spec) -> str:
        kind, c, *rest = spec
        if kind == "series":
            return self.series_chart(c)
        if kind == "months":
            return self.months_chart(c)
        if kind == "partners":
            return self.partner_chart(c, rest[0])
        if kind == "sections":
            return self.section_chart(c, rest[0])
        raise ValueError(f"unknown chart {kind!r}")

    def series_chart(self, c: rb.Computed) -> str:
        data = {rb.FLOW_WORDS[f]: ff.series for f, ff in c.flows.items()}
        df = pd.DataFrame(data).sort_index()
        if len(df) < 3:
            return ""   # two bars say nothing the key figures do not
        labels = [str(p.year) for p in df.index]
        fig = charts.flow_bars(df, c.period, rb.CURRENCY, labels)
        what = " and ".join(c.scope_words(f) for f in c.flows)
        when = "" if c.period.is_year else f", {c.period.label.rsplit(' ', 1)[0]} of each year"
        caption = f"{c.reporter.possessive} {what}{when}, {labels[0]}–{labels[-1]} (US dollars)"
        alt = caption + ". " + "; ".join(
            f"{p.label}: " + ", ".join(f"{col} {rb._money(v)}" for col, v in row.items() if pd.notna(v))
            for p, row in df.iterrows()) + "."
        return self.figure(fig, rb._cap(caption), alt, [ff.value for ff in c.flows.values()])

    def months_chart(self, c: rb.Computed) -> str:
        """The last months held, each flow a line, the briefing's month(s) marked."""
        data = {rb.FLOW_WORDS[f]: ff.months for f, ff in c.flows.items() if ff.months is not None and len(ff.months)}
        df = pd.DataFrame(data).sort_index()
        if len(df) < 6:
            return ""
        marked = [i for i, p in enumerate(df.index) if p.year == c.period.year and p.first in c.period.months]
        fig = charts.month_lines(df, [f"{p.label[:3]} {p.year % 100:02d}" for p in df.index], marked, rb.CURRENCY)
        what = " and ".join(c.scope_words(f) for f in c.flows)
        caption = f"{c.reporter.possessive} {what} by month, {df.index[0].label}–{df.index[-1].label} (US dollars)"
        alt = caption + ". " + "; ".join(
            f"{p.label}: " + ", ".join(f"{col} {rb._money(v)}" for col, v in row.items() if pd.notna(v))
            for p, row in df.iterrows()) + "."
        return self.figure(fig, rb._cap(caption), alt, [ff.value for ff in c.flows.values()])

    def partner_chart(self, c: rb.Computed, flow: str) -> str:
        ff = c.flows.get(flow)
        if ff is None or len(ff.partners) < 3:
            return ""
        top = ff.partners.head(rb.CHART_TOP)
        items = [(rb._cap(r.name), float(r.share)) for r in top.itertuples()]
        fig = charts.share_bars(items)
        caption = f"Largest {rb.PARTNER_ROLE[flow][1]}, share of {c.scope_words(flow)}, {c.period.label} (%)"
        alt = caption + ". " + "; ".join(f"{n}: {fmt.percent(v)}" for n, v in items) + "."
        return self.figure(fig, rb._cap(caption), alt, [ff.value])

    def section_chart(self, c: rb.Computed, flow: str) -> str:
        ff = c.flows.get(flow)
        if ff is None or ff.sections.empty or ff.growth is None or len(ff.sections) < 3:
            return ""
        s = ff.sections.dropna(subset=["contribution_pp"])
        s = s.reindex(s["contribution_pp"].abs().sort_values(ascending=False).index).head(rb.CHART_TOP)
        items = [(_short(r.name), float(r.contribution_pp)) for r in s.itertuples()]
        fig = charts.growth_bars(items, (f"{rb._cap(rb.FLOW_WORDS[flow])} growth", ff.growth.value), unit="pp")
        caption = (f"Contributions to the change in {c.scope_words(flow)} by section of the Harmonized System, "
                   f"{c.period.label} (percentage points)")
        alt = caption + ". " + "; ".join(f"{n}: {fmt.pp_short(v)}" for n, v in items) + "."
        return self.figure(fig, caption, alt, [ff.value, ff.previous])

    # ------------------------------------------------------------------ the briefing
    def part(self, part: rb.Part) -> str:
        out = part.build(self.c)
        if part.kind == "text":
            return self.text(out)
        if part.kind == "points":
            return self.points(out)
        if part.kind == "keyfigures":
            return self.keyfigures(out)
        if part.kind == "chart":
            return self.chart(out)
        raise ValueError(f"unknown part {part.kind!r}")

    def section(self, section: rb.Section, level: int = 2) -> str:
        body = "".join(self.part(p) for p in section.parts)
        if not body:
            return ""   # a section without content is left out
        title = section.title(self.c) if callable(section.title) else section.title
        cls = ' class="lead"' if section.parts[0].kind == "points" else ""
        return f"<section{cls}><h{level}>{esc(title)}</h{level}>{body}</section>"

    def added_sections(self, heading: str) -> str:
        """The records sections an annual briefing on published figures gains, under one heading."""
        body = "".join(self.section(s, level=3) for s in rb.ADDED_TO_PUBLISHED)
        if not body:
            return ""
        kinds = fmt.and_list(sorted({f.label for f in self.c.records.files}))
        intro = (f"These sections are computed from {kinds} records, not published by "
                 f"{self.c.reporter.publisher_short or 'the publisher'}: amounts are in US dollars, as the records "
                 "give them, and shares and changes are computed on that basis.")
        return f"<h2>{esc(heading)}</h2><p>{esc(intro)}</p>{body}"

    def about(self) -> str:
        m = rb.methods(self.c)
        return ("<h2>About this briefing</h2>" + f"<p>{esc(m.text)}</p>" + "<h3>Sources</h3>"
                + self.citations.markdown())


def _signed_money(v: float) -> str:
    s = rb._money(abs(v))
    return (fmt.MINUS + s) if v < 0 else s


def _short(name: str) -> str:
    """A section title cut for a chart label."""
    first = name.split(";")[0].split(",")[0].strip()
    return first if len(first) <= 38 else first[:37] + "…"


# ------------------------------------------------------------------------------------------ the monthly briefing


class MonthlyMarkup(Markup):
    """HTML for the monthly briefing (:data:`tradelib.monthly_briefing.SECTIONS`): the same sections, text and
    points as the records briefing, with the monthly key figures, the year-to-date table and the chart of
    the months before."""

    def __init__(self, briefing):
        from . import monthly_briefing as mb

        self.mb = mb
        self.c = briefing
        self.citations = Citations(briefing.data.sources)

    def _table(self, head: list[str], rows: list[list[str]], note: str, facts) -> str:
        th = "".join(f"<th>{esc(h)}</th>" for h in head)
        body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in r) + "</tr>" for r in rows)
        return (f'<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'
                f'<div class="source-line">{esc(note)}</div>{self.source_line(facts)}')

    def keyfigures(self, b) -> str:
        """The month and the year to date in the edition's currency only: levels as published (a balance
        computed from exports and imports marked †) and growth published on the edition's basis."""
        spans = [("month", b.period)] + ([] if b.first_of_year else [("ytd", b.ytd)])
        cols, facts = [], []
        for span, _ in spans:
            col = {}
            for flow, _label in self.mb.KEY_ROWS:
                level = b.level(b.period, span, flow, b.currency)
                g = b.get(b.period, span, flow, "growth_yoy", b.currency) if flow != "balance" else None
                col[flow] = (b.money(level) if level is not None else "–", b.signed(g) if g is not None else "–")
                facts += [level, g]
            cols.append(col)
        rows, head = [], [""]
        keep = []   # (span index, part): columns with at least one figure
        for i, (span, p) in enumerate(spans):
            for part, words in ((0, p.label + (" (also the year to date)" if b.first_of_year else "")),
                                (1, "Change")):   # on the same period a year earlier: the note says so
                if any(cols[i][flow][part] != "–" for flow, _ in self.mb.KEY_ROWS):
                    keep.append((i, part))
                    head.append(words)
        if not keep:
            return ""
        for flow, label in self.mb.KEY_ROWS:
            cells = [cols[i][flow][part] for i, part in keep]
            if any(c != "–" for c in cells):
                rows.append([label] + cells)
        note = (f"In {fmt.currency_name(b.currency)}. Change: growth on the same period a year earlier, as "
                f"published; – not published in {fmt.currency_name(b.currency)}.")
        return f'<div class="keybox monthly">{self._table(head, rows, note, facts)}</div>' 

    def ytdtable(self, b) -> str:
        """The year to date against the same months a year earlier: both levels (one currency) and the
        published growth."""
        if b.first_of_year:
            return ""
        earlier = b.ytd.year_earlier()
        cur = b.currency
        rows, facts = [], []
        for flow, label in self.mb.KEY_ROWS:
            now = b.level(b.period, "ytd", flow, cur)
            then = b.level(b.period.year_earlier(), "ytd", flow, cur)
            g = b.get(b.period, "ytd", flow, "growth_yoy", cur) if flow != "balance" else None
            if now is None or then is None:
                continue
            rows.append([label, b.money(now), b.money(then), b.signed(g) if g is not None else "–"])
            facts += [now, then, g]
        if len(rows) < 2:
            return ""
        head = ["", b.ytd.label, earlier.label, "Change, as published"]
        note = (f"{fmt.currency_title(cur)}. The change is the one published, computed on revised figures for "
                f"{earlier.year}; the {earlier.label} levels are as first published.")
        return f'<figure class="table">{self._table(head, rows, note, facts)}</figure>'

    def chart(self, spec) -> str:
        kind, b = spec
        if kind != "months":
            raise ValueError(f"unknown chart {kind!r}")
        return self.months_chart(b)

    def _basis(self, b, measure: str, window) -> tuple[str | None, dict]:
        """The currency of a chart panel: the edition's where it gives at least half as many points in the
        window as the other, else the other's (named in the caption)."""
        found = {}
        for cur in (b.currency, b.other):
            if cur is None:
                continue
            pts = {flow: {p: b.get(p, "month", flow, measure, cur) for p in window} for flow in ("exports", "imports")}
            pts = {flow: {p: f for p, f in v.items() if f is not None} for flow, v in pts.items()}
            found[cur] = pts
        counts = {c: sum(len(v) for v in pts.values()) for c, pts in found.items()}
        best = b.currency if counts.get(b.currency, 0) * 2 >= max(counts.values(), default=0) else b.other
        if counts.get(best, 0) < self.mb.MIN_CHART_POINTS:
            return None, {}
        return best, found[best]

    def months_chart(self, b) -> str:
        window = b.window()
        lcur, levels = self._basis(b, "value", window)
        gcur, growth = self._basis(b, "growth_yoy", window)
        if lcur is None and gcur is None:
            return ""
        if not any(b.period in pts for pts in list(levels.values()) + list(growth.values())):
            return ""   # the release itself gives no monthly figure: the months before say nothing about it
        # the window starts at the first release with a figure (the figures held begin in a given year)
        first = next(i for i, p in enumerate(window)
                     if any(p in pts for pts in list(levels.values()) + list(growth.values())))
        window = window[first:]
        labels = [_short_label(p) for p in window]
        pos = {p: i for i, p in enumerate(window)}
        lv = gr = None
        facts = []
        if lcur is not None:
            lv = pd.DataFrame({flow: [levels[flow][p].value / len(p.months) if p in levels[flow] else float("nan")
                                      for p in window] for flow in ("exports", "imports")})
            facts += [f for v in levels.values() for f in v.values()]
        if gcur is not None:
            gr = pd.DataFrame({flow: [growth[flow][p].value if p in growth[flow] else float("nan") for p in window]
                               for flow in ("exports", "imports")})
            facts += [f for v in growth.values() for f in v.values()]
        combined = [pos[p] for p in window if p.is_range]
        fig = charts.monthly_chart(lv, gr, labels, pos[b.period], lcur or gcur, combined)
        span = f"{window[0].label} to {b.period.label}"
        bits = []
        if lv is not None:
            bits.append(f"exports and imports by month ({fmt.currency_name(lcur)})")
        if gr is not None:
            terms = "" if gcur == b.currency else f", {fmt.terms(gcur).strip()}"
            bits.append(f"their growth on the same month a year earlier (%{terms})")
        caption = f"{b.reporter.possessive} {' and '.join(bits)}, {span}"
        notes = []
        if lv is not None and lcur != b.currency:
            notes.append(f"levels published in {fmt.currency_name(lcur)} only")
        if combined and lv is not None:
            notes.append(f"{self.mb.month_name(window[combined[0]])}, published as one period, drawn as the "
                         "average of its months")
        notes.append("gaps: months without a figure in the sources")
        alt = caption + ". " + "; ".join(
            f"{p.label}: " + ", ".join(
                ([f"{flow} {b.money(levels[flow][p])}" for flow in ("exports", "imports") if lv is not None and p in levels[flow]])
                + ([f"{flow} growth {b.signed(growth[flow][p])}" for flow in ("exports", "imports")
                    if gr is not None and p in growth[flow]]))
            for p in window if (lv is not None and any(p in levels[f] for f in levels))
            or (gr is not None and any(p in growth[f] for f in growth))) + "."
        return (f'<figure class="chart" id="fig-{charts.slug(caption)}"><figcaption>{esc(caption)}</figcaption>'
                f'{charts.to_svg(fig, alt)}<div class="source-line">{esc(rb._cap("; ".join(notes)))}.</div>'
                f'{self.source_line(facts)}</figure>')

    def part(self, part) -> str:
        if part.kind == "ytdtable":
            return self.ytdtable(part.build(self.c))
        return super().part(part)

    def about(self) -> str:
        m = self.mb.about(self.c)
        return ('<section class="about"><h2>About this briefing</h2>' + f"<p>{esc(m.text)}</p>" + "<h3>Sources</h3>"
                + self.citations.markdown() + "</section>")


def _short_label(p) -> str:
    """"Nov 25", "Jan–Feb 26": a release on a chart axis."""
    import calendar

    if p.is_range:
        return f"{calendar.month_abbr[p.first]}–{calendar.month_abbr[p.last]} {p.year % 100:02d}"
    return f"{calendar.month_abbr[p.first]} {p.year % 100:02d}"


# ------------------------------------------------------------------------------------------ the annual briefing
class AnnualMarkup(Page):
    """HTML for the annual briefing on published figures (:data:`tradelib.report.ANNUAL_SECTIONS`): the
    sentences of a :class:`~tradelib.narrative.Narrator` as paragraphs and points, the key-figures box, charts
    with their source lines, the outlook and the closing section with the numbered sources."""

    def __init__(self, nar: Narrator):
        self.nar = nar
        self.citations = Citations(nar.data.sources)

    quote = True   # no text from the data reads as an attribute

    # ------------------------------------------------------------------ pieces

    def paragraph(self, *texts: Text | None) -> str:
        """A paragraph of the sentences that could be written; nothing when none could."""
        body = " ".join(self.cited(t) for t in texts if t)
        return f"<p>{body}</p>" if body else ""

    def section(self, title: str, *parts: str | None) -> str:
        """A section: its heading and the parts that have content; nothing at all when none has (a section
        without figures is left out of the briefing)."""
        body = "".join(p for p in parts if p)
        return f"<h2>{esc_quotes(title)}</h2>{body}" if body else ""

    def main_points(self, points: list[Text]) -> str:
        """The lead: the year's most newsworthy facts (:meth:`tradelib.narrative.Narrator.main_points`)."""
        items = "".join(f"<li>{self.cited(p)}</li>" for p in points if p)
        return f'<div class="lead"><h2>Main points</h2><ul>{items}</ul></div>' if items else ""

    def key_figures(self, rows: list[tuple[str, Fact | None, Fact | None]]) -> str:
        """The key-figures box in the edition's currency (:func:`tradelib.report.key_figures`): each level
        (converted* or computed† where not published) and its change on the year before, with their marks."""
        nar = self.nar
        cells = []
        for label, f, g in rows:
            level = esc(nar.money(f)) + self.marks([f]) if f is not None else "–"
            change = esc(nar.signed(g)) + self.marks([g]) if g is not None else "–"
            cells.append([esc(label), level, change])
        if not cells:
            return ""
        head = "".join(f'<th scope="col">{esc(h)}</th>' for h in ["", str(nar.year), f"Change on {nar.year - 1}"])
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in cells)
        return (f'<div class="keybox"><h2>Key figures, {nar.year} ({esc(fmt.currency_name(nar.currency))})</h2>'
                f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')

    def figure(self, chart: Chart | None) -> str:
        """A chart (:class:`tradelib.report.Chart`) with its caption, text alternative and source line."""
        if chart is None:
            return ""
        return (f'<figure class="chart" id="fig-{charts.slug(chart.caption)}">'
                f'<figcaption>{esc_quotes(chart.caption)}</figcaption>'
                f'{charts.to_svg(chart.fig, chart.alt or chart.caption)}{self.source_line(chart.facts, chart.note)}'
                '</figure>')

    def outlook(self, outlook: tuple[Outlook, Chart] | None) -> str:
        """The outlook's paragraph, its fan chart and, where the baseline passed its backtest, the test."""
        if outlook is None:
            return ""
        words, chart = outlook
        out = f"<p>{self.cited(words.text)}</p>" + self.figure(chart)
        if words.tested:
            out += f'<p class="meta">{esc(words.tested.text)}</p>'
        return out

    def records(self, computed: rb.Computed, heading: str) -> str:
        """The sections computed from trade records; their sources join the briefing's numbered sources."""
        return Markup(computed, citations=self.citations).added_sections(heading)

    def about(self) -> str:
        """"About this briefing" (:meth:`tradelib.narrative.Narrator.about`), then the numbered sources."""
        nar = self.nar
        revised = nar.revised_base()
        return ("<h2>About this briefing</h2>" + "".join(f"<p>{esc_quotes(p.text)}</p>" for p in nar.about())
                + "".join(f'<p class="meta">{esc_quotes(m.text)}</p>' for m in nar.about_marks())
                + (f"<p>{esc_quotes(revised.text)}</p>" if revised else "")
                + "<h3>Sources</h3>" + self.citations.markdown())
