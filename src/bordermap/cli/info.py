"""``bordermap info``: what a dataset holds."""

from __future__ import annotations

from pathlib import Path

import click

from bordermap.cli.options import dataset_arg, format_opt
from bordermap.inventory import inventory
from bordermap.validate import load_valid


@click.command(short_help="Describe a dataset: layers, counts, depictions, dates, sources.")
@dataset_arg
@format_opt(("text", "json"))
def info(path: Path | None, fmt: str) -> None:
    """Describe a dataset: layers and feature counts, depictions, date range and sources.

    Also the disputed sections counted by status (now and before the dataset's key dates).
    """
    report = inventory(load_valid(path))
    if fmt == "json":
        import json

        click.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{report['title']} ({report['id']}), as of {report['as_of']}")
    click.echo(f"Pair: {' – '.join(report['pair'])}")
    click.echo("Layers:")
    for name, count in report["layers"].items():
        click.echo(f"  {name:<11} {count:>6} features")
    click.echo("Depictions:")
    for dep in report["depictions"]:
        click.echo(f"  {dep['id']:<9} {dep.get('title', '')} ({dep.get('vintage', 'date unknown')})")
    if report["date_range"]:
        click.echo(f"Dates in data: {report['date_range'][0]} to {report['date_range'][1]}")
    by_kind = ", ".join(f"{k} {v}" for k, v in report["sources"]["by_kind"].items())
    click.echo(f"Sources: {report['sources']['total']} ({by_kind})")
    click.echo(f"Figures: {report['figures']}")
    if report["sections"]["total"]:
        click.echo(f"Disputed sections documented: {report['sections']['total']}")
        for day, counts in report["sections"]["by_status"].items():
            click.echo(f"  status as of {day}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
