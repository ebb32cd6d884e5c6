"""Which features the interactive map shows in each perspective on each date, computed in Python.

The map offers every perspective (neutral, de facto, and each country the data names) on every
date of its timeline. Rather than repeat the perspective rule in JavaScript, this module applies
:mod:`bordermap.perspective` to every feature in every (perspective, date) state and hands the map a
small table: per feature one character per state, ``-`` when hidden, otherwise the code of its
*look*: its status, or in a country's view its status together with what that country's recorded
positions say of it (:func:`bordermap.perspective.stance_on`). Identical rows are shared, so the
table stays a few kilobytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from bordermap.dates import parse_date
from bordermap.maps.style import DRAWN_STATUSES, drawn_status
from bordermap.model import Dataset
from bordermap.perspective import NEUTRAL, course_on, in_view, stance_on, stance_words, views_of
from bordermap.timeline import exists_on, status_on

HIDDEN = "-"
#: The characters a state cell may hold (besides ``-``), one per look, in look order.
CODES = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: One character per drawn status (:data:`bordermap.maps.style.DRAWN_STATUSES`: a status, and a
#: fixed status whose course is not published), in that order (the first looks).
STATUS_CODES: dict[str, str] = {s: CODES[i] for i, s in enumerate(DRAWN_STATUSES)}


@dataclass
class Looks:
    """The looks a state cell can name: each drawn status, then each (status, stance) met so far.

    Examples
    --------
    >>> looks = Looks()
    >>> n = len(looks.entries)
    >>> looks.code("disputed") == STATUS_CODES["disputed"]
    True
    >>> looks.code("disputed", {"party": "KG", "stance": "claims", "belongs_to": "KG"}) == CODES[n]
    True
    >>> looks.entries[n]["name"]
    'disputed — KG says: KG territory'
    """

    entries: list[dict[str, Any]] = field(
        default_factory=lambda: [{"name": s, "status": s, "stance": None} for s in DRAWN_STATUSES]
    )
    _index: dict[tuple[str, str], str] = field(default_factory=dict)

    def code(self, status: str, stance: Mapping[str, Any] | None = None) -> str:
        """The cell character of a drawn status, with a country's stance when one is recorded."""
        if not stance:
            return STATUS_CODES.get(status, STATUS_CODES["undetermined"])
        words = stance_words(stance)
        key = (status, words)
        if key not in self._index:
            if len(self.entries) >= len(CODES):  # pragma: no cover - needs ~50 distinct stances
                return STATUS_CODES.get(status, STATUS_CODES["undetermined"])
            self._index[key] = CODES[len(self.entries)]
            # "said" keeps the stance, so that the page can word it in its own language (statusNames).
            self.entries.append({"name": f"{status} — {words}", "status": status, "stance": stance["stance"],
                                 "said": dict(stance)})
        return self._index[key]


