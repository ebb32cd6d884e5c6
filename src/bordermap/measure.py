"""Measure a dataset: geodesic length and area per feature, per perspective and as of a date.

Lengths are in km, areas in km²; both come from :mod:`bordermap.geodesic` (exact, WGS84).
Fields of a measurement record (the JSON output of ``bordermap measure``):

``layer``, ``id``, ``kind``, ``depiction``, ``part``, ``status``, ``stance`` (in a country's view on
a date: what that country's recorded positions say of the feature, see
:func:`bordermap.perspective.stance_on`; else empty), ``course`` (what is known of the line's course
on the date: :func:`bordermap.timeline.course_on`), ``placeholder``, ``length_km`` (lines:
length; polygons: perimeter, holes included), ``area_km2`` (polygons only), ``note``,
``perspective``, ``as_of``.

A placeholder (a stand-in geometry, :func:`bordermap.model.is_placeholder`) has no length or
area: its record leaves them empty and says what the stand-in is in ``note``. Nor has a feature
without geometry (a section the sources locate only to a district): its ``note`` says so, with
what its ``geometry_method`` says of where it lies. Without a date, ``as_of`` says that the
statuses are the current ones and gives the dataset's own as-of date (:func:`as_of_label`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from bordermap.errors import UsageError
from bordermap.i18n import Messages, messages
from bordermap.measure_ahead import lengths_areas_m
from bordermap.model import Dataset, is_placeholder
from bordermap.perspective import NEUTRAL, select

MEASURED_LAYERS: tuple[str, ...] = ("boundary", "areas", "sections", "divergence", "candidates")
RECORD_FIELDS: tuple[str, ...] = (
    "layer", "id", "kind", "depiction", "part", "status", "stance", "course", "placeholder", "located", "length_km",
    "area_km2", "note",
)
#: Record fields copied from the selected features (the rest are measured or derived).
_FROM_FEATURE: tuple[str, ...] = ("id", "kind", "depiction", "part", "status", "stance", "course")


def placeholder_text(props: Mapping[str, Any], tr: Messages | None = None) -> str | None:
    """What to print instead of a stand-in geometry's length or area (None when not a stand-in).

    Examples
    --------
    >>> placeholder_text({"geometry_method": "derived: stretch of osm2022 main line, chainage 8.08–14.08 km "
    ...                   "(±3 km around Kara-Bak)"})
    'placeholder, not a measurement: stretch of osm2022 main line, chainage 8.08–14.08 km (±3 km around Kara-Bak)'
    >>> placeholder_text({"geometry_method": "extracted from npm …"}) is None
    True
    """
    if not is_placeholder(props):
        return None
    tr = tr or messages("en")
    method = props.get("geometry_method")
    what = method.removeprefix("derived: ") if isinstance(method, str) and method else tr("a stand-in geometry")
    return tr("placeholder, not a measurement: {what}", what=what)


def unlocated_text(props: Mapping[str, Any], tr: Messages | None = None) -> str:
    """What to print instead of the length or area of a feature that has no geometry.

    Examples
    --------
    >>> unlocated_text({"geometry_method": "none: located only to Batken district; the reservoir is not mapped"})
    'no geometry, not measured: located only to Batken district; the reservoir is not mapped'
    >>> unlocated_text({})
    'no geometry, not measured: not located'
    """
    tr = tr or messages("en")
    method = props.get("geometry_method")
    what = method.removeprefix("none: ") if isinstance(method, str) and method else tr("not located")
    return tr("no geometry, not measured: {what}", what=what)


def as_of_label(as_of: dt.date | str | None, dataset_as_of: object = None) -> str:
    """The ``as_of`` of a measurement: its date, or which statuses it uses when it has none.

    Examples
    --------
    >>> as_of_label("2021-04-29"), as_of_label(None, "2026-12-03")
    ('2021-04-29', 'current status (dataset as of 2026-12-03)')
    >>> as_of_label(None)
    'current status (the dataset gives no as-of date)'
    """
    if as_of is not None:
        return str(as_of)
    if dataset_as_of:
        return f"current status (dataset as of {dataset_as_of})"
    return "current status (the dataset gives no as-of date)"


def measure_frame(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Length (km) and area (km²) of every feature of a layer, aligned with its index.

    Geometries measured ahead while the file was read (:mod:`bordermap.measure_ahead`) are not
    measured again.

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
        for column in (*_FROM_FEATURE, *carry):
            record[column] = frame[column] if column in frame.columns else None
        props = frame.drop(columns=frame.geometry.name).to_dict("records")
        located = (frame.geometry.notna() & ~frame.geometry.is_empty).to_numpy()
        notes = [placeholder_text(p) if here else None for p, here in zip(props, located, strict=True)]
        record["placeholder"] = [n is not None for n in notes]
        record["located"] = located
        values.loc[record["placeholder"].to_numpy() | ~located, ["length_km", "area_km2"]] = np.nan
        record = pd.concat([record, values], axis=1)
        record["note"] = [
            note if here else unlocated_text(p) for note, p, here in zip(notes, props, located, strict=True)
        ]
        parts.append(record)
    if not parts:
        return pd.DataFrame(columns=[*RECORD_FIELDS, "perspective", "as_of"])
    table = pd.concat(parts, ignore_index=True)
    table["perspective"] = perspective
    table["as_of"] = as_of_label(as_of, dataset.meta.get("as_of"))
    return table


#: Fields a grouped sum is always split by, so that it never adds different layers (a line's
#: length and a polygon's perimeter) or different depictions of the same thing together.
ALWAYS_SPLIT_BY: tuple[str, ...] = ("layer", "depiction")


def summarize(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum lengths and areas of a measurement table grouped by some of its fields.

    The groups are also split by layer and by depiction wherever the table holds more than one
    (:data:`ALWAYS_SPLIT_BY`): four depictions of one line are four values, not one sum. Each
    row says how many features it holds, how many of them it adds (``measured``) and how many it
    leaves out: placeholders (stand-ins have no length or area) and features without geometry;
    whose drawings it adds (``drawn_by``, when the table has it: :func:`bordermap.spread.with_spread`);
    and the table's perspective and date. List-valued fields (such as
    ``sides``) are grouped by their joined value.

    Examples
    --------
    >>> import bordermap
    >>> table = measure(bordermap.load(), layers=["boundary"])
    >>> grouped = summarize(table, ["status"])
    >>> list(grouped.columns)[:3], grouped["depiction"].nunique()
    (['depiction', 'status', 'length_km'], 4)
    """
    extra = [c for c in ALWAYS_SPLIT_BY if c not in by and c in table.columns and table[c].nunique(dropna=False) > 1]
    keys = [*extra, *by]
    keyed = table.copy()
    for column in keys:
        keyed[column] = keyed[column].map(lambda v: "–".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    keyed["measured"] = keyed["length_km"].notna() | keyed["area_km2"].notna()
    counts = ["measured"]
    if "placeholder" in keyed.columns:
        keyed["placeholders_left_out"] = keyed["placeholder"].astype(bool)
        counts.append("placeholders_left_out")
    if "located" in keyed.columns:
        keyed["without_geometry_left_out"] = ~keyed["located"].astype(bool)
        counts.append("without_geometry_left_out")
    groups = keyed.groupby(keys, dropna=False)
    grouped = groups[["length_km", "area_km2"]].sum(min_count=1)
    grouped["features"] = groups.size()
    grouped[counts] = groups[counts].sum().astype(int)
    if "drawn_by" in keyed.columns:  # whose drawings the sums add (a feature drawn with a depiction's geometry)
        measured = keyed[keyed["measured"]]
        grouped["drawn_by"] = measured.groupby(keys, dropna=False)["drawn_by"].agg(
            lambda names: ", ".join(sorted({str(n) for n in names if isinstance(n, str) and n}))
        ).reindex(grouped.index, fill_value="")
    out = grouped.reset_index()
    for column in ("perspective", "as_of"):
        if column in table.columns:
            out[column] = table[column].iloc[0] if len(table) else None
    return out


def grouped(
    table: pd.DataFrame, by: list[str], as_of: dt.date | str | None, dataset_as_of: str | None = None
) -> pd.DataFrame:
    """A measurement table summed by ``by`` (:func:`summarize`), saying which date it is for.

    Without a date the statuses are the current ones, and the ``as_of`` column says so with the
    dataset's own as-of date. A field no feature has is a usage error.
    """
    missing = [g for g in by if g not in table.columns or table[g].isna().all()]
    if missing:
        raise UsageError(f"--by: no feature has {', '.join(missing)}")
    out = summarize(table, by)
    out["as_of"] = as_of_label(as_of, dataset_as_of)
    return out
