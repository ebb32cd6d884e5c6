"""``bordermap measure``: geodesic lengths and areas per feature or grouped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import click

from bordermap.cli import partitioned
from bordermap.cli.helpers import emit
from bordermap.cli.options import (
    as_of_opt,
    bbox_opt,
    dataset_arg,
    filter_opt,
    format_opt,
    perspective_opt,
)
from bordermap.measure import MEASURED_LAYERS
from bordermap.measure import measure as measure_dataset
from bordermap.measure_ahead import measuring_ahead
from bordermap.perspective import require_view
from bordermap.spread import measurement_table, spread_table
from bordermap.text import digits_for
from bordermap.validate import load_valid


@click.command(short_help="Geodesic lengths (km) and areas (km²) per feature or grouped.")
@dataset_arg
@partitioned.partitioned_opt
@click.option("--layer", "layers", multiple=True, type=click.Choice(MEASURED_LAYERS),
              help="Layer(s) to measure (default: all measurable layers).")
@click.option("--by", "by", default=None, metavar="FIELD[,FIELD]",
              help="Group and sum by feature properties, e.g. depiction,part or sides or status "
              "(always split by layer and depiction: different depictions are never added up).")
@click.option("--spread", "as_spread", is_flag=True,
              help="One row per thing the depictions draw (main line, each enclave, each "
              "country's part of the region): each depiction's value, the min–max range and how many "
              "depictions draw it (a thing one depiction alone draws has no range).")
@perspective_opt
@as_of_opt
@bbox_opt
@filter_opt
@format_opt()
def measure(path: Path | None, layers: tuple[str, ...], by: str | None, as_spread: bool, perspective: str,
            as_of: dt.date | None, bbox: tuple[float, float, float, float] | None,
            match: tuple[str, tuple[str, ...]] | None, fmt: str) -> None:
    """Measure every feature on the WGS84 ellipsoid (exact geodesics, GeographicLib's method).

    Lines give length_km; polygons give area_km2 and their perimeter as length_km (holes
    included). With --perspective and --as-of, only the features in that view on that date are
    measured, and status is the status on that date; in a country's view, stance is what that
    country's recorded positions say of the feature on that date (claims, claims_held_by_other,
    concedes, undetermined, shared; empty where none is recorded). JSON output is a list of records
    with the fields layer, id, kind, depiction, part, status, stance, course, placeholder, located,
    length_km, area_km2, note, thing, thing_length_km_min/max and thing_area_km2_min/max (the
    range of the whole thing across the depictions that draw it: for a 50 km segment, the main
    line's), perspective, as_of (without --as-of: "current status (dataset as of …)"). A
    placeholder (stand-in geometry) has no length or area; its note says what it stands in for;
    nor has a feature without geometry (located false), whose note says where the sources locate
    it. An unknown --perspective is refused (exit 2) with the dataset's views.

    --by sums per group, split by layer and by depiction as well, and says how many features the
    sums add (measured) and leave out (placeholders, features without geometry), whose drawings
    they add (drawn_by), the perspective and the date. --spread gives each depiction's value of
    every thing several depictions draw.

    PATH may also be a plain GeoParquet, FlatGeobuf or GeoPackage file, or a large GeoJSON file
    (parsed once and cached as GeoParquet, keyed on its content; see docs/performance.md); --bbox
    and --filter are then applied while reading. Such plain files are held to the read rules
    (finite coordinates within ±180/±90); a GeoJSON file with a top-level "bordermap" member is a
    dataset and is validated like one. With --dask, PATH and FILES are GeoParquet files
    measured partition by partition on a dask cluster (docs/scaling.md).
    """
    if by and as_spread:
        raise click.UsageError("--by and --spread are different tables; choose one")
    groups = [g.strip() for g in by.split(",")] if by else []
    # A large GeoJSON or GeoParquet file is measured batch by batch while it is read (measure_ahead);
    # not when filtered: the filters apply after the read, so it would measure what they drop.
    with measuring_ahead() if bbox is None and match is None else nullcontext() as ahead:
        dataset = load_valid(path, bbox, match, plain_ok=True, on_geometries=ahead)
        require_view(dataset, perspective)
        table = measure_dataset(dataset, layers or MEASURED_LAYERS, perspective, as_of, carry=groups)
    if as_spread:
        spread = spread_table(dataset, perspective, as_of)
        # Each value to the digits the depictions have (JSON keeps the computed values): 0.1 from
        # 10 up, three significant figures below, as the map's popups and the report write them.
        # (more where a precise line gives them: bordermap.text.digits_for).
        precision = {d: dataset.depiction(d).get("precision_m") for d in dataset.depictions}
        finest = min((float(p) for p in precision.values() if p), default=None)
        places: dict[str, float | None] = {c: precision[c] if c in precision else finest
                                           for c in ("min", "max", *dataset.depictions) if c in spread.columns}
        if fmt == "csv":
            for column, p in places.items():
                spread[column] = spread[column].map(lambda v, p=p: round(v, digits_for(v, p)) if v == v else v)
        emit(spread, fmt, formats={c: _written(p) for c, p in places.items()})
        return
    table = measurement_table(dataset, table, groups, perspective, as_of)
    added = [c for c in ("layer", "depiction") if groups and c in table.columns and c not in groups]
    if added and fmt == "table":
        click.echo(f"Also split by {' and '.join(added)}: different layers and different depictions of "
                   "the same line are never added together.", err=True)
    emit(table, fmt)


def _written(precision_m: float | None) -> Callable[[float], str]:
    """Write a value measured on a line drawn to ``precision_m`` (:func:`bordermap.text.digits_for`)."""
    return lambda v: f"{v:,.{digits_for(v, precision_m)}f}"
