"""A report for documents: Markdown and HTML with the figure checks, tables and static maps.

The report is built once as a list of blocks (headings, paragraphs, tables, lists, images) and
written twice, as ``report.md`` and ``report.html``, so the two say the same thing. Every string
from the data is escaped for the medium: Markdown metacharacters are backslash-escaped, HTML is
entity-escaped. Maps are PNGs in ``img/`` beside the two files.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bordermap import __version__
from bordermap.errors import DataError, UsageError
from bordermap.io.atomic import check_output_path, write_text
from bordermap.maps.facts import (
    feature_name,
    incidents_table,
    is_set,
    section_details,
    sections_table,
    source_label,
)
from bordermap.maps.style import disclaimer
from bordermap.model import Dataset
from bordermap.perspective import NEUTRAL

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^([#+\-=])|^(\d+)([.)])")
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
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;"
    "line-height:1.45}\n"
    "table{border-collapse:collapse;font-size:.9rem;margin:1rem 0}"
    "th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}\n"
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
            html_table = f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            body.append(html_table if rows else "<p class=\"note\">(none)</p>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def figure_checks(dataset: Dataset) -> pd.DataFrame:
    """Every figure of the register checked against the measured data (:mod:`bordermap.check`)."""
    from bordermap.check import check_figures, summary_table

    return summary_table(check_figures(dataset))


def figures_table(dataset: Dataset) -> pd.DataFrame:
    """The figures register as a table: who said what number, when."""
    rows = []
    for f in dataset.figures:
        value = f"{f.get('value')}" + (f"–{f['value_max']}" if is_set(f.get("value_max")) else "")
        rows.append({"id": f.get("id"), "category": f.get("category"), "value": f"{value} {f.get('unit', '')}".strip(),
                     "measures": f.get("measures"), "speaker": f.get("speaker"), "party": f.get("speaker_party"),
                     "date": f.get("date")})
    return pd.DataFrame(rows, columns=["id", "category", "value", "measures", "speaker", "party", "date"])


def build_report(dataset: Dataset, out_dir: Path, perspective: str = NEUTRAL, as_of: dt.date | str | None = None,
                 maps: bool = True, dpi: int = 130) -> list[Block]:
    """Draw the report's maps into ``out_dir/img`` and return its blocks."""
    from bordermap.maps.static import MapView, map_figure, pyplot, save_figure

    view = MapView.of(dataset, perspective, as_of)
    title = str(dataset.meta.get("title") or dataset.meta.get("id"))
    day = view.day.isoformat() if view.day else "current status"
    blocks = [Block("h1", f"{title}: report"),
              Block("p", f"As of {day}. Perspective: {view.describe()}. Generated by bordermap {__version__}."),
              Block("p", f"Disclaimer: {disclaimer(dataset)}")]
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

    blocks.append(Block("h2", "Figure checks"))
    blocks.append(Block("p", "Each published figure compared with what the data measures; the verdicts "
                             "and method are explained in docs/checking-figures.md."))
    blocks.append(Block("table", table=figure_checks(dataset)))
    blocks.append(Block("h3", "Register of published figures"))
    blocks.append(Block("table", table=figures_table(dataset)))

    sections = view.layers["sections"]
    table = sections_table(dataset, view.day)
    table = table[table["id"].isin(set(sections["id"]))]
    blocks += [Block("h2", f"Disputed sections ({len(table)})"), Block("table", table=table)]
    for index, row in sections.iterrows():
        props = row.drop(labels=sections.geometry.name).to_dict()
        blocks.append(Block("h3", f"{feature_name(props)} ({props.get('id')})"))
        geom = row[sections.geometry.name]
        if geom is not None and not geom.is_empty:
            draw(f"section-{_slug(str(props.get('id')))}.png", str(props.get("id")), f"{feature_name(props)}, {day}")
        measured = table.loc[index, ["length_km", "area_km2"]].to_dict() if index in table.index else None
        for heading, lines in section_details(dataset, props, view.day, measured):
            blocks += [Block("p", heading + ":"), Block("list", items=lines)]

    blocks += [
        Block("h2", f"Incidents ({len(view.layers['incidents'])})"),
        Block("table", table=incidents_table(dataset)),
    ]
    blocks += [
        Block("h2", "Sources"),
        Block("list", items=[f"[{sid}] {source_label(dataset, sid)}" for sid in dataset.sources]),
    ]
    return blocks


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "section"


def write_report(dataset: Dataset, out_dir: str | Path, perspective: str = NEUTRAL,
                 as_of: dt.date | str | None = None, maps: bool = True) -> dict[str, Path]:
    """Write ``report.md``, ``report.html`` and ``img/*.png`` into a directory (created if needed).

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
    }
