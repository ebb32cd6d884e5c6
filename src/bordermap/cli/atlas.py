"""``bordermap atlas``: a PDF with an overview and one page per disputed section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from bordermap.cli.options import as_of_opt, dataset_arg, output_opt, page_opt, perspective_opt
from bordermap.errors import UsageError
from bordermap.validate import load_valid


@click.command(short_help="Write a PDF atlas: overview map and a page per disputed section.")
@dataset_arg
@output_opt(help="Output PDF file.")
@perspective_opt
@as_of_opt
@page_opt
def atlas(path: Path | None, output: Path, perspective: str, as_of: dt.date | None, page: str) -> None:
    """Write an atlas: an overview map, a table of the disputed sections, then a page per section.

    Each section's page has a map of its surroundings, its attributes, the parties' positions
    (attributed), its status history, its geodesic length or area and its sources. A section
    without geometry gets a page that names its districts and draws no map.
    """
    from bordermap.maps.atlas import write_atlas

    if output.suffix.lower() != ".pdf":
        raise UsageError(f"{output}: the atlas is a PDF; name the output *.pdf")
    written = write_atlas(load_valid(path, outputs=(output,)), output, perspective, as_of, page=page)
    click.echo(f"Wrote {written}", err=True)
