"""Dates as the data model writes them: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse_date(value: str | dt.date, *, end: bool = False) -> dt.date:
    """Parse a full or partial ISO date.

    A partial date stands for a period; ``end=False`` gives its first day, ``end=True`` the day
    after its last (so that periods compare as half-open intervals).

    Examples
    --------
    >>> parse_date("2025-03")
    datetime.date(2025, 3, 1)
    >>> parse_date("2025-03", end=True)
    datetime.date(2025, 4, 1)
    >>> parse_date("2024", end=True)
    datetime.date(2025, 1, 1)
    >>> parse_date("9999-12-31", end=True)
    datetime.date(9999, 12, 31)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return _parse_text(value, end)
    return _parse_text.__wrapped__(value, end)


@functools.lru_cache(maxsize=4096)
def _parse_text(value: Any, end: bool) -> dt.date:
    """:func:`parse_date` of anything else (strings remembered: a map asks for a few dates thousands of times)."""
    match = _PARTIAL.match(str(value).strip())
    if not match:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    # "is None", not "or": month 00 and day 00 must fail, not read as January / the 1st.
    start = dt.date(year, 1 if month is None else month, 1 if day is None else day)  # ValueError if impossible
    if not end:
        return start
    if year == dt.MAXYEAR and (month is None or month == 12) and (day is None or day == 31):
        return dt.date.max  # the day after 9999-12-31 has no date: the end of the calendar
    if day:
        return start + dt.timedelta(days=1)
    if month:
        return dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year + 1, 1, 1)
