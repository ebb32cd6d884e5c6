"""A report for documents: Markdown and HTML with the figure checks, tables and static maps.

The report is built once as a list of blocks (headings, paragraphs, tables, lists, images) and
written twice, as ``report.md`` and ``report.html``, so the two say the same thing. Every string
from the data is escaped for the medium: Markdown metacharacters are backslash-escaped, HTML is
entity-escaped. Maps are PNGs in ``img/`` beside the two files.

``lang`` (:mod:`bordermap.i18n`) sets the language the reader reads: headings, findings,
paragraphs, column names, verdict labels and their meanings, dates and numbers, and the page's
``lang`` attribute; feature names are the data's in that language where it has them. Machine
values stay as they are: ``figures.csv`` keeps English column names and verdict codes.
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
from bordermap.check.verdicts import CATEGORY_NAMES
from bordermap.errors import DataError, UsageError
from bordermap.i18n import N_, Messages, messages
from bordermap.io.atomic import check_output_path, write_text
from bordermap.maps.facts import (
    EN,
    SpreadContext,
    day_text,
    feature_name,
    incidents_table,
    is_set,
    items,
    section_details,
    sections_table,
    source_label,
    thing_text,
)
from bordermap.maps.style import course_legend, dataset_title, disclaimer
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
    #: Decimals of a table's numbers: no more than the values were rounded to (1,770.6, not 1,770.60).
    digits: int = 2


#: Column names of the report's tables as a reader reads them.
COLUMN_NAMES: dict[str, str] = {
    "id": N_("id"), "name": N_("name"), "status": N_("status"), "located": N_("located to"),
    "districts": N_("districts"), "claimed_by": N_("claimed by"), "controlled_by": N_("controlled by"),
    "measured": N_("measured"), "chainage_km": N_("chainage, km"), "figure_id": N_("id"),
    "category": N_("category"), "figure": N_("figure"), "date": N_("date"), "speaker": N_("speaker"),
    "compared_with": N_("compared with"), "ratio": N_("ratio"), "verdict": N_("verdict"), "value": N_("value"),
    "measures": N_("what it measures"), "party": N_("party"), "thing": N_("what is measured"),
    "quantity": N_("quantity"), "unit": N_("unit"), "min": N_("min"), "max": N_("max"),
    "depictions": N_("depictions"), "default_depiction": N_("default depiction"), "dates": N_("dates"),
    "places": N_("places"), "casualties": N_("casualties"), "total": N_("total"), "to": N_("to"),
    "hectares": N_("hectares"), "stated": N_("stated"), "said by": N_("said by"),
    "depiction": N_("depiction"), "definition": N_("definition"), "low": N_("low"), "high": N_("high"),
    "role": N_("role"),
}
#: Measured quantities (:data:`bordermap.spread.QUANTITIES`), in words.
QUANTITY_NAMES: dict[str, str] = {"length_km": N_("length"), "area_km2": N_("area")}


def shown(table: pd.DataFrame, tr: Messages = EN) -> pd.DataFrame:
    """A table as a reader reads it: names, codes, definitions, units and dates in words.

    Column names, verdicts, categories, roles, definitions, quantities, units and dates.

    Examples
    --------
    >>> frame = pd.DataFrame({"verdict": ["map_scale"], "category": ["border_length"]})
    >>> shown(frame).to_dict("records")
    [{'verdict': 'map scale', 'category': 'border length'}]
    """
    from bordermap.check.measured import definition_text
    from bordermap.check.verdicts import ROLE_LABELS, VERDICT_LABELS

    words = {"verdict": VERDICT_LABELS, "category": CATEGORY_NAMES, "quantity": QUANTITY_NAMES, "role": ROLE_LABELS}
    out = table.copy()
    for column, table_words in words.items():
        if column in out.columns:
            out[column] = out[column].map(lambda v, w=table_words: tr(w[v]) if v in w else v)
    if "definition" in out.columns:
        out["definition"] = out["definition"].map(lambda v: definition_text(v, tr) if isinstance(v, str) else v)
    if "unit" in out.columns:
        out["unit"] = out["unit"].map(lambda v: tr(v) if isinstance(v, str) else v)
    if "date" in out.columns:
        out["date"] = out["date"].map(lambda v: day_text(v, tr) if is_set(v) else v)
    return out.rename(columns={c: tr(COLUMN_NAMES[c]) for c in out.columns if c in COLUMN_NAMES})


def _cell(value: Any, tr: Messages = EN, digits: int = 2) -> str:
    if not is_set(value):
        return ""
    if isinstance(value, float):
        return tr.number(value, digits)
    return str(value)


def to_markdown(blocks: list[Block], tr: Messages = EN) -> str:
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
                "| " + " | ".join(md_escape(_cell(v, tr, b.digits)) for v in row) + " |"
                for row in b.table.itertuples(index=False)
            ]
            out.append("\n".join([head, rule, *rows]) if rows else f"_{md_escape(tr('(none)'))}_")
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


def to_html(blocks: list[Block], title: str, tr: Messages = EN) -> str:
    """Render blocks as a standalone HTML page in the language of ``tr`` (every data string escaped)."""
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
                    f"<td{_NUM if n else ''}>{html.escape(_cell(v, tr, b.digits))}</td>"
                    for v, n in zip(row, numeric, strict=True)
                )
                + "</tr>"
                for row in b.table.itertuples(index=False)
            )
            html_table = f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
            body.append(html_table if rows else f"<p class=\"note\">{html.escape(tr('(none)'))}</p>")
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(tr.lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title>"
            f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def figure_checks(dataset: Dataset, records: list[dict[str, Any]] | None = None, lang: str = "en") -> pd.DataFrame:
    """Every figure of the register checked against the measured data (:mod:`bordermap.check`).

    The verdict comes right after the figure, so that a page of limited width shows it.
    ``records`` are checks already made (:func:`bordermap.check.check_figures`); ``lang`` is the
    language of the compared values (the verdicts stay codes here: :func:`shown` words them).
    """
    from bordermap.check import check_figures, summary_table

    table = summary_table(check_figures(dataset) if records is None else records, lang)
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


def figures_table(dataset: Dataset, tr: Messages = EN) -> pd.DataFrame:
    """The figures register as a table: who said what number, when (units in the language of ``tr``)."""
    from bordermap.check.figures import quoted_figure

    rows = []
    for f in dataset.figures:
        # As the figure checks write it (1,006.84 km; in Russian 1 006,84 км), not as Python prints it.
        value = quoted_figure(f, tr) if isinstance(f.get("value"), (int, float)) else ""
        rows.append({"id": f.get("id"), "category": f.get("category"), "value": value,
                     "measures": f.get("measures"), "speaker": f.get("speaker"), "party": f.get("speaker_party"),
                     "date": f.get("date")})
    return pd.DataFrame(rows, columns=["id", "category", "value", "measures", "speaker", "party", "date"])


def key_findings(dataset: Dataset, view: Any, checks: pd.DataFrame) -> list[str]:
    """The report's opening findings, each computed from the data and saying whose figure it is.

    The range of the measured main line across depictions; the published total lengths and how
    ``bordermap check`` accounts for them; the sections by status before and after the latest
    change of status; the incidents. In the language of ``view.tr``.
    """
    from bordermap.check.verdicts import verdict_words
    from bordermap.measure import measure
    from bordermap.perspective import status_on

    tr: Messages = view.tr
    out: list[str] = []
    table = measure(dataset, ["boundary"], view.perspective, view.day)
    main = table[table["part"] == "main"] if "part" in table.columns else table.iloc[0:0]
    lengths = main.groupby("depiction")["length_km"].sum() if len(main) else pd.Series(dtype=float)
    if len(lengths):
        lo, hi = lengths.idxmin(), lengths.idxmax()
        out.append(tr(
            "The {n} depictions of the line measure {low} km ({low_depiction}) to {high} km ({high_depiction}) "
            "from end to end (geodesic, WGS84): they disagree by {difference} km.",
            n=len(lengths), low=tr.number(lengths[lo], 1), low_depiction=lo, high=tr.number(lengths[hi], 1),
            high_depiction=hi, difference=tr.number(lengths[hi] - lengths[lo], 1),
        ))
    quoted = checks[checks["category"] == "border_length"] if "category" in checks.columns else checks.iloc[0:0]
    if len(quoted):
        values = [float(f["value"]) for f in dataset.figures
                  if f.get("category") == "border_length" and is_set(f.get("value")) and f.get("unit") == "km"]
        verdicts = ", ".join(tr("{verdict}: {n}", verdict=verdict_words(name, tr), n=count)
                             for name, count in quoted["verdict"].value_counts().items())
        given = (tr("{n} published figures give the border's total length, from {low} to {high} km.", n=len(quoted),
                    low=tr.decimal(min(values), group=True), high=tr.decimal(max(values), group=True)) if values
                 else tr("{n} published figures give the border's total length.", n=len(quoted)))
        out.append(tr(
            "{given} Checked against the data, their verdicts are: {verdicts} (“map scale”: the figure lies within "
            "the lengths a detailed depiction's line would have at the rulers of 1:100,000–1:200,000 maps, "
            "extrapolated from the data; it is not a measurement of the figure; see the verdicts below and "
            "docs/checking-figures.md).", given=given, verdicts=verdicts,
        ))
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
            return ", ".join(tr("{status}: {n}", status=tr(str(status)), n=n) for status, n in tally.items())

        out.append(tr(
            "Of the {total} documented sections, {changed} changed status on {day}. On {before}: {counts_before}; "
            "on {after}: {counts_after}.", total=len(records), changed=usable[change.isoformat()],
            day=tr.date(change), before=tr.date(before), counts_before=counts(before), after=tr.date(day),
            counts_after=counts(day),
        ))
    incidents = view.layers["incidents"]
    if len(incidents):
        dates = sorted(str(d) for d in incidents.get("date_start", pd.Series(dtype=object)) if is_set(d))
        out.append(
            tr("{n} incidents are recorded between {first} and {last}; casualty figures are listed per report, "
               "side by side, never averaged (see Incidents).", n=len(incidents), first=day_text(dates[0], tr),
               last=day_text(dates[-1], tr)) if dates
            else tr("{n} incidents are recorded; casualty figures are listed per report, side by side, never "
                    "averaged (see Incidents).", n=len(incidents))
        )
    return out


def verdict_meanings(tr: Messages = EN) -> list[str]:
    """What each verdict of the figure checks means, one line each, in the language of ``tr``.

    Examples
    --------
    >>> print(verdict_meanings()[0])
    within uncertainty: a current detailed depiction gives the figure, within that depiction's precision.
    """
    from bordermap.check.verdicts import VERDICT_LABELS, VERDICT_MEANINGS, VERDICTS

    return [tr("{verdict}: {meaning}", verdict=tr(VERDICT_LABELS[v]), meaning=tr(VERDICT_MEANINGS[v]))
            for v in VERDICTS]


def build_report(dataset: Dataset, out_dir: Path, perspective: str = NEUTRAL, as_of: dt.date | str | None = None,
                 maps: bool = True, dpi: int = 130, lang: str = "en") -> list[Block]:
    """Draw the report's maps into ``out_dir/img`` and return its blocks, in the language ``lang``."""
    from bordermap.maps.static import MapView, map_figure, pyplot, save_figure

    view = MapView.of(dataset, perspective, as_of, lang=lang)
    tr = view.tr
    title = dataset_title(dataset, tr)
    day = tr.date(view.day) if view.day else tr("current status")
    from bordermap.check import check_figures
    from bordermap.check.verdicts import NOT_MEASURABLE, verdict_words

    records = check_figures(dataset, lang=lang)
    checks = figure_checks(dataset, records, lang)
    made = {"view": view.describe(), "version": __version__}
    blocks = [Block("h1", tr("{title}: report", title=title)),
              Block("p", tr("As of {day}. Perspective: {view}. Generated by bordermap {version}.", day=day, **made)
                    if view.day else tr("Current status. Perspective: {view}. Generated by bordermap {version}.",
                                        **made)),
              Block("p", tr("Disclaimer: {text}", text=disclaimer(dataset, tr)))]
    findings = key_findings(dataset, view, checks)
    if findings:
        blocks += [Block("h2", tr("Key findings")), Block("list", items=findings)]
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

    blocks.append(Block("h2", tr("Overview map")))
    draw("overview.png", None, tr("{title}, {day}, perspective: {view}", title=title, day=day, view=view.describe()))

    blocks.append(Block("h2", tr("What the depictions measure")))
    blocks.append(Block("p", tr(
        "Every depiction's value of each thing several depictions draw, with the range (geodesic, WGS84). No "
        "depiction is the border: the default depiction ({default}) is the one drawn first, a drawing choice, "
        "not a preferred value.", default=dataset.default_depiction if dataset.depictions else tr("none"))))
    spread = spread_table(dataset, perspective, view.day).drop(columns=["perspective", "as_of"])
    spread["thing"] = spread["thing"].map(lambda thing: thing_text(dataset, str(thing), tr))
    blocks.append(Block("table", table=shown(spread, tr), digits=1))
    course = course_legend(dataset, tr=tr)
    if course:
        blocks.append(Block("p", tr("Where a status says the line is fixed but no source gives its course, the "
                                    "maps draw it dash-dot, where the depictions put it:")))
        blocks.append(Block("list", items=course))

    blocks.append(Block("h2", tr("Figure checks")))
    blocks.append(Block("p", tr("Each published figure compared with what the data measures; the verdicts mean "
                                "(the method is explained in docs/checking-figures.md):")))
    blocks.append(Block("list", items=verdict_meanings(tr)))
    blocks.append(Block("table", table=shown(checks, tr)))
    explained = [tr("{id} ({verdict}): {explanation}", id=r["figure_id"], explanation=r["explanation"],
                    verdict=verdict_words(r["verdict"], tr))
                 for r in records if r["verdict"] != NOT_MEASURABLE]
    if explained:
        blocks.append(Block("p", tr("Why each figure the data can measure got its verdict:")))
        blocks.append(Block("list", items=explained))
    blocks.append(Block("h3", tr("Register of published figures")))
    blocks.append(Block("table", table=shown(figures_table(dataset, tr), tr)))

    sections = view.layers["sections"]
    table = sections_table(dataset, view.day, tr)
    table = table[table["id"].isin(set(sections["id"]))]
    listed = table.drop(columns=["length_km", "area_km2"])  # "measured" names the depiction and the range
    blocks += [Block("h2", tr("Disputed sections ({n})", n=len(table))), Block("table", table=shown(listed, tr))]
    context = SpreadContext.of(dataset)
    for index, row in sections.iterrows():
        props = row.drop(labels=sections.geometry.name).to_dict()
        name = feature_name(props, tr)
        blocks.append(Block("h3", tr("{name} ({id})", name=name, id=props.get("id"))))
        geom = row[sections.geometry.name]
        if geom is not None and not geom.is_empty:
            draw(f"section-{_slug(str(props.get('id')))}.png", str(props.get("id")),
                 tr("{name}, {day}", name=name, day=day))
        measured = table.loc[index, ["length_km", "area_km2"]].to_dict() if index in table.index else None
        for heading, lines in section_details(dataset, props, view.day, measured, context, tr):
            blocks += [Block("p", tr("{heading}:", heading=heading)), Block("list", items=lines)]

    blocks += swap_blocks(dataset, tr)
    blocks += [
        Block("h2", tr("Incidents ({n})", n=len(view.layers["incidents"]))),
        Block("table", table=shown(incidents_table(dataset, tr), tr)),
    ]
    blocks += [
        Block("h2", tr("Sources")),
        Block("list", items=[f"[{sid}] {source_label(dataset, sid, tr)}" for sid in dataset.sources]),
    ]
    return blocks


