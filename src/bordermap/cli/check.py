"""``bordermap check``: check published figures against what the data measures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
import geopandas as gpd
import pandas as pd

from bordermap.check import check_figures, claim_band, parse_claim, summary_table
from bordermap.check.verdicts import SCALE, verdict_words
from bordermap.cli.helpers import text_table
from bordermap.cli.options import as_of_option, dataset_arg, format_opt, lang_opt
from bordermap.errors import UsageError
from bordermap.i18n import Messages, messages
from bordermap.io.csvsafe import to_csv
from bordermap.io.geojson import write_layer
from bordermap.io.textsafe import terminal_safe
from bordermap.maps.facts import day_text
from bordermap.model import Dataset
from bordermap.report import Block, shown, to_markdown
from bordermap.validate import load_valid


def _markdown(records: list[dict[str, Any]], tr: Messages) -> str:
    """The checks as Markdown: a summary table, then each figure with its reasoning and sources."""
    blocks = [Block("h2", tr("Figure checks")), Block("table", table=shown(summary_table(records, tr.lang), tr))]
    for r in records:
        blocks.append(Block("h3", f"{r['figure_id']}: {verdict_words(r['verdict'], tr)}"))
        if r.get("statement"):
            blocks.append(
                Block(
                    "p",
                    f"“{r['statement']}” — {r.get('speaker') or tr('unknown')}, "
                    f"{day_text(r['date'], tr) if r.get('date') else tr('undated')}",
                )
            )
        blocks.append(Block("p", r["explanation"]))
        if r.get("settle"):
            blocks.append(Block("p", tr("What would settle it: {settle}.", settle=r["settle"])))
        if r["measured"]:
            measured = pd.DataFrame(r["measured"])[["depiction", "definition", "value", "low", "high", "role"]]
            # An extrapolated scale interval has no value of its own: its middle would read as a measurement.
            measured["value"] = measured["value"].where(measured["role"] != SCALE)
            blocks.append(Block("table", table=shown(measured, tr)))
        sources = [
            f"{s.get('publisher') or ''}: {s.get('title') or s['id']} ({s.get('date') or tr('undated')}) "
            f"{s.get('url') or ''}".strip()
            for s in r["sources"]
        ]
        if sources:
            blocks.append(Block("list", items=sources))
    return to_markdown(blocks, tr)


def _bands(dataset: Dataset, records: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Claim bands of the land claims checked: on the side of the pair the claimant does not hold.

    Raises a usage error naming the reason when no checked figure can be drawn as a band.
    """
    frames, skipped = [], []
    for r in records:
        if r["category"] != "area_claim":
            continue
        party = r.get("speaker_party")
        if party not in dataset.pair or r["measured_unit"] != "km²" or not r.get("value"):
            skipped.append(
                f"{r['figure_id']} ({'no claimant of the pair' if party not in dataset.pair else 'no area in km²'})"
            )
            continue
        other = next(c for c in dataset.pair if c != party)
        band = claim_band(dataset, float(r["value_in_measured_unit"]), side=other)
        band["figure_id"] = r["figure_id"]
        frames.append(band)
    if not frames:
        why = (
            "the area claims checked cannot be drawn: " + "; ".join(skipped)
            if skipped
            else "none of the figures checked is an area claim"
        )
        raise UsageError(
            f"--bands: nothing to write, {why}. Name the claimant, e.g. "
            f"--claim \"area_claim:{dataset.pair[0]}=2110km2\"."
        )
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


#: Columns of ``check --format csv``, one row per figure.
CSV_COLUMNS = (
    "figure_id",
    "category",
    "measures",
    "statement",
    "value",
    "value_max",
    "unit",
    "date",
    "dates_compared",
    "speaker",
    "speaker_party",
    "verdict",
    "compared_depiction",
    "compared_definition",
    "compared_value",
    "measured_unit",
    "ratio",
    "difference",
    "miss",
    "explanation",
    "settle",
    "sources",
)

