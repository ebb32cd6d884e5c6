"""``bordermap validate``: check a dataset against the data model and report every problem."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from bordermap.cli.options import dataset_arg, format_opt
from bordermap.errors import DataError
from bordermap.io.textsafe import terminal_safe


@click.command(short_help="Check a dataset against the data model; list every problem.")
@dataset_arg
@format_opt(("text", "json"))
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
def validate(path: Path | None, fmt: str, strict: bool) -> None:
    """Check a dataset directory or GeoJSON file (default: the bundled dataset).

    Reports every problem at once, one per line: file, feature id (or #index), property (JSON
    Pointer), message and a stable code (docs/errors.md). Exit status 0 when valid (warnings
    allowed unless --strict), 1 when invalid, 2 on a usage error. JSON output is a list of
    records with the fields severity, code, message, file, feature, prop.
    """
    from bordermap.validate import WARNINGS
    from bordermap.validate import validate as run

    problems = run(path)
    failing = [p for p in problems if strict or p.code not in WARNINGS]
    if fmt == "json":
        records = [
            {"severity": "warning" if p.code in WARNINGS else "error", **asdict(p)}
            for p in problems
        ]
        click.echo(terminal_safe(json.dumps(records, ensure_ascii=False, indent=2), json=True))
    else:
        for problem in problems:
            severity = "warning" if problem.code in WARNINGS else "error"
            click.echo(terminal_safe(f"{severity}: {problem}"))
    where = path if path is not None else "bundled dataset"
    warnings = len(problems) - len([p for p in problems if p.code not in WARNINGS])
    summary = f"{where}: {len(problems) - warnings} error(s), {warnings} warning(s)"
    if failing:
        raise DataError(f"{summary}; invalid")
    click.echo(f"{summary}; valid", err=True)