def records(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """The properties of each feature, without the missing ones (NaN in a column)."""
    rows = pd.DataFrame(frame.drop(columns=frame.geometry.name)).to_dict("records")
    return [{k: v for k, v in row.items() if not (isinstance(v, float) and v != v)} for row in rows]


def perspectives(dataset: Dataset) -> list[str]:
    """The perspectives a dataset supports (:func:`bordermap.perspective.views_of`).

    Examples
    --------
    >>> import bordermap
    >>> perspectives(bordermap.load())[:4]
    ['neutral', 'de-facto', 'KG', 'TJ']
    """
    return views_of(dataset)


@dataclass(frozen=True)
class Reason:
    """Why a date is on the timeline, as a message template to translate and what fills it in.

    ``template`` has ``{name}`` and ``{status}`` slots; ``names`` are the feature's names by
    language (``(lang, name)`` pairs) and ``fallback`` its id.
    """

    template: str
    names: tuple[tuple[str, str], ...] = ()
    fallback: str = ""
    status: str = ""

    def english(self) -> str:
        """The reason in English."""
        name = dict(self.names).get("en") or self.fallback or "feature"
        return self.template.format(name=name, status=self.status)


@dataclass(frozen=True)
class Moment:
    """A date of the timeline and why it is there (``why`` in English, ``reasons`` to translate)."""

    day: dt.date
    why: tuple[str, ...]
    reasons: tuple[Reason, ...] = ()


def _changes(record: dict[str, Any]) -> Iterable[tuple[dt.date, Reason]]:
    given = record.get("names")
    names: dict[str, Any] = given if isinstance(given, dict) else {}
    pairs = tuple((str(k), str(v)) for k, v in names.items() if isinstance(v, str))
    fallback = str(record.get("id") or "feature")
    for entry in record.get("status_history") or []:
        status = str(entry.get("status"))
        if entry.get("from"):
            yield parse_date(entry["from"]), Reason("{name}: {status}", pairs, fallback, status)
        if entry.get("to"):
            yield parse_date(entry["to"]), Reason("{name}: end of {status}", pairs, fallback, status)
    for key, template in (("valid_from", "{name} appears"), ("valid_to", "{name} ends")):
        if record.get(key):
            yield parse_date(record[key]), Reason(template, pairs, fallback)


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
    >>> "2025-03-30" in days and "2025-03-31" in days
    True
    """
    why: dict[dt.date, list[Reason]] = {}
    for name in ("boundary", "areas", "sections", "divergence"):
        found = layer_records.get(name) if layer_records is not None else None
        for record in found if found is not None else records(dataset.layer(name)):
            for day, reason in _changes(record):
                if day > dt.date.min:  # the day before the change (none before 0001-01-01)
                    why.setdefault(day - dt.timedelta(days=1), [])
                why.setdefault(day, []).append(reason)
    for day in dataset.meta.get("key_dates", []):
        why.setdefault(parse_date(day), []).append(Reason("key date"))
    if dataset.meta.get("as_of"):
        why.setdefault(parse_date(dataset.meta["as_of"]), []).append(Reason("as of date of the dataset"))
    for day in extra:
        why.setdefault(day, []).append(Reason("requested date"))
    out = []
    for day, reasons in sorted(why.items()):
        unique = tuple(dict.fromkeys(reasons))
        out.append(Moment(day, tuple(dict.fromkeys(r.english() for r in unique)), unique))
    return out


def _happened(record: dict[str, Any], day: dt.date) -> bool:
    # Incidents carry event dates, not validity: an incident is on the map once it has begun.
    start = record.get("date_start")
    return not start or parse_date(start) <= day


def _drawn_by_day(record: dict[str, Any], days: list[dt.date]) -> list[str | None]:
    """Per day, the drawn status of a feature that exists then (an incident once begun), else None.

    The same in every view: only whether the view shows the feature, and its stance, differ.
    """
    return [
        drawn_status(status_on(record, day), course_on(record, day))
        if exists_on(record, day) and (record.get("kind") != "incident" or _happened(record, day))
        else None
        for day in days
    ]


def _cells(
    record: dict[str, Any],
    days: list[dt.date],
    view: str = NEUTRAL,
    looks: Looks | None = None,
    drawn: list[str | None] | None = None,
) -> str:
    looks = looks or Looks()
    drawn = _drawn_by_day(record, days) if drawn is None else drawn
    return "".join(
        looks.code(status, stance_on(record, view, day))
        if status is not None and in_view(record, view, day)
        else HIDDEN
        for day, status in zip(days, drawn, strict=True)
    )


_TIME_KEYS = (
    "status", "status_history", "course_history", "depiction", "valid_from", "valid_to", "kind", "date_start",
)
_VIEW_KEYS = ("perspectives_history", "stance_history")


def state_rows(
    features: list[dict[str, Any]], views: list[str], days: list[dt.date], looks: Looks | None = None
) -> list[str]:
    """Per feature (its properties), one character per (view, day) state, views outermost.

    A feature whose perspectives or stances change over time is worked out per view and day;
    ``looks`` collects the (status, stance) looks met (a fresh one when not given).

    Examples
    --------
    >>> import datetime as dt
    >>> kg_only = {"id": "a", "perspectives": {"mode": "accepted_by", "countries": ["KG"]}, "status": "disputed"}
    >>> state_rows([kg_only], ["neutral", "TJ"], [dt.date(2020, 1, 1)])
    ['4-']
    """
    looks = looks if looks is not None else Looks()
    # Many features share one history (every segment of a line, say): work each history out once.
    seen: dict[str, str] = {}
    out = []
    for record in features:
        if any(record.get(k) for k in _VIEW_KEYS):
            drawn = _drawn_by_day(record, days)
            out.append("".join(_cells(record, days, view, looks, drawn) for view in views))
            continue
        key = repr([record.get(k) for k in _TIME_KEYS])
        cells = seen.get(key)
        if cells is None:
            cells = seen[key] = _cells(record, days, NEUTRAL, looks)
        out.append(
            "".join(cells if in_view(record, view) else HIDDEN * len(days) for view in views)
        )
    return out
