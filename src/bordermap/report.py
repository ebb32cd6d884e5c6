"""A report for documents: Markdown and HTML with the figure checks, tables and static maps.

The report is built once as a list of blocks (headings, paragraphs, tables, lists, images) and
written twice, as ``report.md`` and ``report.html``, so the two say the same thing. Every string
from the data is escaped for the medium: Markdown metacharacters are backslash-escaped, HTML is
entity-escaped. Maps are PNGs in ``img/`` beside the two files.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bordermap import __version__
from bordermap.errors import DataError, UsageError
from bordermap.io.atomic import check_output_path, write_text
from bordermap.maps.facts import (
    SpreadContext,
    feature_name,
    incidents_table,
    is_set,
    items,
    section_details,
    sections_table,
    source_label,
)
from bordermap.maps.style import course_legend, disclaimer
from bordermap.model import Dataset
from bordermap.perspective import NEUTRAL
from bordermap.spread import spread_table

# An underscore between two letters or digits cannot start or end emphasis (CommonMark's flanking
# rules), so ``fig_len_971`` stays as written; one at a word's edge is escaped.
_MD_INLINE = re.compile(r"([\\`*\[\]<>|~]|(?<![^\W_])_|_(?![^\W_]))")
# Only where they would act: a heading or list marker needs a space (or the end) after it.
_MD_LINE_START = re.compile(r"^([#+\-=])(?=\s|$)|^(\d+)([.)])(?=\s|$)")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")


def md_escape(text: Any) -> str:
    r"""Escape a string for Markdown text or a table cell (newlines become spaces).

    Characters that format inline are backslash-escaped everywhere; those that only act at the
    start of a line (headings, list markers) only there; ``&`` only where it would start an entity.

    Examples
    --------
    >>> print(md_escape("a|b *c* <d> 1-2 (e)"))
    a\|b \*c\* \<d\> 1-2 (e)
    >>> print(md_escape("# not a heading &amp;"), md_escape("1. not a list"))
    \# not a heading &amp;amp; 1\. not a list
    >>> print(md_escape("914.33"), md_escape("24.kg"), md_escape("-5 °C"), md_escape("- item"))
    914.33 24.kg -5 °C \- item
    >>> print(md_escape("fig_len_971 _x_ a__b snake_"))
    fig_len_971 \_x\_ a\_\_b snake\_
    """
    text = _MD_INLINE.sub(r"\\\1", " ".join(str(text).split()))
    text = _MD_ENTITY.sub("&amp;", text)
    return _MD_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


@dataclass
class Block:
    """One piece of a report: ``kind`` is h1, h2, h3, p, list, table or img."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None


def _cell(value: Any) -> str:
    if not is_set(value):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def to_markdown(blocks: list[Block]) -> str:
    """Render blocks as GitHub-flavoured Markdown (every data string escaped)."""
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            out.append(f"{'#' * int(b.kind[1])} {md_escape(b.text)}")
        elif b.kind == "p":
            out.append(md_escape(b.text))
        elif b.kind == "list":
            out.append("\n".join(f"- {md_escape(i)}" for i in b.items))
        elif b.kind == "img":
            out.append(f"![{md_escape(b.text)}]({b.items[0]})")
        elif b.kind == "table" and b.table is not None:
            head = "| " + " | ".join(md_escape(c) for c in b.table.columns) + " |"
            aligns = ("---:" if pd.api.types.is_numeric_dtype(b.table[c]) else "---" for c in b.table.columns)
            rule = "| " + " | ".join(aligns) + " |"
            rows = [
                "| " + " | ".join(md_escape(_cell(v)) for v in row) + " |" for row in b.table.itertuples(index=False)
            ]
            out.append("\n".join([head, rule, *rows]) if rows else "_(none)_")
    return "\n\n".join(out) + "\n"


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:84rem;margin:2rem auto;padding:0 1rem;color:#222;"
    "line-height:1.45}\n"
    "p,ul,figure{max-width:60rem}.wide{overflow-x:auto}"
    "table{border-collapse:collapse;font-size:.85rem;margin:1rem 0}"
    "th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;max-width:24rem;overflow-wrap:break-word}\n"
    "th{background:#f2f2f2;text-align:left}td.n{text-align:right}img{max-width:100%;border:1px solid #ddd}\n"
    ".note{color:#555;font-size:.9rem}"
)


_NUM = ' class="n"'


