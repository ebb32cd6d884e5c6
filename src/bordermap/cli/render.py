"""``bordermap render``: a print-quality static map (PNG, SVG or PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from bordermap.cli.options import _bbox, as_of_opt, dataset_arg, lang_opt, output_opt, page_opt, perspective_opt
from bordermap.perspective import require_view
from bordermap.validate import load_valid


@click.command(short_help="Draw a print-quality map page as PNG, SVG or PDF.")
@dataset_arg
@output_opt(help="Output file: .png, .svg or .pdf.")
@click.option("--section", metavar="ID", help="Centre on one disputed section and highlight it.")
@perspective_opt
@as_of_opt
@page_opt
@click.option("--size", metavar="A4|letter|WxH",
              help="Page size instead of --page: a paper name, or pixels such as 1200x675 (web, social media; "
              "PNG at exactly that size).")
@click.option("--extent", callback=_bbox, metavar="W,S,E,N", help="Show this box (degrees) instead of the whole line.")
@click.option("--title", help="Title instead of the dataset's (or the section's) name.")
@click.option("--subtitle", help="A line under the title, before the date and perspective.")
@click.option("--theme", type=click.Choice(["color", "print"]), default="color", show_default=True,
              help="print: greyscale (dashes and hatches keep the lines apart).")
@lang_opt
@click.option("--dpi", type=click.IntRange(50, 1200), default=200, show_default=True, help="Resolution of PNG output.")
def render(path: Path | None, output: Path, section: str | None, perspective: str, as_of: dt.date | None,
           page: str, size: str | None, extent: tuple[float, float, float, float] | None, title: str | None,
           subtitle: str | None, theme: str, lang: str, dpi: int) -> None:
    """Draw a map page: the line(s) of every depiction, disputed sections, places and incidents.

    The page has a legend, geodesic scale bar, north arrow, locator inset, date, perspective,
    sources with their licences and the dataset's disclaimer. Without --as-of the map shows the
    dataset's as-of date.
    """
    from bordermap.maps.static import parse_size
    from bordermap.maps.static import render as render_map

    dataset = load_valid(path, outputs=(output,))
    require_view(dataset, perspective)
    written = render_map(dataset, output, perspective, as_of, section=section,
                         page=parse_size(size) if size else page, dpi=dpi, title=title, subtitle_text=subtitle,
                         extent=extent, theme=theme, lang=lang)
    click.echo(f"Wrote {written}", err=True)
