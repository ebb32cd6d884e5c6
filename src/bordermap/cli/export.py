"""``bordermap export``: GeoJSON, GeoPackage, KML or CSV for other tools."""

from __future__ import annotations

from pathlib import Path

import click

from bordermap.cli.options import dataset_arg, output_opt
from bordermap.export import REGISTRIES
from bordermap.export import export as export_dataset
from bordermap.model import LAYERS
from bordermap.validate import load_valid

# The help is passed to click rather than taken from the docstring: it needs click's "\b" (keep the
# next lines as they are), which a raw docstring would turn into a literal backslash.
_HELP = """Export a dataset for other tools.

    \b
    .geojson  RFC 7946; several layers go into one file with a "layer" property
    .gpkg     one table per layer plus the sources and figures registries (QGIS)
    .kml      one folder per layer, names and descriptions (Google Earth)
    .csv      attribute table with length_km and area_km2 (spreadsheets); --wkt adds geometry

    Nested properties (lists, objects) become JSON text in GeoPackage, KML and CSV. A failed export
    leaves no partial file.
    """


@click.command(short_help="Export layers to GeoJSON, GeoPackage (QGIS), KML (Google Earth) or CSV.", help=_HELP)
@dataset_arg
@output_opt(help="Output file: .geojson, .gpkg, .kml or .csv (the suffix picks the format).")
@click.option("--layer", "layers", multiple=True, type=click.Choice([*LAYERS, *REGISTRIES]),
              help="Layer to export (repeatable; default: every layer present).")
@click.option("--wkt", is_flag=True, help="CSV: add each feature's geometry as WKT.")
def export(path: Path | None, output: Path, layers: tuple[str, ...], wkt: bool) -> None:
    """Export a dataset for other tools (the command's help is ``_HELP``)."""
    written = export_dataset(load_valid(path, outputs=(output,)), output, layers, wkt=wkt)
    click.echo(f"Wrote {written}", err=True)
