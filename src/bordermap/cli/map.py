"""``bordermap map``: the interactive map, one self-contained HTML file that works offline."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import click
import pandas as pd

from bordermap.cli.helpers import text_table
from bordermap.cli.options import as_of_opt, dataset_arg, lang_opt, output_opt, perspective_opt
from bordermap.measure import measure
from bordermap.model import Dataset
from bordermap.perspective import require_view
from bordermap.spread import spreads
from bordermap.text import digits_for
from bordermap.validate import load_valid

log = logging.getLogger(__name__)

BASEMAP_CHOICES = ("none", "osm", "topo", "imagery")


def summary(dataset: Dataset, perspective: str, as_of: dt.date | None, written: bool = False) -> pd.DataFrame:
    """Per depiction: the main line's length, then each enclave's perimeter and area, with the range.

    Beside each value, ``length_range_km`` and ``area_range_km2`` give the range of the same
    thing across every depiction that draws it (:mod:`bordermap.spread`); the default depiction
    is marked as a drawing choice, not as the value. ``written`` gives the lengths and areas as
    text, to the digits the depiction's line gives (:func:`bordermap.text.digits_for`: 914.3 km
    for a line drawn to ±50 m, not 914.329).

    Examples
    --------
    >>> import bordermap
    >>> table = summary(bordermap.load("tests/data/mini"), "neutral", None)
    >>> table[["depiction", "feature"]].values.tolist()
    [['alpha', 'main line'], ['alpha', 'enclave e1'], ['beta', 'main line']]
    """
    table = measure(dataset, ["boundary", "areas"], perspective, as_of, carry=["enclave_key"])
    found = spreads(dataset, perspective, as_of, table)
    default = dataset.default_depiction if dataset.depictions else None
    precision = {d: dataset.depiction(d).get("precision_m") for d in dataset.depictions}

    def span(thing: str, quantity: str) -> str:
        spread = found.get(thing, {}).get(quantity)
        if spread is None:
            return ""
        if len(spread.values) == 1:
            return "one depiction only"
        # both ends to the digits of the smaller (0.655–0.845, not 0.7–0.8), or of the finest line's precision
        finest = min((p for d in spread.values if (p := precision.get(d))), default=None)
        places = digits_for(spread.low, finest)
        low, high = f"{spread.low:,.{places}f}", f"{spread.high:,.{places}f}"
        return f"{low if low == high else f'{low}–{high}'} ({len(spread.values)} depictions)"

    rows = []
    for depiction in dataset.depictions:
        mine = table[table["depiction"] == depiction]
        note = "default depiction (a drawing choice)" if depiction == default else ""
        main = mine[(mine["layer"] == "boundary") & (mine["part"] == "main")]
        if not main.empty:
            rows.append(
                {
                    "depiction": depiction,
                    "feature": "main line",
                    "length_km": main["length_km"].sum(),
                    "area_km2": float("nan"),
                    "length_range_km": span("main line", "length_km"),
                    "area_range_km2": "",
                    "note": note,
                }
            )
        enclaves = mine[(mine["layer"] == "areas") & mine["kind"].isin(["enclave", "exclave"])]
        for _, row in enclaves.sort_values("enclave_key", na_position="last").iterrows():
            key = row["enclave_key"] if isinstance(row["enclave_key"], str) else row["id"]
            thing = f"{row['kind']} {key}"
            rows.append(
                {
                    "depiction": depiction,
                    "feature": thing,
                    "length_km": row["length_km"],
                    "area_km2": row["area_km2"],
                    "length_range_km": span(thing, "length_km"),
                    "area_range_km2": span(thing, "area_km2"),
                    "note": note,
                }
            )
    table = pd.DataFrame(rows, columns=["depiction", "feature", "length_km", "area_km2", "length_range_km",
                                        "area_range_km2", "note"])
    if written:
        for column in ("length_km", "area_km2"):
            table[column] = [
                "" if v != v else f"{v:,.{digits_for(v, precision.get(d))}f}"
                for v, d in zip(table[column], table["depiction"], strict=True)
            ]
    return table


@click.command(name="map", short_help="Write the interactive map: one offline HTML file.")
@dataset_arg
@output_opt(help="Output HTML file.")
@perspective_opt
@as_of_opt
@click.option(
    "--basemap",
    type=click.Choice(BASEMAP_CHOICES),
    default="none",
    show_default=True,
    help="Background: none (offline: the data's own country polygons) or an online tile service "
    "(osm, topo, imagery), which the page then loads from the network.",
)
@lang_opt
@click.option(
    "--embed",
    is_flag=True,
    help="For an iframe: no footer, a one-line credit and disclaimer, the panel folded away "
    "(any map opened with #embed in its URL does the same).",
)
@click.option(
    "--summary",
    "with_summary",
    is_flag=True,
    help="First print per depiction the main line's length and each enclave's perimeter and area.",
)
def map(
    path: Path | None,
    output: Path,
    perspective: str,
    as_of: dt.date | None,
    basemap: str,  # noqa: A001
    lang: str,
    embed: bool,
    with_summary: bool,
) -> None:
    """Write an interactive map of a dataset to one HTML file that needs no network.

    The map shows every depiction of the line, enclaves, disputed sections (dashed where disputed),
    divergence, incidents and places, with popups naming every source. The reader switches
    perspective (neutral, de facto, each country) and date in the page; --perspective and --as-of
    choose what it shows first (default: neutral, the dataset's as-of date).
    """
    from bordermap.maps.html import write_map

    started = time.perf_counter()
    dataset = load_valid(path, outputs=(output,))
    require_view(dataset, perspective)
    checked = time.perf_counter()
    if with_summary:
        click.echo(text_table(summary(dataset, perspective, as_of, written=True), right=("length_km", "area_km2")))
    measured = time.perf_counter()
    written = write_map(
        dataset, output, perspective=perspective, as_of=as_of, basemap=basemap, lang=lang, embed=embed
    )
    done = time.perf_counter()
    log.info(
        "load+validate %.2f s, summary %.2f s, html %.2f s",
        checked - started,
        measured - checked,
        done - measured,
    )
    click.echo(f"Wrote {written} ({written.stat().st_size / 1e6:.2f} MB)", err=True)
