"""``bordermap diverge``: where two depictions of the line put the ground on different sides."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pandas as pd

from bordermap.cli.helpers import emit
from bordermap.cli.options import DISTANCE, dataset_arg, format_opt, output_opt
from bordermap.diverge import divergence, noise_floor_m, offset_step_m
from bordermap.io.geojson import write_layer
from bordermap.io.textsafe import terminal_safe
from bordermap.text import digits_for, place_digits
from bordermap.validate import load_valid


@click.command(short_help="Polygons where two depictions of the line disagree.")
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@dataset_arg
@click.option(
    "--min-offset",
    "min_offset",
    type=DISTANCE,
    default=None,
    help="Drop polygons where the lines are never further apart than this (e.g. 100m, 1km). "
    "Default: the coarser depiction's precision_m; a narrower polygon is within what the lines "
    "claim to be accurate to.",
)
@format_opt(("table", "csv", "json"))
@output_opt(
    required=False, help="Also write the polygons as GeoJSON (the divergence layer's format)."
)
def diverge(
    a: str, b: str, path: Path | None, min_offset: float | None, fmt: str, output: Path | None
) -> None:
    """Compare depictions A and B (ids from the dataset's depictions) of the main line.

    Each polygon lies between the two lines: one depiction puts it in one country, the other in
    the other. Listed with its area (km², geodesic), which country each depiction assigns it to,
    the largest distance between the lines around it (max_offset_m, geodesic) and its chainage
    along A. Polygons where the lines are never further apart than the coarser depiction's
    precision are left out unless --min-offset says otherwise. JSON fields: id, assigned_by,
    area_km2, max_offset_m, chainage_km, precision_m.
    """
    dataset = load_valid(path, outputs=(output,))
    floor = noise_floor_m(dataset, a, b)
    layer = divergence(dataset, a, b, floor if min_offset is None else min_offset)
    if output is not None:
        inputs = (dataset.path,) if dataset.path else ()
        write_layer(layer, output, inputs=inputs)
    records = (
        [
            {
                "id": r["id"],
                "assigned_by": r["assigned_by"],
                "area_km2": r["area_km2"],
                "max_offset_m": r["max_offset_m"],
                "chainage_km": r["chainage_km"],
                "precision_m": r["precision_m"],
            }
            for r in layer.drop(columns="geometry").to_dict("records")
        ]
        if len(layer)
        else []
    )
    if fmt == "json":
        click.echo(terminal_safe(json.dumps(records, ensure_ascii=False, indent=2), json=True))
        return
    # Written to the digits the lines have (JSON keeps the computed values, with precision_m):
    # offsets to the leading place of the coarser line's precision, chainage to 0.1 km as in the
    # polygons' names, areas to 0.1 km² from 10 km² up (three significant figures below); more
    # digits only where the lines are precise enough to give them (bordermap.text.digits_for).
    step = offset_step_m(floor)
    chainage_places = max(1, place_digits(dataset.depiction(a).get("precision_m")))  # chainage is along A
    columns = ["id", f"{a}_assigns", f"{b}_assigns", "area_km2", "max_offset_m", "from_km", "to_km", "precision_m"]
    table = pd.DataFrame(
        [
            [
                r["id"],
                r["assigned_by"][a],
                r["assigned_by"][b],
                round(r["area_km2"], digits_for(r["area_km2"], floor)),
                round(r["max_offset_m"] / step) * step,
                *(round(km, chainage_places) for km in r["chainage_km"]),
                r["precision_m"],
            ]
            for r in records
        ],
        columns=columns,
    )
    emit(table, fmt, formats={
        "area_km2": lambda v: f"{v:,.{digits_for(v, floor)}f}", "max_offset_m": "{:,.0f}".format,
        "from_km": f"{{:,.{chainage_places}f}}".format, "to_km": f"{{:,.{chainage_places}f}}".format,
        "precision_m": "±{:,.0f}".format,
    })
    if fmt == "table":
        coarser = max((a, b), key=lambda d: float(dataset.depiction(d).get("precision_m") or 0.0))
        kept = floor if min_offset is None else min_offset
        total = sum(r["area_km2"] for r in records)
        note = (f", {coarser}'s precision" if kept == floor
                else f"; those under {floor:,.0f} m, {coarser}'s precision, are within what the lines claim to "
                "be accurate to" if kept < floor else "")
        click.echo(
            f"{len(table)} polygon(s), {total:,.{digits_for(total, floor)}f} km² in all "
            f"(max offset >= {kept:,.0f} m{note})",
            err=True,
        )
