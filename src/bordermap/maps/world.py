"""Write the result of ``bordermap world``: CSV, JSON, Markdown, or an offline HTML page with a map.

The HTML page is one file with no script and no request to any server: an inline SVG world map
(plate carrée) with every shared border coloured by the ratio of the Factbook's figure to the
first depiction's measured length, and the table beside it.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import shapely

from bordermap.errors import UsageError
from bordermap.io.atomic import write_text
from bordermap.io.csvsafe import to_csv as safe_csv
from bordermap.text import shown_digits
from bordermap.upstream import DEPICTIONS
from bordermap.world import WorldCheck, quoted_km

FORMATS = {".csv": "csv", ".json": "json", ".md": "md", ".html": "html", ".htm": "html"}

DISCLAIMER = (
    "Lengths are measured on open map data and compared with the CIA World Factbook's figures; neither is an "
    "official delimitation, and the boundaries shown imply no judgement on the legal status of any territory."
)

#: Ratio classes (Factbook ÷ measured), colour-blind-safe diverging colours (blue → grey → orange).
RATIO_CLASSES: tuple[tuple[float, str, str], ...] = (
    (0.8, "#2166ac", "< 0.8"),
    (0.95, "#67a9cf", "0.8–0.95"),
    (1.05, "#999999", "0.95–1.05"),
    (1.2, "#f4a582", "1.05–1.2"),
    (math.inf, "#b2182b", "≥ 1.2"),
)


def _columns(result: WorldCheck) -> list[str]:
    cols = ["a", "b", "name_a", "name_b", "factbook_a_km", "factbook_b_km"]
    for d in result.depictions:
        cols += [f"{d}_km", f"ratio_{d}"]
    return cols + ["verdict", "reason", "compared_with", "factbook_notes"]


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def depictions_text(result: WorldCheck) -> str:
    """The depictions measured, each with the date of its data (a map says as of when it shows).

    Examples
    --------
    >>> depictions_text(WorldCheck(["osm2017", "ne10"], [], []))
    'osm2017 (OpenStreetMap, 2017; data of 2017), ne10 (Natural Earth 1:10m, v5.1.1; data of 2022)'
    """
    return ", ".join(
        f"{d} ({DEPICTIONS[d].title}; data of {DEPICTIONS[d].vintage})" if d in DEPICTIONS else d
        for d in result.depictions
    )


def to_csv(result: WorldCheck) -> str:
    """One row per pair, through the one CSV writer (:func:`bordermap.io.csvsafe.to_csv`)."""
    cols = _columns(result)
    return str(safe_csv(pd.DataFrame([{c: row.get(c) for c in cols} for row in result.rows], columns=cols)))


def to_json(result: WorldCheck) -> str:
    """Rows, unmatched Factbook names, the summary and the source, as one JSON object."""
    payload = {
        "source": result.source,
        "depictions": result.depictions,
        "depictions_text": depictions_text(result),
        "summary": result.summary(),
        "pairs": [{c: row.get(c) for c in _columns(result)} for row in result.rows],
        "unmatched": result.unmatched,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1, allow_nan=False, default=str) + "\n"


def _cell(column: str, value: Any) -> str:
    """A table cell as the Markdown and HTML tables write it.

    A Factbook figure as quoted (984, 10.5; not 984.0), a ratio to three decimals, a measured
    length to 0.1 km from 10 km up and to three significant figures below (4.64 km, not 4.642:
    metres of a line drawn to ±50 m).
    """
    if not isinstance(value, float) or math.isnan(value):
        return _fmt(value)
    if column.startswith("factbook_"):
        return quoted_km(value)
    if column.startswith("ratio_"):
        return _fmt(value, 3)
    return _fmt(value, shown_digits(value))


def _md_cell(column: str, value: Any) -> str:
    return _cell(column, value).replace("|", "\\|").replace("\n", " ")


def to_markdown(result: WorldCheck) -> str:
    """The summary, the table and the unmatched names as Markdown."""
    s = result.summary()
    lines = [
        "# Land borders against the World Factbook",
        "",
        f"Source: {result.source}. Depictions: {depictions_text(result)}.",
        "",
        f"- Pairs in the Factbook: {s['pairs_in_factbook']}; drawn by a depiction: {s['pairs_measured']}; "
        f"both: {s['pairs_matched']}.",
        f"- Factbook only: {s['factbook_only']}; depictions only: {s['depictions_only']}; "
        f"unmatched Factbook names: {s['unmatched_names']}.",
        "- Median ratio (Factbook ÷ measured): "
        + ", ".join(f"{d} {_fmt(v, 3)}" for d, v in s["median_ratio"].items()) + ".",
        "- Verdicts: " + ", ".join(f"{v} {n}" for v, n in s["verdicts"].items()) + ".",
        "",
        f"> {DISCLAIMER}",
        "",
    ]
    cols = _columns(result)
    lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_md_cell(c, row.get(c)) for c in cols) + " |" for row in result.rows]
    if result.unmatched:
        lines += ["", "## Factbook names without a country in the depictions", ""]
        lines += [f"- {u['entry']}: {u['text']} — {u['why']}".replace("|", "\\|") for u in result.unmatched]
    return "\n".join(lines) + "\n"


def _colour(ratio: float | None) -> str:
    if ratio is None:
        return "#cccccc"
    return next(c for top, c, _ in RATIO_CLASSES if ratio < top)


def _factbook_text(row: dict[str, Any]) -> str:
    """The Factbook's figure for a pair; both countries' entries when they differ.

    Examples
    --------
    >>> _factbook_text({"name_a": "Germany", "name_b": "Poland", "factbook_a_km": 447.0, "factbook_b_km": 467.0})
    "Factbook 447 km (Germany's entry), 467 km (Poland's entry)"
    >>> _factbook_text({"name_a": "A", "name_b": "B", "factbook_a_km": 984.0, "factbook_b_km": 984.0})
    'Factbook 984 km'
    """
    given = [(str(row[f"name_{s}"]), float(row[f"factbook_{s}_km"])) for s in ("a", "b")
             if row.get(f"factbook_{s}_km") is not None]
    if not given:
        return "not in the Factbook"
    if len({km for _, km in given}) == 1:
        return f"Factbook {quoted_km(given[0][1])} km"
    return "Factbook " + ", ".join(f"{quoted_km(km)} km ({name}'s entry)" for name, km in given)


def _measured_text(row: dict[str, Any], depiction: str) -> str:
    """The length one depiction gives and the ratio(s) of the Factbook's figure(s) to it, naming it."""
    km = row.get(f"{depiction}_km")
    if km is None:
        return f"{depiction}: not drawn"
    figures = sorted({v for v in (row.get("factbook_a_km"), row.get("factbook_b_km")) if v is not None})
    ratios = "–".join(_fmt(f / km, 3) for f in figures)
    return f"{depiction} {_cell(f'{depiction}_km', km)} km" + (f", ratio {ratios}" if ratios else "")