def to_html(blocks: list[Block], title: str) -> str:
    """Render blocks as a standalone HTML page (every data string escaped)."""
    body: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            body.append(f"<{b.kind}>{html.escape(b.text)}</{b.kind}>")
        elif b.kind == "p":
            body.append(f"<p>{html.escape(b.text)}</p>")
        elif b.kind == "list":
            body.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "img":
            body.append(f'<figure><img src="{html.escape(b.items[0])}" alt="{html.escape(b.text)}">'
                        f"<figcaption class=\"note\">{html.escape(b.text)}</figcaption></figure>")
        elif b.kind == "table" and b.table is not None:
            numeric = [pd.api.types.is_numeric_dtype(b.table[c]) for c in b.table.columns]
            head = "".join(f"<th>{html.escape(str(c))}</th>" for c in b.table.columns)
            rows = "".join(
                "<tr>"
                + "".join(
                    f"<td{_NUM if n else ''}>{html.escape(_cell(v))}</td>" for v, n in zip(row, numeric, strict=True)
                )
                + "</tr>"
                for row in b.table.itertuples(index=False)
            )
            html_table = f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
            body.append(html_table if rows else "<p class=\"note\">(none)</p>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def figure_checks(dataset: Dataset) -> pd.DataFrame:
    """Every figure of the register checked against the measured data (:mod:`bordermap.check`).

    The verdict comes right after the figure, so that a page of limited width shows it.
    """
    from bordermap.check import check_figures, summary_table

    table = summary_table(check_figures(dataset))
    first = [c for c in ("figure_id", "figure", "verdict") if c in table.columns]
    return table[first + [c for c in table.columns if c not in first]]


def figures_with_verdicts(dataset: Dataset) -> pd.DataFrame:
    """The figures register, each figure with its check (verdict, compared value, ratio) beside it.

    Examples
    --------
    >>> import bordermap
    >>> table = figures_with_verdicts(bordermap.load("tests/data/mini"))
    >>> {"id", "value", "verdict", "compared_with"} <= set(table.columns)
    True
    """
    register = pd.DataFrame.from_records(list(dataset.figures))
    wanted = ["figure_id", "verdict", "compared_with", "ratio"]
    if register.empty or "id" not in register.columns:  # a dataset without figures (e.g. a new one)
        return pd.DataFrame(columns=["id", *wanted[1:]])
    checks = figure_checks(dataset).reindex(columns=wanted)
    merged = register.merge(checks, how="left", left_on="id", right_on="figure_id").drop(columns="figure_id")
    for column in merged.columns:  # nested values (lists, objects) as JSON text
        if merged[column].map(lambda v: isinstance(v, (list, dict))).any():
            merged[column] = merged[column].map(
                lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
            )
    return merged


def figures_table(dataset: Dataset) -> pd.DataFrame:
    """The figures register as a table: who said what number, when."""
    rows = []
    for f in dataset.figures:
        value = f"{f.get('value')}" + (f"–{f['value_max']}" if is_set(f.get("value_max")) else "")
        rows.append({"id": f.get("id"), "category": f.get("category"), "value": f"{value} {f.get('unit', '')}".strip(),
                     "measures": f.get("measures"), "speaker": f.get("speaker"), "party": f.get("speaker_party"),
                     "date": f.get("date")})
    return pd.DataFrame(rows, columns=["id", "category", "value", "measures", "speaker", "party", "date"])


def key_findings(dataset: Dataset, view: Any, checks: pd.DataFrame) -> list[str]:
    """The report's opening findings, each computed from the data and saying whose figure it is.

    The range of the measured main line across depictions; the published total lengths and how
    ``bordermap check`` accounts for them; the sections by status before and after the latest
    change of status; the incidents.
    """
    from bordermap.measure import measure
    from bordermap.perspective import status_on

    out: list[str] = []
    table = measure(dataset, ["boundary"], view.perspective, view.day)
    main = table[table["part"] == "main"] if "part" in table.columns else table.iloc[0:0]
    lengths = main.groupby("depiction")["length_km"].sum() if len(main) else pd.Series(dtype=float)
    if len(lengths):
        lo, hi = lengths.idxmin(), lengths.idxmax()
        out.append(
            f"The {len(lengths)} depictions of the line measure {lengths[lo]:,.1f} km ({lo}) to "
            f"{lengths[hi]:,.1f} km ({hi}) from end to end (geodesic, WGS84): they disagree by "
            f"{lengths[hi] - lengths[lo]:,.1f} km."
        )
    quoted = checks[checks["category"] == "border_length"] if "category" in checks.columns else checks.iloc[0:0]
    if len(quoted):
        values = [float(f["value"]) for f in dataset.figures
                  if f.get("category") == "border_length" and is_set(f.get("value")) and f.get("unit") == "km"]
        verdicts = quoted["verdict"].value_counts()
        spread = f" from {min(values):,.2f} to {max(values):,.2f} km" if values else ""
        out.append(
            f"{len(quoted)} published figures give the border's total length{spread}. Checked against the "
            "data, their verdicts are: "
            + ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in verdicts.items())
            + " (docs/checking-figures.md: “map scale” means a generalised depiction's value, or the line's "
              "length at the rulers of official maps, matches the figure)."
        )
    sections = dataset.layer("sections")
    records = sections.drop(columns=sections.geometry.name).to_dict("records")
    # The date on which most sections changed status (for the bundled data, the 2025 treaty's).
    starts = Counter(
        str(h.get("from"))[:10] for r in records for h in items(r.get("status_history")) if h.get("from")
    )
    day = view.day
    usable = {d: n for d, n in starts.items() if len(d) == 10 and (day is None or d <= day.isoformat())}
    if usable and day is not None:
        change = dt.date.fromisoformat(max(usable, key=lambda d: (usable[d], d)))
        before = change - dt.timedelta(days=1)

        def counts(on: dt.date) -> str:
            tally = pd.Series([status_on(r, on) for r in records]).value_counts()
            return ", ".join(f"{n} {status}" for status, n in tally.items())

        out.append(f"Of the {len(records)} documented sections, {usable[change.isoformat()]} changed status on "
                   f"{change.isoformat()}. On {before.isoformat()}: {counts(before)}; on {day.isoformat()}: "
                   f"{counts(day)}.")
    incidents = view.layers["incidents"]
    if len(incidents):
        dates = sorted(str(d) for d in incidents.get("date_start", pd.Series(dtype=object)) if is_set(d))
        span = f" between {dates[0]} and {dates[-1]}" if dates else ""
        out.append(f"{len(incidents)} incidents are recorded{span}; casualty figures are listed per report, "
                   "side by side, never averaged (see Incidents).")
    return out


