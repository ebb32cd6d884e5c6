"""The spread of the depictions: every depiction's value of the same thing, side by side.

Several depictions draw the same thing (the main line, an enclave, a country's part of the
region), and they disagree: the bundled data gives Vorukh anywhere from 33.2 to 141.6 km². No one
of them is "the" value; the dataset's default depiction is only a drawing choice. This module says
which features draw the same thing (:func:`things`), and gives for each thing every depiction's
value with the min–max range (:func:`spreads`), so that every output can print the range beside
any value it shows. (A placeholder, a stand-in geometry, has no value at all:
:func:`bordermap.measure.placeholder_text`.)

What counts as "the same thing":

- every ``main`` part of the ``boundary`` layer of one depiction together: ``main line``;
- an enclave's perimeter in ``boundary`` and its polygon in ``areas``: ``<kind> <enclave_key>``;
- a ``country_region`` polygon: ``country_region <country>``;
- a section (or any other feature) whose geometry *is* one of those polygons, vertex for vertex:
  the same thing as that polygon (the Vorukh section is drawn with one depiction's enclave).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from bordermap.i18n import Messages, messages
from bordermap.measure import as_of_label, grouped, measure_frame
from bordermap.model import Dataset
from bordermap.perspective import NEUTRAL, select

#: Quantities a spread is given for, with their unit and the digits printed.
QUANTITIES: dict[str, tuple[str, int]] = {"length_km": ("km", 1), "area_km2": ("km²", 1)}


@dataclass(frozen=True)
class Spread:
    """One quantity of one thing, as each depiction draws it.

    Parameters
    ----------
    thing
        What is measured, e.g. ``main line`` or ``enclave vorukh``.
    quantity
        ``length_km`` (a line's length, a polygon's perimeter) or ``area_km2``.
    values
        Depiction id → value, in the dataset's depiction order.
    default
        The dataset's default depiction (a drawing choice, not a preferred value).
    """

    thing: str
    quantity: str
    values: dict[str, float] = field(default_factory=dict)
    default: str | None = None

    @property
    def low(self) -> float:
        """The smallest value of any depiction."""
        return min(self.values.values())

    @property
    def high(self) -> float:
        """The largest value of any depiction."""
        return max(self.values.values())

    def text(self, digits: int | None = None, tr: Messages | None = None) -> str:
        """The range, then each depiction's value; the default depiction named as a drawing choice.

        ``tr`` (:func:`bordermap.i18n.messages`) gives the language (English by default).

        Examples
        --------
        >>> s = Spread("enclave vorukh", "area_km2", {"a": 33.21, "b": 141.62}, default="a")
        >>> s.text()
        '33.2–141.6 km² across 2 depictions: a 33.2 (default depiction, a drawing choice), b 141.6'
        >>> Spread("main line", "length_km", {"a": 914.3}, default="a").text()
        '914.3 km, drawn by one depiction only: a 914.3 (default depiction, a drawing choice)'
        """
        tr = tr or messages("en")
        unit, places = QUANTITIES[self.quantity]
        places = places if digits is None else digits
        each = ", ".join(
            tr("{depiction} {value} (default depiction, a drawing choice)" if dep == self.default
               else "{depiction} {value}", depiction=dep, value=tr.number(value, places))
            for dep, value in self.values.items()
        )
        if len(self.values) == 1:
            return tr("{value} {unit}, drawn by one depiction only: {each}", value=tr.number(self.high, places),
                      unit=tr(unit), each=each)
        return tr("{low}–{high} {unit} across {n} depictions: {each}", low=tr.number(self.low, places),
                  high=tr.number(self.high, places), unit=tr(unit), n=len(self.values), each=each)


def index(
    dataset: Dataset, layers: Iterable[str] = ("boundary", "areas", "sections")
) -> dict[str, tuple[str, str | None]]:
    """Feature id → (the thing it draws, the depiction that draws it), for :func:`spreads`.

    Examples
    --------
    >>> import bordermap
    >>> index(bordermap.load())["sec_vorukh_enclave"]
    ('enclave vorukh', 'osm2022')
    """
    out: dict[str, tuple[str, str | None]] = {}
    areas = dataset.layer("areas")
    by_area_id: dict[str, str] = {}
    # polygons by their bounds: a feature drawn with one of them has the same bounds, then equals it
    by_bounds: dict[tuple[float, ...], list[tuple[Any, str, str | None]]] = {}
    if len(areas):
        bounds = areas.geometry.bounds.to_numpy()
        for props, geom, box in zip(areas.drop(columns=areas.geometry.name).to_dict("records"), areas.geometry,
                                    bounds, strict=True):
            kind, key = props.get("kind"), None
            if kind in ("enclave", "exclave") and isinstance(props.get("enclave_key"), str):
                key = f"{kind} {props['enclave_key']}"
            elif kind == "country_region" and isinstance(props.get("country"), str):
                key = f"country_region {props['country']}"
            if key is None:
                continue
            by_area_id[str(props["id"])] = key
            if geom is not None and not geom.is_empty:
                dep = props.get("depiction")
                by_bounds.setdefault(tuple(box), []).append((geom, key, dep if isinstance(dep, str) else None))
    for name in layers:
        frame = dataset.layer(name)
        if not len(frame):
            continue
        for props, geom in zip(frame.drop(columns=frame.geometry.name).to_dict("records"), frame.geometry, strict=True):
            fid = str(props.get("id"))
            dep = props.get("depiction") if isinstance(props.get("depiction"), str) else None
            if name == "boundary" and props.get("part") == "main":
                out[fid] = ("main line", dep)
            elif name == "boundary" and isinstance(props.get("enclave_id"), str) and props["enclave_id"] in by_area_id:
                out[fid] = (by_area_id[props["enclave_id"]], dep)
            elif name == "areas" and fid in by_area_id:
                out[fid] = (by_area_id[fid], dep)
            elif name != "areas" and geom is not None and not geom.is_empty and geom.geom_type.endswith("Polygon"):
                for other, key, other_dep in by_bounds.get(tuple(geom.bounds), []):
                    if geom.equals(other):
                        out[fid] = (key, other_dep)
                        break
    return out


def things(dataset: Dataset, layers: Iterable[str] = ("boundary", "areas", "sections")) -> dict[str, str]:
    """Feature id → the thing it is a drawing of, for every feature that draws a shared thing.

    Examples
    --------
    >>> import bordermap
    >>> keys = things(bordermap.load())
    >>> keys["osm2022_main_00"], keys["ne10_enclave_vorukh"], keys["sec_vorukh_enclave"]
    ('main line', 'enclave vorukh', 'enclave vorukh')
    """
    return {fid: thing for fid, (thing, _) in index(dataset, layers).items()}


def drawn_by(dataset: Dataset, layers: Iterable[str] = ("boundary", "areas", "sections")) -> dict[str, str]:
    """Feature id → the depiction whose drawing it is, also for a section drawn with its polygon.

    Examples
    --------
    >>> import bordermap
    >>> drawn_by(bordermap.load())["sec_vorukh_enclave"]
    'osm2022'
    """
    return {fid: dep for fid, (_, dep) in index(dataset, layers).items() if dep}


def spreads(
    dataset: Dataset,
    perspective: str = NEUTRAL,
    as_of: dt.date | str | None = None,
    table: pd.DataFrame | None = None,
    keys: Mapping[str, tuple[str, str | None]] | None = None,
    regions: bool = True,
    measured: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, dict[str, Spread]]:
    """Every shared thing's spread across the depictions, per quantity.

    A thing's value in one depiction is the sum over that depiction's features of the thing
    (the main line's 50 km segments add up to its length); features of no depiction (a section
    drawn with an enclave polygon) and an enclave's perimeter line (its polygon's perimeter
    already) are not counted again.

    Parameters
    ----------
    dataset
        The dataset.
    perspective, as_of
        Measure only the features in this view on this date (see :func:`bordermap.measure.measure`).
    table
        A measurement table of the dataset already made by :func:`bordermap.measure.measure`.
    keys
        :func:`index` of the dataset, when the caller has it already.
    regions
        Whether to give the countries' parts of the region too (their polygons are the largest
        to measure).
    measured
        Layer name → :func:`bordermap.measure.measure_frame` of the whole layer, when the
        caller has measured it already.

    Returns
    -------
    dict
        Thing → quantity (``length_km``, ``area_km2``) → :class:`Spread`.

    Examples
    --------
    >>> import bordermap
    >>> vorukh = spreads(bordermap.load())["enclave vorukh"]["area_km2"]
    >>> list(vorukh.values), round(vorukh.low, 1), round(vorukh.high, 1)
    (['osm2022', 'osm2017', 'ne10', 'dcw'], 33.2, 141.6)
    """
    found = index(dataset, ["boundary", "areas"]) if keys is None else keys
    wanted = {fid: thing for fid, (thing, _) in found.items()
              if regions or not thing.startswith("country_region ")}
    if table is None:
        parts = []
        for name in ("boundary", "areas"):
            frame = select(dataset.layer(name), perspective, as_of)
            # an enclave's perimeter line repeats its polygon's perimeter: count the polygon only
            keep = frame["id"].isin(list(wanted)) if "id" in frame.columns else frame.index.isin([])
            if name == "boundary" and "part" in frame.columns:
                keep &= frame["part"] == "main"
            frame = frame[keep]
            if len(frame):
                done = (measured or {}).get(name)
                values = done.loc[frame.index] if done is not None else measure_frame(frame)
                parts.append(pd.concat([frame[["id", "depiction"]], values], axis=1))
        if not parts:
            return {}
        table = pd.concat(parts, ignore_index=True)
    else:
        repeated = (table["layer"] == "boundary") & (table["part"] != "main")
        table = table[~repeated]
    table = table[table["depiction"].notna() & table["id"].isin(list(wanted))].copy()
    if table.empty:
        return {}
    table["thing"] = table["id"].map(wanted)
    order = {dep: i for i, dep in enumerate(dataset.depictions)}
    default = dataset.default_depiction if dataset.depictions else None
    sums = table.groupby(["thing", "depiction"], sort=True)[list(QUANTITIES)].sum(min_count=1)
    collected: dict[str, dict[str, dict[str, float]]] = {}
    for (thing, depiction), row in zip(sums.index, sums.to_numpy(), strict=True):
        for quantity, value in zip(QUANTITIES, row, strict=True):
            if value == value:  # not NaN
                collected.setdefault(str(thing), {}).setdefault(quantity, {})[str(depiction)] = float(value)
    out: dict[str, dict[str, Spread]] = {}
    for thing, by_quantity in collected.items():
        for quantity, values in by_quantity.items():
            ordered = dict(sorted(values.items(), key=lambda kv: order.get(kv[0], len(order))))
            out.setdefault(thing, {})[quantity] = Spread(thing, quantity, ordered, default)
    return out


def spread_of(
    props: Mapping[str, Any], keys: Mapping[str, str], found: Mapping[str, Mapping[str, Spread]]
) -> dict[str, Spread]:
    """The spreads of the thing a feature draws (empty when it draws no shared thing).

    Parameters
    ----------
    props
        The feature's properties.
    keys
        :func:`things` of the dataset.
    found
        :func:`spreads` of the dataset.
    """
    thing = keys.get(str(props.get("id")))
    return dict(found.get(thing, {})) if thing else {}


def spread_table(dataset: Dataset, perspective: str = NEUTRAL, as_of: dt.date | str | None = None) -> pd.DataFrame:
    """One row per thing and quantity: the range, then one column per depiction.

    Columns: ``thing``, ``quantity``, ``unit``, ``min``, ``max``, ``depictions`` (how many draw
    it), one column per depiction id, ``default_depiction`` (a drawing choice), ``perspective``,
    ``as_of``.

    Examples
    --------
    >>> import bordermap
    >>> table = spread_table(bordermap.load())
    >>> row = table[(table["thing"] == "enclave vorukh") & (table["quantity"] == "area_km2")].iloc[0]
    >>> [round(float(row[c]), 1) for c in ("min", "max", "ne10")]
    [33.2, 141.6, 119.5]
    """
    rows = []
    for thing, by_quantity in spreads(dataset, perspective, as_of).items():
        for quantity, spread in by_quantity.items():
            rows.append({"thing": thing, "quantity": quantity, "unit": QUANTITIES[quantity][0],
                         "min": spread.low, "max": spread.high, "depictions": len(spread.values),
                         **spread.values, "default_depiction": spread.default})
    columns = ["thing", "quantity", "unit", "min", "max", "depictions", *dataset.depictions, "default_depiction"]
    table = pd.DataFrame(rows, columns=columns)
    table["perspective"] = perspective
    table["as_of"] = as_of_label(as_of, dataset.meta.get("as_of"))
    return table


def with_spread(
    dataset: Dataset, table: pd.DataFrame, perspective: str = NEUTRAL, as_of: dt.date | str | None = None
) -> pd.DataFrame:
    """A measurement table with, per record, the thing it draws and the range across depictions.

    Adds ``thing``, ``drawn_by`` (the depiction whose value the record is),
    ``thing_length_km_min``, ``thing_length_km_max``, ``thing_area_km2_min``,
    ``thing_area_km2_max`` (empty where the feature draws no shared thing). The range is the
    whole thing's, and its name says so: for a 50 km segment of the main line it is the main
    line's range, not the segment's.
    """
    keys = index(dataset)
    found = spreads(dataset, perspective, as_of, keys=keys)
    out = table.copy()
    out["thing"] = out["id"].map(lambda i: keys.get(str(i), (None, None))[0])
    out["drawn_by"] = out["id"].map(lambda i: keys.get(str(i), (None, None))[1])
    for quantity in QUANTITIES:
        for end, pick in (("min", "low"), ("max", "high")):
            out[f"thing_{quantity}_{end}"] = [
                getattr(found[t][quantity], pick) if t in found and quantity in found[t] else float("nan")
                for t in out["thing"]
            ]
    return out


def measurement_table(
    dataset: Dataset,
    table: pd.DataFrame,
    by: list[str],
    perspective: str = NEUTRAL,
    as_of: dt.date | str | None = None,
) -> pd.DataFrame:
    """What ``bordermap measure`` prints: the records with their things' ranges, or their sums by ``by``.

    The records get :func:`with_spread`'s fields first, so a grouped row can say whose drawings
    it adds (``drawn_by``); then, with ``by``, :func:`bordermap.measure.grouped` sums them.

    Examples
    --------
    >>> import bordermap
    >>> from bordermap.measure import measure
    >>> data = bordermap.load()
    >>> rows = measurement_table(data, measure(data, ["sections"]), ["status"])
    >>> settled = rows.set_index("status").loc["settled"]
    >>> int(settled["features"]), int(settled["measured"]), settled["drawn_by"]
    (31, 1, 'osm2022')
    """
    table = with_spread(dataset, table, perspective, as_of)
    if by:
        return grouped(table, by, as_of, dataset.meta.get("as_of"))
    return table