def swap_table(dataset: Dataset, tr: Messages = EN) -> pd.DataFrame:
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
    accounts = summed.accounts_text(dataset.meta.get("pair", []), tr)
    rows = [{"total": tr("ledger: each exchange once"), "to": party, "hectares": round(value, 1), "stated": None,
             "said by": tr("computed from {n} exchanges", n=summed.exchanges) + f"; {accounts}", "date": None}
            for party, value in summed.received_ha.items()]
    for stated in stated_totals(dataset.swaps, dataset.figures):
        rows.append({"total": tr("stated by an official or outlet"), "to": stated.get("receives"), "hectares": None,
                     "stated": tr("{value} {unit}", value=tr.decimal(stated["value"], group=True),
                                  unit=tr.unit(str(stated["unit"]), stated["value"])),
                     "said by": f"{stated['said_by']} ({stated['said_by_party']})", "date": stated.get("date")})
    return pd.DataFrame(rows, columns=["total", "to", "hectares", "stated", "said by", "date"])


def swap_blocks(dataset: Dataset, tr: Messages = EN) -> list[Block]:
    """The report's swap-ledger section (nothing when the dataset has no ledger)."""
    if not dataset.swaps:
        return []
    return [Block("h2", tr("Land swaps: the ledger and the stated totals")),
            Block("p", tr("Each exchange is counted once, whatever number of sections it concerns; totals that "
                          "officials gave for several exchanges are not added again. The stated totals are "
                          "shown as said, beside the computed ones, not reconciled with them.")),
            Block("table", table=shown(swap_table(dataset, tr), tr), digits=1)]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "section"