def build_report(dataset: Dataset, out_dir: Path, perspective: str = NEUTRAL, as_of: dt.date | str | None = None,
                 maps: bool = True, dpi: int = 130) -> list[Block]:
    """Draw the report's maps into ``out_dir/img`` and return its blocks."""
    from bordermap.maps.static import MapView, map_figure, pyplot, save_figure

    view = MapView.of(dataset, perspective, as_of)
    title = str(dataset.meta.get("title") or dataset.meta.get("id"))
    day = view.day.isoformat() if view.day else "current status"
    checks = figure_checks(dataset)
    blocks = [Block("h1", f"{title}: report"),
              Block("p", f"As of {day}. Perspective: {view.describe()}. Generated by bordermap {__version__}."),
              Block("p", f"Disclaimer: {disclaimer(dataset)}")]
    findings = key_findings(dataset, view, checks)
    if findings:
        blocks += [Block("h2", "Key findings"), Block("list", items=findings)]
    inputs = (dataset.path,) if dataset.path else ()

    def draw(name: str, section: str | None, caption: str) -> None:
        if not maps:
            return
        fig = map_figure(view, section=section)
        try:
            save_figure(fig, out_dir / "img" / name, dpi=dpi, inputs=inputs)
        finally:
            pyplot().close(fig)
        blocks.append(Block("img", caption, items=[f"img/{name}"]))

    blocks.append(Block("h2", "Overview map"))
    draw("overview.png", None, f"{title}, {day}, perspective {perspective}")

    blocks.append(Block("h2", "What the depictions measure"))
    blocks.append(Block("p", "Every depiction's value of each thing several depictions draw, with the range "
                             "(geodesic, WGS84). No depiction is the border: the default depiction "
                             f"({dataset.default_depiction if dataset.depictions else 'none'}) is the one drawn "
                             "first, a drawing choice, not a preferred value."))
    spread = spread_table(dataset, perspective, view.day).drop(columns=["perspective", "as_of"])
    blocks.append(Block("table", table=spread.round(1)))
    course = course_legend(dataset)
    if course:
        blocks.append(Block("p", "Where a status says the line is fixed but no source gives its course, the maps "
                                 "draw it dash-dot, where the depictions put it:"))
        blocks.append(Block("list", items=course))

    blocks.append(Block("h2", "Figure checks"))
    blocks.append(Block("p", "Each published figure compared with what the data measures; the verdicts "
                             "and method are explained in docs/checking-figures.md."))
    blocks.append(Block("table", table=checks))
    blocks.append(Block("h3", "Register of published figures"))
    blocks.append(Block("table", table=figures_table(dataset)))

    sections = view.layers["sections"]
    table = sections_table(dataset, view.day)
    table = table[table["id"].isin(set(sections["id"]))]
    shown = table.drop(columns=["length_km", "area_km2"])  # "measured" names the depiction and the range
    blocks += [Block("h2", f"Disputed sections ({len(table)})"), Block("table", table=shown)]
    context = SpreadContext.of(dataset)
    for index, row in sections.iterrows():
        props = row.drop(labels=sections.geometry.name).to_dict()
        blocks.append(Block("h3", f"{feature_name(props)} ({props.get('id')})"))
        geom = row[sections.geometry.name]
        if geom is not None and not geom.is_empty:
            draw(f"section-{_slug(str(props.get('id')))}.png", str(props.get("id")), f"{feature_name(props)}, {day}")
        measured = table.loc[index, ["length_km", "area_km2"]].to_dict() if index in table.index else None
        for heading, lines in section_details(dataset, props, view.day, measured, context):
            blocks += [Block("p", heading + ":"), Block("list", items=lines)]

    blocks += swap_blocks(dataset)
    blocks += [
        Block("h2", f"Incidents ({len(view.layers['incidents'])})"),
        Block("table", table=incidents_table(dataset)),
    ]
    blocks += [
        Block("h2", "Sources"),
        Block("list", items=[f"[{sid}] {source_label(dataset, sid)}" for sid in dataset.sources]),
    ]
    return blocks


