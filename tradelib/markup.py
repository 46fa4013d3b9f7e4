"""HTML for a briefing declared as sections of parts (:data:`tradelib.records_briefing.SECTIONS`).

The one place where plain text becomes markup: text from sentences and data is escaped here, citation marks
are added here, charts are embedded here with their captions, text alternatives and source lines.
"""
from __future__ import annotations

import html

import pandas as pd

from . import charts, fmt
from . import records_briefing as rb
from .narrative import Citations


def esc(text: str) -> str:
    return html.escape(str(text), quote=False)


class Markup:
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
    def marks(self, facts) -> str:
        return self.citations.mark(*[f for f in facts if f is not None])

    def text(self, t: rb.Text) -> str:
        return f"<p>{esc(t.text)}{self.marks(t.facts)}</p>" if t else ""

    def points(self, items: list[rb.Text]) -> str:
        lis = "".join(f"<li>{esc(t.text)}{self.marks(t.facts)}</li>" for t in items if t)
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
        kinds = rb._join(sorted({f.label for f in self.c.records.files}))
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
