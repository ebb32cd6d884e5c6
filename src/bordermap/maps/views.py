"""Which features the interactive map shows in each perspective on each date, computed in Python.

The map offers every perspective (neutral, de facto, and each country the data names) on every
date of its timeline. Rather than repeat the perspective rule in JavaScript, this module applies
:mod:`bordermap.perspective` to every feature in every (perspective, date) state and hands the map a
small table: per feature one character per state, ``-`` when hidden, otherwise its status code.
Identical rows are shared, so the table stays a few kilobytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from bordermap.dates import parse_date
from bordermap.model import STATUSES, Dataset
from bordermap.perspective import DE_FACTO, NEUTRAL, exists_on, in_view, status_on

HIDDEN = "-"
#: One character per status, in :data:`bordermap.model.STATUSES` order.
STATUS_CODES: dict[str, str] = {s: str(i) for i, s in enumerate(STATUSES)}


def records(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """The properties of each feature, without the missing ones (NaN in a column)."""
    rows = pd.DataFrame(frame.drop(columns=frame.geometry.name)).to_dict("records")
    return [{k: v for k, v in row.items() if not (isinstance(v, float) and v != v)} for row in rows]


def perspectives(dataset: Dataset) -> list[str]:
    """The perspectives a dataset supports.

    These are neutral, de facto, the dataset's pair, and every other country a feature's
    ``perspectives`` names.

    Examples
    --------
    >>> import bordermap
    >>> perspectives(bordermap.load())[:4]
    ['neutral', 'de-facto', 'KG', 'TJ']
    """
    countries = list(dataset.meta.get("pair", []))
    for frame in dataset.layers.values():
        if "perspectives" not in frame.columns:
            continue
        for persp in frame["perspectives"].dropna():
            countries += [c for c in persp.get("countries", []) if c not in countries]
    return [NEUTRAL, DE_FACTO, *countries]


@dataclass(frozen=True)
class Moment:
    """A date of the timeline and why it is there."""

    day: dt.date
    why: tuple[str, ...]


def _changes(record: dict[str, Any]) -> Iterable[tuple[dt.date, str]]:
    name = (record.get("names") or {}).get("en") or record.get("id") or "feature"
    for entry in record.get("status_history") or []:
        if entry.get("from"):
            yield parse_date(entry["from"]), f"{name}: {entry.get('status')}"
        if entry.get("to"):
            yield parse_date(entry["to"]), f"{name}: end of {entry.get('status')}"
    for key, verb in (("valid_from", "appears"), ("valid_to", "ends")):
        if record.get(key):
            yield parse_date(record[key]), f"{name} {verb}"


def timeline(
    dataset: Dataset,
    extra: Iterable[dt.date] = (),
    layer_records: Mapping[str, list[dict[str, Any]]] | None = None,
) -> list[Moment]:
    """The dates the map's time control offers, oldest first.

    Each date on which a status changes or a feature appears or ends is there, with the day
    before it, so the state before and after every change can be shown; so are the dataset's
    ``key_dates``, its ``as_of`` date and any ``extra`` dates. ``layer_records`` may hand over
    the layers' :func:`records` when the caller has them already.

    Examples
    --------
    >>> import bordermap
    >>> days = [m.day.isoformat() for m in timeline(bordermap.load())]
    >>> "2025-03-18" in days and "2025-03-19" in days
    True
    """
    why: dict[dt.date, list[str]] = {}
    for name in ("boundary", "areas", "sections", "divergence"):
        found = layer_records.get(name) if layer_records is not None else None
        for record in found if found is not None else records(dataset.layer(name)):
            for day, reason in _changes(record):
                if day > dt.date.min:  # the day before the change (none before 0001-01-01)
                    why.setdefault(day - dt.timedelta(days=1), [])
                why.setdefault(day, []).append(reason)
    for day in dataset.meta.get("key_dates", []):
        why.setdefault(parse_date(day), []).append("key date")
    if dataset.meta.get("as_of"):
        why.setdefault(parse_date(dataset.meta["as_of"]), []).append("as of date of the dataset")
    for day in extra:
        why.setdefault(day, []).append("requested date")
    return [Moment(day, tuple(dict.fromkeys(reasons))) for day, reasons in sorted(why.items())]


def _happened(record: dict[str, Any], day: dt.date) -> bool:
    # Incidents carry event dates, not validity: an incident is on the map once it has begun.
    start = record.get("date_start")
    return not start or parse_date(start) <= day


def _cells(record: dict[str, Any], days: list[dt.date]) -> str:
    cells = []
    for day in days:
        present = exists_on(record, day) and (
            record.get("kind") != "incident" or _happened(record, day)
        )
        cells.append(
            STATUS_CODES.get(status_on(record, day), STATUS_CODES["undetermined"])
            if present
            else HIDDEN
        )
    return "".join(cells)


_TIME_KEYS = ("status", "status_history", "valid_from", "valid_to", "kind", "date_start")


def state_rows(features: list[dict[str, Any]], views: list[str], days: list[dt.date]) -> list[str]:
    """Per feature (its properties), one character per (view, day) state, views outermost.

    Examples
    --------
    >>> import datetime as dt
    >>> kg_only = {"id": "a", "perspectives": {"mode": "accepted_by", "countries": ["KG"]}, "status": "disputed"}
    >>> state_rows([kg_only], ["neutral", "TJ"], [dt.date(2020, 1, 1)])
    ['4-']
    """
    # Many features share one history (every segment of a line, say): work each history out once.
    seen: dict[str, str] = {}
    out = []
    for record in features:
        key = repr([record.get(k) for k in _TIME_KEYS])
        cells = seen.get(key)
        if cells is None:
            cells = seen[key] = _cells(record, days)
        out.append(
            "".join(cells if in_view(record, view) else HIDDEN * len(days) for view in views)
        )
    return out
