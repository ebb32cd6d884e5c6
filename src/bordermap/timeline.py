"""The as-of rules of the data model: whether a feature exists on a day, and its status then.

A feature exists from ``valid_from`` (inclusive) to ``valid_to`` (exclusive), either open when
null; its status on a day is the ``status_history`` entry covering the day. These are the only
implementations of both rules; :mod:`bordermap.perspective` applies them to whole layers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bordermap.dates import parse_date
from bordermap.model import is_set


def covers(entry: Mapping[str, Any], day: dt.date) -> bool:
    """Whether a dated entry (``from`` inclusive, ``to`` exclusive, either open) covers a day.

    Examples
    --------
    >>> import datetime as dt
    >>> covers({"from": "2021", "to": "2025-03-31"}, dt.date(2025, 3, 30)), covers({"to": "2021"}, dt.date(2021, 1, 1))
    (True, False)
    """
    start, stop = entry.get("from"), entry.get("to")
    return (not start or parse_date(start) <= day) and (not stop or day < parse_date(stop))


def exists_on(props: Mapping[str, Any], day: dt.date) -> bool:
    """Whether a feature exists on a day (``valid_from <= day < valid_to``, nulls open).

    Examples
    --------
    >>> import datetime as dt
    >>> enclave = {"valid_to": "2025-03-19"}
    >>> exists_on(enclave, dt.date(2025, 3, 18)), exists_on(enclave, dt.date(2025, 3, 19))
    (True, False)
    """
    # Property values are untyped JSON: Any, not Optional (is_set tests for a value).
    start: Any = props.get("valid_from")
    stop: Any = props.get("valid_to")
    if is_set(start) and day < parse_date(start):
        return False
    return not (is_set(stop) and day >= parse_date(stop))


def status_on(props: Mapping[str, Any], day: dt.date | None) -> str:
    """The status of a feature on a day, from ``status_history`` (current ``status`` if no day).

    Examples
    --------
    >>> import datetime as dt
    >>> f = {"status": "settled", "status_history": [
    ...     {"from": None, "to": "2025-03-19", "status": "disputed"},
    ...     {"from": "2025-03-19", "to": None, "status": "settled"}]}
    >>> status_on(f, dt.date(2021, 4, 28)), status_on(f, dt.date(2025, 6, 1)), status_on(f, None)
    ('disputed', 'settled', 'settled')
    """
    history: Any = props.get("status_history")
    if day is None or not is_set(history):
        status = props.get("status")
        return str(status) if is_set(status) else "undetermined"
    for entry in history:
        if covers(entry, day):
            return str(entry["status"])
    return "undetermined"


def course_on(props: Mapping[str, Any], day: dt.date | None) -> str:
    """What is known of a feature's course on a day, from ``course_history``.

    One of :data:`bordermap.model.COURSES`. With no day, the last entry speaks (the current
    state). Without a history, or where no entry covers the day, the course of a feature drawn
    by a depiction is ``depicted`` (only as that depiction draws it), otherwise ``unknown``:
    a course is ``published`` only when the data says so.

    Examples
    --------
    >>> import datetime as dt
    >>> f = {"depiction": "osm2022", "course_history": [
    ...     {"from": None, "to": "2025-03-19", "course": "depicted"},
    ...     {"from": "2025-03-19", "to": None, "course": "not_published"}]}
    >>> course_on(f, dt.date(2021, 4, 28)), course_on(f, dt.date(2025, 6, 1)), course_on(f, None)
    ('depicted', 'not_published', 'not_published')
    >>> course_on({"status": "agreed"}, None), course_on({"depiction": "ne10"}, None)
    ('unknown', 'depicted')
    """
    history: Any = props.get("course_history")
    if is_set(history):
        if day is None:
            return str(history[-1]["course"])
        for entry in history:
            if covers(entry, day):
                return str(entry["course"])
    return "depicted" if is_set(props.get("depiction")) else "unknown"