def _csv(records: list[dict[str, Any]]) -> str:
    rows = []
    for r in records:
        basis = r.get("compared_with") or {}
        row = {
            **{k: r.get(k) for k in CSV_COLUMNS},
            "compared_depiction": basis.get("depiction"),
            "compared_definition": basis.get("definition"),
            "compared_value": basis.get("value"),
            "sources": "; ".join(str(s.get("url") or s["id"]) for s in r.get("sources") or []),
        }
        rows.append({k: row[k] for k in CSV_COLUMNS})
    # The one CSV writer: formula-leading text neutralised, a CR inside a cell quoted.
    return str(to_csv(pd.DataFrame(rows, columns=list(CSV_COLUMNS))))


@click.command(short_help="Check published figures against what the data measures.")
@dataset_arg
@click.option(
    "--figure",
    "figure_ids",
    multiple=True,
    metavar="ID",
    help="Check only this figure (repeatable).",
)
@click.option(
    "--claim",
    "claims",
    multiple=True,
    metavar="CATEGORY[:FEATURE]=VALUE[UNIT]",
    help=(
        "Check a figure given here (repeatable), e.g. border_length=971km, "
        "enclave_area:vorukh=84.5km2 (the enclave), area_claim:TJ=2110km2 (the claimant). "
        "Undated unless --as-of is given: compared on every date."
    ),
)
@as_of_option(help="The date of the figures given with --claim (YYYY[-MM[-DD]]); without it they are "
               "undated and compared on every date. The register's figures keep their own dates.")
@format_opt(("table", "json", "md", "csv"))
@lang_opt
@click.option(
    "--bands",
    "bands",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=(
        "Write the area claims checked as bands along the line (GeoJSON) for maps; exit 2 with "
        "the reason when none can be drawn."
    ),
)
def check(
    path: Path | None,
    figure_ids: tuple[str, ...],
    claims: tuple[str, ...],
    as_of: dt.date | None,
    fmt: str,
    lang: str,
    bands: Path | None,
) -> None:
    """Check every figure of the dataset's register (figures.json), or the ones named.

    For each figure: the measured counterparts (per depiction, with and without enclave
    perimeters, on the figure's date — on every date when it is undated — and at the rulers of
    official maps), the difference and ratio, and a verdict by one rule: the first explanation
    whose interval overlaps the figure's — within_uncertainty, within_spread, line_vintage,
    different_definition, map_scale — else unexplained (with the nearest miss), or
    not_measurable. Figures given with --claim are dated --as-of, undated without it. The rule
    and its decision table are in docs/checking-figures.md.

    --lang sets the language of the explanations, of what would settle each question, and of
    the table and Markdown (headings, column names, verdicts and numbers in words of that
    language); JSON and CSV keep the verdict and category codes.
    """
    dataset = load_valid(path, outputs=tuple(p for p in (bands,) if p))
    extra = [parse_claim(c, as_of) for c in claims]
    tr = messages(lang)
    records = check_figures(dataset, figure_ids, extra, register=bool(figure_ids) or not claims, lang=lang)
    if bands is not None:
        write_layer(_bands(dataset, records), bands, inputs=(dataset.path,) if dataset.path else ())
    if fmt == "json":
        click.echo(terminal_safe(json.dumps(records, ensure_ascii=False, indent=2, default=str), json=True))
    elif fmt == "csv":
        click.echo(_csv(records), nl=False)
    elif fmt == "md":
        click.echo(terminal_safe(_markdown(records, tr)), nl=False)
    else:
        click.echo(terminal_safe(text_table(shown(summary_table(records, lang), tr), lambda x: tr.number(x, 3))))
        for r in records:
            click.echo(terminal_safe(f"\n{r['figure_id']} [{verdict_words(r['verdict'], tr)}]: {r['explanation']}"))
