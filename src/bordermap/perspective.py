"""Who sees what, and when: the perspective rule and the as-of rule of the data model.

The perspective rule is Overture Maps' (divisions schema): the view of country C holds every
feature without ``perspectives``, the features ``accepted_by`` C and the features not
``disputed_by`` C. The de facto view holds undisputed features and those with a non-empty
``controlled_by``; the neutral view holds everything. A feature's ``perspectives`` may change
over time: in a country's view the entry of ``perspectives_history`` covering a date wins over
``perspectives`` (the de facto view, which is about control on the ground, ignores them).
In every view a feature whose status on the chosen date is ``disputed`` or ``undetermined`` is
drawn dashed.

A country's view also shows what that country's recorded positions say of a feature on the date
(its *stance*, from ``stance_history``: it claims it, claims it but says the other side holds
it, concedes it, or calls it undetermined); the neutral and de facto views show no stance, and
their popups list every party's positions side by side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import geopandas as gpd
import pandas as pd

from bordermap.dates import parse_date
from bordermap.errors import UsageError
from bordermap.i18n import Messages, messages
from bordermap.model import DASHED_STATUSES, Dataset, is_set, schema_enum
from bordermap.timeline import course_on, covers, exists_on, status_on

NEUTRAL = "neutral"
DE_FACTO = "de-facto"

__all__ = ["DE_FACTO", "NEUTRAL", "STANCES", "course_on", "exists_on", "in_view", "perspectives_on", "require_view",
           "select", "stance_on", "stance_words", "status_on", "views_of"]

#: The stances a party's position can take (``stance`` enum of ``schema/defs.json``).
STANCES: tuple[str, ...] = schema_enum("defs.json", "$defs", "stance")


def perspectives_on(props: Mapping[str, Any], day: dt.date | None) -> Any:
    """The ``perspectives`` in force on a day.

    That is a covering ``perspectives_history`` entry, else ``perspectives`` (None: the feature
    is undisputed from every perspective).

    Examples
    --------
    >>> import datetime as dt
    >>> f = {"perspectives_history": [{"from": "2021-04-22", "to": "2024-12-04",
    ...                                "mode": "disputed_by", "countries": ["TJ"]}]}
    >>> perspectives_on(f, dt.date(2021, 4, 28))["countries"], perspectives_on(f, dt.date(2025, 1, 1))
    (['TJ'], None)
    """
    history: Any = props.get("perspectives_history")
    if day is not None and is_set(history):
        for entry in history:
            if covers(entry, day):
                return entry
    persp = props.get("perspectives")
    return persp if is_set(persp) else None


def in_view(props: Mapping[str, Any], view: str, day: dt.date | None = None) -> bool:
    """Whether a feature belongs to a perspective (``neutral``, ``de-facto`` or an ISO2 code).

    With a ``day``, a ``perspectives_history`` entry covering it replaces ``perspectives`` in a
    country's view.

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
    if view == DE_FACTO:  # control on the ground, not what a party says: dated perspectives do not count
        return not is_set(props.get("perspectives")) or is_set(props.get("controlled_by"))
    persp = perspectives_on(props, day)
    if persp is None:
        return True
    countries = persp.get("countries") or []
    if persp.get("mode") == "accepted_by":
        return view in countries
    return view not in countries


def stance_on(props: Mapping[str, Any], view: str, day: dt.date | None) -> dict[str, Any] | None:
    """What the recorded positions of country ``view`` say of a feature on a day.

    None when nothing is recorded for that day, for the neutral and de facto views, and without
    a day.

    Examples
    --------
    >>> import datetime as dt
    >>> f = {"stance_history": [{"party": "KG", "from": "2021-02-01", "to": "2024-12-04",
    ...                          "stance": "claims", "source_ids": ["src_a"]}]}
    >>> stance_on(f, "KG", dt.date(2021, 4, 28))["stance"], stance_on(f, "TJ", dt.date(2021, 4, 28))
    ('claims', None)
    """
    history: Any = props.get("stance_history")
    if day is None or view in (NEUTRAL, DE_FACTO) or not is_set(history):
        return None
    for entry in history:
        if entry.get("party") == view and covers(entry, day):
            return dict(entry)
    return None


