"""``bordermap measure``: geodesic lengths and areas per feature or grouped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from bordermap.cli.helpers import emit
from bordermap.cli.options import (
    as_of_opt,
    bbox_opt,
    dataset_arg,
    filter_opt,
    format_opt,
    perspective_opt,
)
from bordermap.measure import MEASURED_LAYERS, summarize
from bordermap.measure import measure as measure_dataset
from bordermap.validate import load_valid


@click.command(short_help="Geodesic lengths (km) and areas (km²) per feature or grouped.")
@dataset_arg
@click.option("--layer", "layers", multiple=True, type=click.Choice(MEASURED_LAYERS),
              help="Layer(s) to measure (default: all measurable layers).")
@click.option("--by", "by", default=None, metavar="FIELD[,FIELD]",
              help="Group and sum by feature properties, e.g. depiction,part or sides or status.")
@perspective_opt
@as_of_opt
@bbox_opt
@filter_opt
@format_opt()
def measure(path: Path | None, layers: tuple[str, ...], by: str | None, perspective: str,
            as_of: dt.date | None, bbox: tuple[float, float, float, float] | None,
            match: tuple[str, tuple[str, ...]] | None, fmt: str) -> None:
    """Measure every feature on the WGS84 ellipsoid (exact geodesics, GeographicLib's method).

    Lines give length_km; polygons give area_km2 and their perimeter as length_km (holes
    included). With --perspective and --as-of, only the features in that view on that date are
    measured, and status is the status on that date. JSON output is a list of records with the
    fields layer, id, kind, depiction, part, status, length_km, area_km2, perspective, as_of.

    PATH may also be a plain GeoParquet, FlatGeobuf or GeoPackage file, or a large GeoJSON file
    (read once and cached as GeoParquet; see docs/performance.md); --bbox and --filter are then
    applied while reading.
    """
    dataset = load_valid(path, bbox, match, plain_ok=True)
    groups = [g.strip() for g in by.split(",")] if by else []
    table = measure_dataset(dataset, layers or MEASURED_LAYERS, perspective, as_of, carry=groups)
    if groups:
        missing = [g for g in groups if g not in table.columns or table[g].isna().all()]
        if missing:
            raise click.BadParameter(f"no feature has {', '.join(missing)}", param_hint="--by")
        table = summarize(table, groups)
    emit(table, fmt)
