"""``bordermap import``: turn a KML, GeoPackage, Shapefile or CSV into data-model features."""

from __future__ import annotations

from pathlib import Path

import click

from bordermap.model import AREA_KINDS, STATUSES


@click.command(
    name="import", short_help="Import a KML, GeoPackage, Shapefile or CSV into a dataset."
)
@click.argument(
    "input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="A .geojson file (single-file dataset) or a dataset directory to add the features to.",
)
@click.option(
    "--layer",
    type=click.Choice(["boundary", "areas", "sections", "places", "incidents"]),
    default="boundary",
    show_default=True,
    help="Layer the features go into.",
)
@click.option(
    "--id-field", metavar="F", help="Column of feature ids (default: <file stem>_<row number>)."
)
@click.option(
    "--name-field", metavar="F", help="Column of English names (default: a column called 'name')."
)
@click.option(
    "--sides",
    nargs=2,
    metavar="LEFT RIGHT",
    help="Boundary: ISO2 codes left and right of the line.",
)
@click.option(
    "--depiction", metavar="NAME", help="Boundary/areas: the depiction the geometry belongs to."
)
@click.option(
    "--status", type=click.Choice(list(STATUSES)), help="Status of every imported feature."
)
@click.option(
    "--kind",
    type=click.Choice(list(AREA_KINDS)),
    help="Areas: the kind of polygon (default claim_area).",
)
@click.option(
    "--precision-m",
    type=click.FloatRange(min=0),
    metavar="METRES",
    help="Horizontal uncertainty of the geometry in metres.",
)
@click.option("--date-field", metavar="F", help="Incidents: column of the start date.")
@click.option(
    "--keep-field",
    "keep_fields",
    multiple=True,
    metavar="F",
    help="Copy this column as is (repeatable).",
)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Set a property on every feature; VALUE is JSON when it parses (repeatable).",
)
@click.option("--source-id", metavar="ID", help="Source every feature cites (in sources.json).")
@click.option("--source-title", metavar="T", help="Title of a source new to the dataset.")
@click.option("--source-url", metavar="URL", help="URL of a new source.")
@click.option(
    "--source-kind",
    type=click.Choice(["government", "media", "reference", "dataset"]),
    help="Kind of a new source (default dataset).",
)
@click.option("--source-license", metavar="SPDX", help="License of a new dataset source (SPDX id).")
@click.option(
    "--source-attribution", metavar="TEXT", help="Attribution a new dataset source asks for."
)
@click.option("--lon-field", metavar="F", help="CSV: longitude column.")
@click.option("--lat-field", metavar="F", help="CSV: latitude column.")
@click.option("--wkt-field", metavar="F", help="CSV: WKT geometry column.")
@click.option(
    "--crs",
    metavar="EPSG:XXXX",
    help="CRS of the input when it does not say (overrides what it says).",
)
@click.option("--input-layer", metavar="NAME", help="Layer to read from a multi-layer input.")
@click.option(
    "--encoding",
    metavar="NAME",
    help="Encoding of the attributes when the input does not say (e.g. cp1251 for a shapefile "
    "without .cpg); without it, text that is not UTF-8 is refused rather than mis-read.",
)
@click.option(
    "--geometry-method",
    metavar="TEXT",
    help="How the geometry was obtained (default: from the file).",
)
def import_(
    input_path: Path,
    output: Path,
    layer: str,
    id_field: str | None,
    name_field: str | None,
    sides: tuple[str, str] | None,
    depiction: str | None,
    status: str | None,
    kind: str | None,
    precision_m: float | None,
    date_field: str | None,
    keep_fields: tuple[str, ...],
    assignments: tuple[str, ...],
    source_id: str | None,
    source_title: str | None,
    source_url: str | None,
    source_kind: str | None,
    source_license: str | None,
    source_attribution: str | None,
    lon_field: str | None,
    lat_field: str | None,
    wkt_field: str | None,
    crs: str | None,
    input_layer: str | None,
    encoding: str | None,
    geometry_method: str | None,
) -> None:
    """Import the features of INPUT into a dataset, reprojected to WGS84.

    The data model needs attributes a plain file rarely has (sources, precision, the line's
    sides and depiction…): the command lists every one that is missing with the option that
    supplies it. The input is only read; outputs are written atomically. Into a dataset directory,
    features replace those with the same id, and a new source or depiction is registered.
    """
    from bordermap.errors import UsageError
    from bordermap.io.importer import ImportSpec, parse_assignment, run_import

    if kind and layer != "areas":
        raise UsageError(f"--kind applies to the areas layer, not {layer}")
    source = {
        "title": source_title,
        "url": source_url,
        "kind": source_kind,
        "license": source_license,
        "attribution": source_attribution,
    }
    spec = ImportSpec(
        layer=layer,
        id_field=id_field,
        name_field=name_field,
        sides=tuple(c.upper() for c in sides) if sides else None,  # type: ignore[arg-type]
        depiction=depiction,
        status=status,
        source_id=source_id,
        source={k: v for k, v in source.items() if v is not None},
        precision_m=precision_m,
        kind=kind,
        date_field=date_field,
        keep_fields=keep_fields,
        properties=dict(map(parse_assignment, assignments)),
        lon_field=lon_field,
        lat_field=lat_field,
        wkt_field=wkt_field,
        crs=crs,
        input_layer=input_layer,
        encoding=encoding,
        geometry_method=geometry_method,
    )
    written, count = run_import(input_path, output, spec)
    click.echo(f"Imported {count} feature(s) from {input_path} into {written}")
