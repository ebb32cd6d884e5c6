"""``bordermap render``: a print-quality static map (PNG, SVG or PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from bordermap.cli.options import as_of_opt, dataset_arg, output_opt, page_opt, perspective_opt
from bordermap.validate import load_valid


@click.command(short_help="Draw a print-quality map page as PNG, SVG or PDF.")
@dataset_arg
@output_opt(help="Output file: .png, .svg or .pdf.")
@click.option("--section", metavar="ID", help="Centre on one disputed section and highlight it.")
@perspective_opt
@as_of_opt
@page_opt
@click.option("--dpi", type=click.IntRange(50, 1200), default=200, show_default=True, help="Resolution of PNG output.")
def render(path: Path | None, output: Path, section: str | None, perspective: str, as_of: dt.date | None,
           page: str, dpi: int) -> None:
    """Draw a map page: the line(s) of every depiction, disputed sections, places and incidents.

    The page has a legend, geodesic scale bar, north arrow, locator inset, date, perspective,
    sources with their licences and the dataset's disclaimer. Without --as-of the map shows the
    dataset's as-of date.
    """
    from bordermap.maps.static import render as render_map

    dataset = load_valid(path, outputs=(output,))
    written = render_map(dataset, output, perspective, as_of, section=section, page=page, dpi=dpi)
    click.echo(f"Wrote {written}", err=True)
