"""Who sees what, and when: the perspective rule and the as-of rule of the data model.

The perspective rule is Overture Maps' (divisions schema): the view of country C holds every
feature without ``perspectives``, the features ``accepted_by`` C and the features not
``disputed_by`` C. The de facto view holds undisputed features and those with a non-empty
``controlled_by``; the neutral view holds everything. In every view a feature whose status on the
chosen date is ``disputed`` or ``undetermined`` is drawn dashed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd

from bordermap.dates import parse_date
from bordermap.model import DASHED_STATUSES

NEUTRAL = "neutral"
DE_FACTO = "de-facto"


def _is_set(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float):
        return value == value  # NaN is "not set"
    return bool(value)


def in_view(props: Mapping[str, Any], view: str) -> bool:
    """Whether a feature belongs to a perspective (``neutral``, ``de-facto`` or an ISO2 code).

    Examples
    --------
    >>> kg_line = {"perspectives": {"mode": "accepted_by", "countries": ["KG"]}}
    >>> in_view(kg_line, "KG"), in_view(kg_line, "TJ"), in_view(kg_line, "neutral")
    (True, False, True)
    >>> in_view({"perspectives": {"mode": "disputed_by", "countries": ["TJ"]}}, "TJ")
    False
    """
    if view == NEUTRAL:
        return True
    persp = props.get("perspectives")
    if not _is_set(persp):
        return True
    if view == DE_FACTO:
        return _is_set(props.get("controlled_by"))
    countries = persp.get("countries") or []
    if persp.get("mode") == "accepted_by":
        return view in countries
    return view not in countries


def exists_on(props: Mapping[str, Any], day: dt.date) -> bool:
    """Whether a feature exists on a day (``valid_from <= day < valid_to``, nulls open).

    Examples
    --------
    >>> import datetime as dt
    >>> enclave = {"valid_to": "2025-03-19"}
    >>> exists_on(enclave, dt.date(2025, 3, 18)), exists_on(enclave, dt.date(2025, 3, 19))
    (True, False)
    """
    start, stop = props.get("valid_from"), props.get("valid_to")
    if _is_set(start) and day < parse_date(start):
        return False
    return not (_is_set(stop) and day >= parse_date(stop))


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
    history = props.get("status_history")
    if day is None or not _is_set(history):
        status = props.get("status")
        return str(status) if _is_set(status) else "undetermined"
    for entry in history:
        start, stop = entry.get("from"), entry.get("to")
        if (not start or parse_date(start) <= day) and (not stop or day < parse_date(stop, end=False)):
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
    history = props.get("course_history")
    if _is_set(history):
        if day is None:
            return str(history[-1]["course"])
        for entry in history:
            start, stop = entry.get("from"), entry.get("to")
            if (not start or parse_date(start) <= day) and (not stop or day < parse_date(stop, end=False)):
                return str(entry["course"])
    return "depicted" if _is_set(props.get("depiction")) else "unknown"


def select(
    frame: gpd.GeoDataFrame, perspective: str = NEUTRAL, as_of: dt.date | str | None = None
) -> gpd.GeoDataFrame:
    """Filter a layer to one perspective and date; add ``status`` (as of the date) and ``dashed``.

    Parameters
    ----------
    frame
        A layer.
    perspective
        ``neutral``, ``de-facto`` or an ISO 3166-1 alpha-2 code.
    as_of
        A date; None keeps every feature and the current status.

    Returns
    -------
    GeoDataFrame
        The features in view, with ``status`` and ``course`` (:func:`course_on`) resolved and
        a boolean ``dashed`` column.
    """
    day = parse_date(as_of) if as_of is not None else None
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    keep = [in_view(r, perspective) and (day is None or exists_on(r, day)) for r in records]
    out = frame.loc[pd.Series(keep, index=frame.index, dtype=bool)].copy()
    kept = [r for r, k in zip(records, keep, strict=True) if k]
    statuses = [status_on(r, day) for r in kept]
    out["status"] = statuses
    out["dashed"] = [s in DASHED_STATUSES for s in statuses]
    out["course"] = [course_on(r, day) for r in kept]
    return out