def stance_words(entry: Mapping[str, Any], name: Callable[[str], str] = str, tr: Messages | None = None) -> str:
    """A stance in words, attributed to the party whose position it is, in the language of ``tr``.

    Examples
    --------
    >>> stance_words({"party": "TJ", "stance": "claims_held_by_other", "belongs_to": "TJ",
    ...               "held_by": "KG", "is_enclave": False})
    'TJ says: TJ territory held by KG; not an enclave'
    >>> stance_words({"party": "KG", "stance": "concedes", "belongs_to": "TJ"})
    'KG says: TJ territory'
    >>> stance_words({"party": "KG", "stance": "undetermined"}, tr=messages("ru"))
    'KG заявляет: пока не определена'
    """
    tr = tr or messages("en")
    party, stance = str(entry.get("party")), entry.get("stance")
    belongs = name(str(entry.get("belongs_to")))
    if stance == "undetermined":
        what = tr("not yet determined")
    elif stance == "shared":
        what = tr("shared")
    elif stance == "claims_held_by_other":
        what = tr("{country} territory held by {other}", country=belongs, other=name(str(entry.get("held_by"))))
    else:
        what = tr("{country} territory", country=belongs)
    enclave = entry.get("is_enclave")
    if enclave is not None:
        what = tr("{what}; an enclave", what=what) if enclave else tr("{what}; not an enclave", what=what)
    return tr("{party} says: {what}", party=name(party), what=what)


def views_of(dataset: Dataset) -> list[str]:
    """The perspectives a dataset supports.

    These are neutral, de facto, the dataset's pair, and every other country a feature's
    ``perspectives`` (or ``perspectives_history``) names.

    Examples
    --------
    >>> import bordermap
    >>> views_of(bordermap.load())[:4]
    ['neutral', 'de-facto', 'KG', 'TJ']
    """
    pair = dataset.meta.get("pair")
    countries = [c for c in pair if isinstance(c, str)] if isinstance(pair, list) else []
    for frame in dataset.layers.values():
        for column in ("perspectives", "perspectives_history"):
            if column not in frame.columns:
                continue
            for value in frame[column].dropna():
                for persp in value if isinstance(value, list) else [value]:
                    named = persp.get("countries") if isinstance(persp, dict) else None
                    countries += [c for c in named or [] if isinstance(c, str) and c not in countries]
    return [NEUTRAL, DE_FACTO, *countries]


def require_view(dataset: Dataset, view: str) -> str:
    """Return ``view`` if the dataset supports it; else a usage error listing the valid ones.

    Every command taking ``--perspective`` calls this, so all refuse an unknown one alike.

    Examples
    --------
    >>> import bordermap
    >>> require_view(bordermap.load(), "XX")
    Traceback (most recent call last):
    ...
    bordermap.errors.UsageError: perspective 'XX' is not in this dataset; choose one of neutral, de-facto, KG, TJ
    """
    views = views_of(dataset)
    if view not in views:
        raise UsageError(
            f"perspective {view!r} is not in this dataset; choose one of {', '.join(views)}",
            code="unknown-perspective",
        )
    return view


def select(
    frame: gpd.GeoDataFrame, perspective: str = NEUTRAL, as_of: dt.date | str | None = None
) -> gpd.GeoDataFrame:
    """Filter a layer to one perspective and date; add ``status``, ``dashed`` and ``stance``.

    ``status`` is the status as of the date; ``stance``, in a country's view on a date, what that
    country's recorded positions say (see :func:`stance_on`; None where none is recorded).

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
        The features in view, with ``status`` and ``course`` (:func:`course_on`) resolved, a boolean
        ``dashed`` column and ``stance``.
    """
    day = parse_date(as_of) if as_of is not None else None
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    keep = [in_view(r, perspective, day) and (day is None or exists_on(r, day)) for r in records]
    out = frame.loc[pd.Series(keep, index=frame.index, dtype=bool)].copy()
    kept = [r for r, k in zip(records, keep, strict=True) if k]
    statuses = [status_on(r, day) for r in kept]
    out["status"] = statuses
    out["dashed"] = [s in DASHED_STATUSES for s in statuses]
    stances = [stance_on(r, perspective, day) for r in kept]
    out["stance"] = pd.Series([s["stance"] if s else None for s in stances], index=out.index, dtype=object)
    out["course"] = [course_on(r, day) for r in kept]
    return out
