"""``bordermap map``: the interactive map, one self-contained HTML file that works offline."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import click

from bordermap.cli.helpers import text_table
from bordermap.cli.options import as_of_opt, dataset_arg, lang_opt, output_opt, perspective_opt
from bordermap.i18n import messages
from bordermap.maps.facts import depiction_summary, view_caption
from bordermap.perspective import require_view
from bordermap.validate import load_valid

log = logging.getLogger(__name__)

BASEMAP_CHOICES = ("none", "osm", "topo", "imagery")


@click.command(name="map", short_help="Write the interactive map: one offline HTML file.")
@dataset_arg
@output_opt(help="Output HTML file.")
@perspective_opt
@as_of_opt
@click.option(
    "--basemap",
    type=click.Choice(BASEMAP_CHOICES),
    default="none",
    show_default=True,
    help="Background: none (offline: the data's own country polygons) or an online tile service "
    "(osm, topo, imagery), which the page then loads from the network.",
)
@lang_opt
@click.option(
    "--embed",
    is_flag=True,
    help="For an iframe: no footer, a one-line credit and disclaimer, the panel folded away "
    "(any map opened with #embed in its URL does the same).",
)
@click.option(
    "--summary",
    "with_summary",
    is_flag=True,
    help="First print per depiction the main line's length and each enclave's perimeter and area.",
)
def map(
    path: Path | None,
    output: Path,
    perspective: str,
    as_of: dt.date | None,
    basemap: str,  # noqa: A001
    lang: str,
    embed: bool,
    with_summary: bool,
) -> None:
    """Write an interactive map of a dataset to one HTML file that needs no network.

    The map shows every depiction of the line, enclaves, disputed sections (dashed where disputed),
    divergence, incidents and places, with popups naming every source. The reader switches
    perspective (neutral, de facto, each country) and date in the page; --perspective and --as-of
    choose what it shows first (default: neutral, the dataset's as-of date).
    """
    from bordermap.maps.html import write_map

    started = time.perf_counter()
    dataset = load_valid(path, outputs=(output,))
    require_view(dataset, perspective)
    checked = time.perf_counter()
    if with_summary:
        tr = messages(lang)
        click.echo(view_caption(dataset, perspective, as_of, tr))
        table = depiction_summary(dataset, perspective, as_of, tr)
        click.echo(text_table(table, right=table.columns[2:4]))
    measured = time.perf_counter()
    written = write_map(
        dataset, output, perspective=perspective, as_of=as_of, basemap=basemap, lang=lang, embed=embed
    )
    done = time.perf_counter()
    log.info(
        "load+validate %.2f s, summary %.2f s, html %.2f s",
        checked - started,
        measured - checked,
        done - measured,
    )
    click.echo(f"Wrote {written} ({written.stat().st_size / 1e6:.2f} MB)", err=True)
