"""``bordermap info``: what a dataset holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bordermap.cli.options import dataset_arg, format_opt
from bordermap.inventory import inventory
from bordermap.io.textsafe import terminal_safe
from bordermap.maps.style import course_legend
from bordermap.validate import load_valid


@click.command(short_help="Describe a dataset: layers, counts, depictions, dates, sources.")
@dataset_arg
@format_opt(("text", "json"))
def info(path: Path | None, fmt: str) -> None:
    """Describe a dataset: layers and feature counts, depictions, date range and sources.

    Also the disputed sections counted by status (now and before the dataset's key dates), what
    is known of the line's course, and the swap ledger's totals beside the officials'.
    """
    dataset = load_valid(path)
    report = inventory(dataset)
    report["course"] = course_legend(dataset)
    if fmt == "json":
        import json

        click.echo(terminal_safe(json.dumps(report, ensure_ascii=False, indent=2, default=str), json=True))
        return
    click.echo(terminal_safe("\n".join(_lines(report))))


#: Units as the register codes them → as they are written.
UNIT_SIGNS = {"km2": "km²", "sq km": "km²"}


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
    for line in report["course"]:
        out.append(f"Course of the line: {line}")
    if report["date_range"]:
        out.append(f"Dates in data: {report['date_range'][0]} to {report['date_range'][1]}")
    by_kind = ", ".join(f"{k} {v}" for k, v in report["sources"]["by_kind"].items())
    out.append(f"Sources: {report['sources']['total']} ({by_kind})")
    out.append(f"Figures: {report['figures']}")
    if report["sections"]["total"]:
        out.append(f"Disputed sections documented: {report['sections']['total']}")
        for day, counts in report["sections"]["by_status"].items():
            out.append(f"  status as of {day}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        sections = report["sections"]
        out.append(
            f"  geometry: {sections['with_geometry']} with one ({sections['placeholder']} of them "
            f"stand-ins), {sections['without_geometry']} without"
        )
    swaps = report.get("swaps") or {}
    if swaps:
        received = ", ".join(f"to {p} {v:,.1f} ha" for p, v in swaps["received_ha"].items())
        listed = ", ".join(f"to {p} {v:,.1f} ha" for p, v in swaps["listed_ha"].items())
        out.append(f"Swap ledger: {swaps['exchanges']} exchanges, each counted once: {received}")
        out.append(f"  ({swaps['accounts_text']})")
        out.append(f"  (summing every section's list and package totals instead would give {listed})")
        for total in swaps["stated_totals"]:
            to = f" to {total['receives']}" if total.get("receives") else ""
            unit = UNIT_SIGNS.get(total["unit"], total["unit"])
            out.append(
                f"  stated: {total['value']:,g} {unit}{to}, by {total['said_by']} "
                f"({total['said_by_party']}, {total['date'] or 'date unknown'})"
            )
            if total.get("note"):  # its qualifier and scope ("about", "Batken district only") go with it
                out.append(f"    {total['note']}")
    return out
