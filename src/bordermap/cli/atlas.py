"""``bordermap atlas``: a PDF with an overview and one page per disputed section."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from bordermap.cli.options import as_of_opt, dataset_arg, lang_opt, output_opt, page_opt, perspective_opt
from bordermap.errors import UsageError
from bordermap.perspective import require_view
from bordermap.validate import load_valid


@click.command(short_help="Write a PDF atlas: overview map and a page per disputed section.")
@dataset_arg
@output_opt(help="Output PDF file.")
@perspective_opt
@as_of_opt
@page_opt
@lang_opt
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Processes drawing pages (default: one per CPU when there are 6 sections or more; 1: this one).")
def atlas(path: Path | None, output: Path, perspective: str, as_of: dt.date | None, page: str, lang: str,
          jobs: int | None) -> None:
    """Write an atlas: an overview map, a table of the disputed sections, then a page per section.

    Each section's page has a map of its surroundings, its attributes, the parties' positions
    (attributed), its status history, its geodesic length or area and its sources. A section
    without geometry gets a page that names its districts and draws no map. ``--lang ru`` writes
    every interface string, date and number in Russian, with the data's Russian names where it has them.
    """
    from bordermap.maps.atlas import write_atlas

    if output.suffix.lower() != ".pdf":
        raise UsageError(f"{output}: the atlas is a PDF; name the output *.pdf")
    dataset = load_valid(path, outputs=(output,))
    require_view(dataset, perspective)
    live = sys.stderr.isatty()
    root = click.get_current_context().find_root().obj or {}
    quiet = root.get("verbosity", 0) < 0  # bordermap -q: no progress either

    def progress(stage: str, done: int, total: int) -> None:
        # On a terminal one line on stderr, redrawn in place; elsewhere one line per stage.
        label = {"draw": "drew sections", "write": "wrote pages"}.get(stage, stage)
        if live:
            click.echo(f"\ratlas: {label} {done}/{total}", err=True, nl=done == total)
        elif done == total:
            click.echo(f"atlas: {label} {done}/{total}", err=True)

    written = write_atlas(dataset, output, perspective, as_of, page=page, progress=None if quiet else progress,
                          workers=jobs, lang=lang)
    click.echo(f"Wrote {written}", err=True)
