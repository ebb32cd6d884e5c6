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
from bordermap.model import DASHED_STATUSES, is_set
from bordermap.timeline import exists_on, status_on

__all__ = ["DE_FACTO", "NEUTRAL", "exists_on", "in_view", "select", "status_on"]

NEUTRAL = "neutral"
DE_FACTO = "de-facto"


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
    if not is_set(persp):
        return True
    if view == DE_FACTO:
        return is_set(props.get("controlled_by"))
    countries = persp.get("countries") or []
    if persp.get("mode") == "accepted_by":
        return view in countries
    return view not in countries


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
        The features in view, with ``status`` resolved and a boolean ``dashed`` column.
    """
    day = parse_date(as_of) if as_of is not None else None
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    keep = [in_view(r, perspective) and (day is None or exists_on(r, day)) for r in records]
    out = frame.loc[pd.Series(keep, index=frame.index, dtype=bool)].copy()
    kept = [r for r, k in zip(records, keep, strict=True) if k]
    statuses = [status_on(r, day) for r in kept]
    out["status"] = statuses
    out["dashed"] = [s in DASHED_STATUSES for s in statuses]
    return out
