"""Output helpers shared by commands: one writer for table, CSV and JSON output."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import click
import pandas as pd

from bordermap.io.csvsafe import to_csv
from bordermap.io.textsafe import terminal_safe


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def emit(frame: pd.DataFrame, fmt: str, floatfmt: str | Callable[[float], str] = "{:,.3f}",
         formats: Mapping[str, Callable[[float], str]] | None = None) -> None:
    """Write a table to stdout as an aligned text table, CSV or a JSON list of records.

    ``formats`` writes the floats of some columns of the text table (column → function).
    """
    if fmt == "json":
        records = [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]
        click.echo(terminal_safe(json.dumps(records, ensure_ascii=False, indent=2, default=str), json=True))
    elif fmt == "csv":
        click.echo(to_csv(frame), nl=False)
    else:
        click.echo(terminal_safe(text_table(frame, floatfmt, formats)))


def text_table(frame: pd.DataFrame, floatfmt: str | Callable[[float], str] = "{:,.3f}",
               formats: Mapping[str, Callable[[float], str]] | None = None, right: Iterable[str] = ()) -> str:
    """An aligned plain-text table; numbers right-aligned, missing values blank.

    ``floatfmt`` writes a float: a format string, or a function (e.g. a language's
    :meth:`bordermap.i18n.Messages.number`); ``formats`` overrides it for some columns; the
    columns in ``right`` are right-aligned too (numbers already written as text).
    """
    def cell(value: Any, column: str = "") -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, float):
            own = (formats or {}).get(column)
            if own is not None:
                return own(value)
            return floatfmt(value) if callable(floatfmt) else floatfmt.format(value)
        if isinstance(value, (list, tuple)):
            return ", ".join(map(str, value))
        return str(value)

    headers = [str(c) for c in frame.columns]
    cells = [[cell(v, c) for v, c in zip(row, headers, strict=True)] for row in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) or c in set(right) for c in frame.columns]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        padded = (v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True))
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in cells)])