def swap_table(dataset: Dataset) -> pd.DataFrame:
    """The swap ledger's computed totals beside the totals officials stated, one row each.

    Examples
    --------
    >>> import bordermap
    >>> table = swap_table(bordermap.load())
    >>> [table.iloc[0]["total"], table.iloc[0]["to"], float(table.iloc[0]["hectares"])]
    ['ledger: each exchange once', 'KG', 1437.7]
    """
    from bordermap.swaps import stated_totals, totals

    if not dataset.swaps:
        return pd.DataFrame(columns=["total", "to", "hectares", "stated", "said by", "date"])
    summed = totals(dataset.swaps)
    accounts = summed.accounts_text(dataset.meta.get("pair", []))
    rows = [{"total": "ledger: each exchange once", "to": party, "hectares": round(value, 1), "stated": None,
             "said by": f"computed from {summed.exchanges} exchanges, {accounts}", "date": None}
            for party, value in summed.received_ha.items()]
    for stated in stated_totals(dataset.swaps, dataset.figures):
        rows.append({"total": "stated by an official or outlet", "to": stated.get("receives"), "hectares": None,
                     "stated": f"{stated['value']:g} {stated['unit']}",
                     "said by": f"{stated['said_by']} ({stated['said_by_party']})", "date": stated.get("date")})
    return pd.DataFrame(rows, columns=["total", "to", "hectares", "stated", "said by", "date"])


def swap_blocks(dataset: Dataset) -> list[Block]:
    """The report's swap-ledger section (nothing when the dataset has no ledger)."""
    if not dataset.swaps:
        return []
    return [Block("h2", "Land swaps: the ledger and the stated totals"),
            Block("p", "Each exchange is counted once, whatever number of sections it concerns; totals that "
                       "officials gave for several exchanges are not added again. The stated totals are "
                       "shown as said, beside the computed ones, not reconciled with them."),
            Block("table", table=swap_table(dataset))]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "section"


def write_report(dataset: Dataset, out_dir: str | Path, perspective: str = NEUTRAL,
                 as_of: dt.date | str | None = None, maps: bool = True) -> dict[str, Path]:
    """Write ``report.md``, ``report.html``, ``figures.csv`` (the register with verdicts) and ``img/*.png``.

    The directory is created if needed.

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> paths = write_report(bordermap.load("tests/data/mini"), pathlib.Path(tempfile.mkdtemp()), maps=False)
    >>> paths["markdown"].read_text().splitlines()[0]
    '# Hand-made test dataset (not real geography): report'
    """
    out = Path(out_dir)
    inputs = (dataset.path,) if dataset.path else ()
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a directory")
    if not out.is_dir():
        check_output_path(out, inputs)  # parent exists and is writable, not inside the input
    for name in ("report.md", "report.html"):
        if out.is_dir():
            check_output_path(out / name, inputs)
    if maps:  # refuse before creating anything, not half-way through
        from bordermap.maps.static import MapView, map_bounds

        try:
            map_bounds(MapView.of(dataset, perspective, as_of))
        except DataError as exc:
            raise DataError(f"{exc}; write the report without maps (--no-maps)") from exc
    if (out / "img").exists() and not (out / "img").is_dir():
        raise UsageError(f"{out / 'img'}: exists and is not a directory; the report puts its maps there")
    out.mkdir(exist_ok=True)
    check_output_path(out / "report.md", inputs)
    (out / "img").mkdir(exist_ok=True)
    blocks = build_report(dataset, out, perspective, as_of, maps=maps)
    title = str(dataset.meta.get("title") or dataset.meta.get("id"))
    return {
        "markdown": write_text(out / "report.md", to_markdown(blocks), inputs),
        "html": write_text(out / "report.html", to_html(blocks, f"{title}: report"), inputs),
        "figures": write_text(out / "figures.csv", figures_with_verdicts(dataset).to_csv(index=False), inputs),
    }
