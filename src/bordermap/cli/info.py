"""``bordermap info``: what a dataset holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bordermap.cli.options import dataset_arg, format_opt
from bordermap.inventory import inventory
from bordermap.io.textsafe import terminal_safe
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

        click.echo(terminal_safe(json.dumps(report, ensure_ascii=False, indent=2, default=str), json=True))
        return
    lines = _lines(report)
    click.echo(terminal_safe("\n".join(lines)))


def _lines(report: dict[str, Any]) -> list[str]:
    """The text form of :func:`bordermap.inventory.inventory`'s report."""
    out: list[str] = []
    out.append(f"{report['title']} ({report['id']}), as of {report['as_of']}")
    out.append(f"Pair: {' – '.join(report['pair'])}")
    out.append("Layers:")
    for name, count in report["layers"].items():
        out.append(f"  {name:<11} {count:>6} features")
    out.append("Depictions:")
    for dep in report["depictions"]:
        out.append(f"  {dep['id']:<9} {dep.get('title', '')} ({dep.get('vintage', 'date unknown')})")
    if report["date_range"]:
        out.append(f"Dates in data: {report['date_range'][0]} to {report['date_range'][1]}")
    by_kind = ", ".join(f"{k} {v}" for k, v in report["sources"]["by_kind"].items())
    out.append(f"Sources: {report['sources']['total']} ({by_kind})")
    out.append(f"Figures: {report['figures']}")
    if report["sections"]["total"]:
        out.append(f"Disputed sections documented: {report['sections']['total']}")
        for day, counts in report["sections"]["by_status"].items():
            out.append(f"  status as of {day}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return out
