"""``bordermap init``: start a dataset for any pair of countries from the world depictions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from bordermap.cli.options import as_of_option, upstream_cache_opt


@click.command(short_help="Start a dataset for a pair of countries from world depictions.")
@click.option(
    "--pair",
    nargs=2,
    required=True,
    metavar="A B",
    help="Two ISO 3166-1 alpha-2 codes, e.g. KG UZ.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Dataset directory to create.",
)
@upstream_cache_opt
@click.option(
    "--origin",
    default="auto",
    show_default=True,
    metavar="ISO2|auto|west",
    help="Third country whose tripoint starts the chainage; 'west': the line's western end.",
)
@click.option(
    "--depiction",
    "depictions",
    multiple=True,
    metavar="ID",
    help="Build only this depiction (repeatable; osm2022, osm2017, ne10).",
)
@as_of_option(help="The as-of date written to the new dataset's dataset.json (YYYY[-MM[-DD]]; default: today).")
@click.pass_context
def init(
    ctx: click.Context,
    pair: tuple[str, str],
    output: Path,
    cache: Path | None,
    origin: str,
    depictions: tuple[str, ...],
    as_of: dt.date | None,
) -> None:
    """Build a dataset skeleton for the border between countries A and B.

    Reads OpenStreetMap (about 2022 and 2017) and Natural Earth 10m country polygons, fetched
    once with npm and pip into the cache: the shared line per depiction (oriented from a
    tripoint), both countries' polygons around it, every enclave, the settlements near the line,
    empty sections and incidents layers, dataset.json and sources.json with licenses. Statuses
    start as undetermined: fill them, the sections and the figures in from your sources
    (docs/your-own-border.md).
    """
    from bordermap.init import INIT_DEPICTIONS, init_dataset
    from bordermap.upstream.fetch import cache_dir

    quiet = (ctx.obj or {}).get("verbosity", 0) < 0
    dataset = init_dataset(
        pair,
        output,
        cache_dir(cache),
        as_of=as_of.isoformat() if as_of else None,
        origin={"auto": "auto", "west": None}.get(origin.lower(), origin.upper()),
        depictions=depictions or INIT_DEPICTIONS,
        progress=None if quiet else (lambda line: click.echo(line, err=True)),
    )
    click.echo(f"{output}: {dataset.meta['title']}, depictions {', '.join(dataset.depictions)}")
