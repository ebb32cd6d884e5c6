"""Measure a dataset: geodesic length and area per feature, per perspective and as of a date.

Lengths are in km, areas in km²; both come from :mod:`bordermap.geodesic` (exact, WGS84).
Fields of a measurement record (the JSON output of ``bordermap measure``):

``layer``, ``id``, ``kind``, ``depiction``, ``part``, ``status``, ``stance`` (in a country's view on
a date: what that country's recorded positions say of the feature, see
:func:`bordermap.perspective.stance_on`; else empty), ``length_km`` (lines: length; polygons:
perimeter, holes included), ``area_km2`` (polygons only), ``perspective``, ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd

from bordermap.geodesic import lengths_areas_m
from bordermap.model import Dataset
from bordermap.perspective import NEUTRAL, select

MEASURED_LAYERS: tuple[str, ...] = ("boundary", "areas", "sections", "divergence", "candidates")
RECORD_FIELDS: tuple[str, ...] = (
    "layer", "id", "kind", "depiction", "part", "status", "stance", "length_km", "area_km2",
)
_MEASURES = ("length_km", "area_km2")


def measure_frame(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Length (km) and area (km²) of every feature of a layer, aligned with its index.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString, box
    >>> f = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[LineString([(0, 0), (1, 0)]), box(0, 0, 1, 1)])
    >>> measure_frame(f).round(3).to_dict("records")
    [{'length_km': 111.319, 'area_km2': nan}, {'length_km': 443.771, 'area_km2': 12308.778}]
    """
    geoms = frame.geometry.values
    kinds = frame.geometry.geom_type.to_numpy()
    areal = np.isin(kinds, ("Polygon", "MultiPolygon"))
    has_length = areal | np.isin(kinds, ("LineString", "MultiLineString", "LinearRing"))
    length_m, area_m2 = lengths_areas_m(geoms)
    lengths = np.where(has_length, length_m / 1000.0, np.nan)
    areas = np.where(areal, area_m2 / 1e6, np.nan)
    return pd.DataFrame({"length_km": lengths, "area_km2": areas}, index=frame.index)


def measure(
    dataset: Dataset,
    layers: Iterable[str] = MEASURED_LAYERS,
    perspective: str = NEUTRAL,
    as_of: dt.date | str | None = None,
    carry: Iterable[str] = (),
) -> pd.DataFrame:
    """Measure the features of a dataset seen from a perspective on a date.

    Parameters
    ----------
    dataset
        The dataset.
    layers
        Which layers to measure.
    perspective
        ``neutral``, ``de-facto`` or an ISO2 code (see :mod:`bordermap.perspective`).
    as_of
        Date; None measures every feature with its current status.
    carry
        Further feature properties to copy into the records (e.g. ``sides`` to group by).

    Returns
    -------
    DataFrame
        One record per feature with the fields listed in this module's docstring.

    Examples
    --------
    >>> import bordermap
    >>> table = measure(bordermap.load(), layers=["boundary"])
    >>> bool((table["length_km"] > 0).all())
    True
    """
    parts = []
    for name in layers:
        frame = select(dataset.layer(name), perspective, as_of)
        if frame.empty:
            continue
        values = measure_frame(frame)
        record = pd.DataFrame({"layer": name}, index=frame.index)
        for column in (*(f for f in RECORD_FIELDS[1:] if f not in _MEASURES), *carry):
            record[column] = frame[column] if column in frame.columns else None
        parts.append(pd.concat([record, values], axis=1))
    if not parts:
        return pd.DataFrame(columns=[*RECORD_FIELDS, "perspective", "as_of"])
    table = pd.concat(parts, ignore_index=True)
    table["perspective"] = perspective
    table["as_of"] = None if as_of is None else str(as_of)
    return table


def summarize(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum lengths and areas of a measurement table grouped by some of its fields.

    List-valued fields (such as ``sides``) are grouped by their joined value.
    """
    keyed = table.copy()
    for column in by:
        keyed[column] = keyed[column].map(lambda v: "–".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    grouped = keyed.groupby(by, dropna=False)[["length_km", "area_km2"]].sum(min_count=1)
    grouped["features"] = keyed.groupby(by, dropna=False).size()
    return grouped.reset_index()
