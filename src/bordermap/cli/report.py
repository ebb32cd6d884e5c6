"""``bordermap report``: a Markdown and HTML report with maps, tables and figure checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from bordermap.cli.options import as_of_opt, dataset_arg, lang_opt, perspective_opt
from bordermap.perspective import require_view
from bordermap.validate import load_valid


@click.command(short_help="Write a Markdown + HTML report with maps, tables and figure checks.")
@dataset_arg
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output directory (created if missing): report.md, report.html, img/.")
@perspective_opt
@as_of_opt
@click.option("--no-maps", is_flag=True, help="Leave the maps out (faster; tables only).")
@lang_opt
def report(path: Path | None, output: Path, perspective: str, as_of: dt.date | None, no_maps: bool, lang: str) -> None:
    """Write a report ready to paste into a document.

    It holds the figure checks (or the figures register), the tables of disputed sections and
    incidents, each section's facts, and static maps as PNG. ``--lang ru`` writes the Markdown
    and HTML in Russian (figures.csv keeps English column names and verdict codes).
    """
    from bordermap.report import write_report

    dataset = load_valid(path)
    require_view(dataset, perspective)
    written = write_report(dataset, output, perspective, as_of, maps=not no_maps, lang=lang)
    click.echo(f"Wrote {written['markdown']}, {written['html']} and {written['figures']}", err=True)