def _svg(result: WorldCheck, width: int = 960, height: int = 480) -> str:
    first = result.depictions[0]
    paths = []
    rows = {(r["a"], r["b"]): r for r in result.rows}
    for (a, b), geom in sorted(result.lines.items()):
        row = rows[(a, b)]
        # the line drawn is the first depiction's that draws the pair (WorldCheck.lines); its ratio colours it
        shown = next((d for d in result.depictions if row.get(f"{d}_km")), first)
        ratio = row.get(f"ratio_{shown}")
        simple = shapely.simplify(geom, 0.05)
        d = []
        for part in shapely.get_parts(simple):
            xy = shapely.get_coordinates(part)
            if len(xy) < 2:
                continue
            pts = " ".join(f"{(x + 180) / 360 * width:.1f},{(90 - y) / 180 * height:.1f}" for x, y in xy)
            d.append("M" + " L".join(pts.split(" ")))
        if not d:
            continue
        label = f"{row['name_a']} – {row['name_b']}: {_factbook_text(row)}; {_measured_text(row, shown)}"
        paths.append(
            f'<path d="{" ".join(d)}" stroke="{_colour(ratio)}"><title>{html.escape(label)}</title></path>'
        )
    graticule = "".join(
        f'<line x1="0" y1="{(90 - lat) / 180 * height:.1f}" x2="{width}" y2="{(90 - lat) / 180 * height:.1f}"/>'
        for lat in range(-60, 90, 30)
    ) + "".join(
        f'<line x1="{(lon + 180) / 360 * width:.1f}" y1="0" x2="{(lon + 180) / 360 * width:.1f}" y2="{height}"/>'
        for lon in range(-150, 180, 30)
    )
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="Shared land borders coloured by ratio">'
        f'<rect width="{width}" height="{height}" fill="#f4f6f8"/>'
        f'<g stroke="#dde3e8" stroke-width="0.5">{graticule}</g>'
        f'<g fill="none" stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round">{"".join(paths)}</g></svg>'
    )


