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
from bordermap.cli.helpers import text_table
from bordermap.cli.options import as_of_opt, dataset_arg, format_opt
from bordermap.io.geojson import write_layer
from bordermap.io.textsafe import terminal_safe
from bordermap.model import Dataset
from bordermap.report import Block, to_markdown
from bordermap.validate import load_valid


def _markdown(records: list[dict[str, Any]]) -> str:
    """The checks as Markdown: a summary table, then each figure with its reasoning and sources."""
    blocks = [Block("h2", "Figure checks"), Block("table", table=summary_table(records))]
    for r in records:
        blocks.append(Block("h3", f"{r['figure_id']}: {r['verdict']}"))
        if r.get("statement"):
            blocks.append(
                Block(
                    "p",
                    f"“{r['statement']}” — {r.get('speaker') or 'unknown'}, {r.get('date') or 'undated'}",
                )
            )
        blocks.append(Block("p", r["explanation"]))
        if r.get("settle"):
            blocks.append(Block("p", f"What would settle it: {r['settle']}."))
        if r["measured"]:
            blocks.append(
                Block(
                    "table",
                    table=pd.DataFrame(r["measured"])[["depiction", "definition", "value", "role"]],
                )
            )
        sources = [
            f"{s.get('publisher') or ''}: {s.get('title') or s['id']} ({s.get('date') or 'n.d.'}) "
            f"{s.get('url') or ''}".strip()
            for s in r["sources"]
        ]
        if sources:
            blocks.append(Block("list", items=sources))
    return to_markdown(blocks)


def _bands(dataset: Dataset, records: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Claim bands of the land claims checked: on the side of the pair the claimant does not hold."""
    frames = []
    for r in records:
        party = r.get("speaker_party")
        if (
            r["category"] != "area_claim"
            or party not in dataset.pair
            or r["measured_unit"] != "km²"
        ):
            continue
        other = next(c for c in dataset.pair if c != party)
        band = claim_band(
            dataset, float(r["value"]) * (0.01 if r["unit"] == "ha" else 1.0), side=other
        )
        band["figure_id"] = r["figure_id"]
        frames.append(band)
    if not frames:
        return gpd.GeoDataFrame({"id": []}, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


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
    metavar="CATEGORY=VALUE[UNIT]",
    help="Check a figure given here, e.g. border_length=971km or area_claim=2110km2 (repeatable).",
)
@as_of_opt
@format_opt(("table", "json", "md"))
@click.option(
    "--bands",
    "bands",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the area claims as bands along the line (GeoJSON) for maps.",
)
def check(
    path: Path | None,
    figure_ids: tuple[str, ...],
    claims: tuple[str, ...],
    as_of: dt.date | None,
    fmt: str,
    bands: Path | None,
) -> None:
    """Check every figure of the dataset's register (figures.json), or the ones named.

    For each figure: the measured counterparts (per depiction, with and without enclave
    perimeters, as of the figure's date, and at the rulers of official maps), the difference and
    ratio, a verdict — within_uncertainty, line_vintage, different_definition, map_scale,
    unexplained or not_measurable — with the reason, and what data would settle it. Figures given
    with --claim are dated --as-of (default: the dataset's as-of date). The method is in
    docs/checking-figures.md.
    """
    dataset = load_valid(path, outputs=(bands,))
    day = as_of or dataset.meta.get("as_of")
    extra = [parse_claim(c, day) for c in claims]
    records = check_figures(dataset, figure_ids, extra, register=bool(figure_ids) or not claims)
    if bands is not None:
        write_layer(_bands(dataset, records), bands, inputs=(dataset.path,) if dataset.path else ())
    if fmt == "json":
        click.echo(terminal_safe(json.dumps(records, ensure_ascii=False, indent=2, default=str), json=True))
    elif fmt == "md":
        click.echo(terminal_safe(_markdown(records)), nl=False)
    else:
        click.echo(terminal_safe(text_table(summary_table(records), "{:,.3f}")))
        for r in records:
            click.echo(terminal_safe(f"\n{r['figure_id']} [{r['verdict']}]: {r['explanation']}"))
