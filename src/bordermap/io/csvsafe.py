"""CSV that spreadsheets read as data: the one writer of every CSV bordermap produces.

Two faults of naive CSV (issue #16): a text cell that starts with ``=``, ``+``, ``-``, ``@``, TAB or
CR is run as a formula by spreadsheet programs (CSV injection, as OWASP describes it), and a bare
CR inside a cell splits the row for every RFC 4180 reader unless the cell is quoted. So text cells
(and column names) that start with one of those characters get a leading apostrophe, which
spreadsheets show as text; numbers stay numbers (``-5.0`` in a numeric column is written as is);
rows end with CRLF as RFC 4180 asks, which makes the writer quote every cell holding a CR or LF.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    """A text cell that no spreadsheet runs as a formula; other values unchanged.

    Examples
    --------
    >>> neutral("=HYPERLINK(1)"), neutral("-1 km"), neutral(-1.5), neutral("Sokh")
    ("'=HYPERLINK(1)", "'-1 km", -1.5, 'Sokh')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`neutral` applied to text cells and to column names."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(neutral)
    out.columns = [neutral(str(c)) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str | None:
    r"""Write ``frame`` as safe CSV to ``path``, or return the text when ``path`` is None.

    Examples
    --------
    >>> to_csv(pd.DataFrame({"name": ["=1+1", "a\rb"], "km": [-2.5, 3.0]})).split("\r\n")
    ['name,km', "'=1+1,-2.5", '"a\rb",3.0', '']
    """
    return neutral_frame(frame).to_csv(
        path, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