def write_report(dataset: Dataset, out_dir: str | Path, perspective: str = NEUTRAL,
                 as_of: dt.date | str | None = None, maps: bool = True, lang: str = "en") -> dict[str, Path]:
    """Write ``report.md``, ``report.html``, ``figures.csv`` (the register with verdicts) and ``img/*.png``.

    The directory is created if needed. ``lang`` is the language of the Markdown and HTML;
    ``figures.csv`` is machine output and stays in English (column names and verdict codes).

    Examples
    --------
    >>> import bordermap, tempfile, pathlib
    >>> paths = write_report(bordermap.load("tests/data/mini"), pathlib.Path(tempfile.mkdtemp()), maps=False)
    >>> paths["markdown"].read_text().splitlines()[0]
    '# Hand-made test dataset (not real geography): report'
    """
    tr = messages(lang)  # an unknown language or a missing Babel: refused before anything is written
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
    blocks = build_report(dataset, out, perspective, as_of, maps=maps, lang=lang)
    title = dataset_title(dataset, tr)
    return {
        "markdown": write_text(out / "report.md", to_markdown(blocks, tr), inputs),
        "html": write_text(out / "report.html", to_html(blocks, tr("{title}: report", title=title), tr), inputs),
        "figures": write_text(out / "figures.csv", figures_with_verdicts(dataset).to_csv(index=False), inputs),
    }