def to_html(result: WorldCheck) -> str:
    """A self-contained page: summary, legend, SVG map, table, unmatched names, sources, disclaimer."""
    e = html.escape
    s = result.summary()
    first = result.depictions[0]
    legend = "".join(
        f'<li><span class="sw" style="background:{c}"></span>{e(label)}</li>' for _, c, label in RATIO_CLASSES
    ) + '<li><span class="sw" style="background:#cccccc"></span>no Factbook figure</li>'
    cols = _columns(result)
    head = "".join(f"<th>{e(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(
            f"<td>{e(_cell(c, row.get(c)))}</td>" for c in cols
        ) + "</tr>"
        for row in result.rows
    )
    unmatched = "".join(f"<li>{e(u['entry'])}: {e(u['text'])} — {e(u['why'])}</li>" for u in result.unmatched)
    verdicts = ", ".join(f"{e(v)} {n}" for v, n in s["verdicts"].items())
    medians = ", ".join(f"{e(d)} {_fmt(v, 3)}" for d, v in s["median_ratio"].items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Land borders against the World Factbook</title>
<style>
body{{font:14px/1.4 system-ui,sans-serif;margin:0;padding:12px;color:#222}}
.wrap{{display:flex;flex-wrap:wrap;gap:16px}}
.map{{flex:1 1 560px;min-width:300px}} .side{{flex:1 1 420px;min-width:300px}}
svg{{width:100%;height:auto;border:1px solid #ccd}}
.sw{{display:inline-block;width:18px;height:4px;margin-right:6px;vertical-align:middle}}
ul.legend{{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:10px}}
.tbl{{max-height:70vh;overflow:auto}} table{{border-collapse:collapse;font-size:12px}}
th,td{{border-bottom:1px solid #e3e3e3;padding:2px 6px;text-align:left;white-space:nowrap}}
th{{position:sticky;top:0;background:#fff}}
footer{{margin-top:12px;font-size:12px;color:#555}}
</style></head><body>
<h1>Land borders against the World Factbook</h1>
<p>Pairs in the Factbook: {s['pairs_in_factbook']}; drawn by a depiction: {s['pairs_measured']};
both: {s['pairs_matched']}.
Median ratio (Factbook ÷ measured): {medians}. Verdicts: {verdicts}.</p>
<div class="wrap"><div class="map">{_svg(result)}
<p>Colour: Factbook figure ÷ length measured on {e(first)}, or on the first depiction that draws the
pair where {e(first)} does not (each line's title names it); where the two countries' entries differ,
the smaller one (the title gives both).</p><ul class="legend">{legend}</ul></div>
<div class="side"><div class="tbl"><table><thead><tr>{head}</tr></thead>
<tbody>{body}</tbody></table></div></div></div>
<h2>Factbook names without a country in the depictions</h2><ul>{unmatched or '<li>none</li>'}</ul>
<footer><p>Sources: {e(result.source)}; depictions {e(depictions_text(result))} (see docs/data-sources.md).</p>
<p>{e(DISCLAIMER)}</p></footer>
</body></html>
"""


def write_world(result: WorldCheck, path: Path) -> Path:
    """Write the result in the format the file's suffix names (``.csv``, ``.json``, ``.md``, ``.html``)."""
    kind = FORMATS.get(Path(path).suffix.lower())
    if kind is None:
        raise UsageError(f"{path}: unknown format; use one of {', '.join(FORMATS)}")
    text = {"csv": to_csv, "json": to_json, "md": to_markdown, "html": to_html}[kind](result)
    return write_text(Path(path), text)
