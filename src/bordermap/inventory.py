"""What a dataset holds: the report behind ``bordermap info``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import geopandas as gpd

from bordermap.dates import parse_date
from bordermap.model import LAYERS, Dataset
from bordermap.swaps import stated_totals
from bordermap.swaps import totals as ledger_totals
from bordermap.timeline import exists_on, status_on

_DATE_FIELDS = ("valid_from", "valid_to", "date_start", "date_end")


def _dates(dataset: Dataset) -> list[dt.date]:
    found: list[dt.date] = []
    for name in LAYERS:
        frame = dataset.layer(name)
        for column in _DATE_FIELDS:
            if column in frame.columns:
                found += [parse_date(v) for v in frame[column].dropna() if isinstance(v, str)]
    found += [
        parse_date(f["date"]) for f in dataset.figures if isinstance(f.get("date"), str) and f["date"][:4].isdigit()
    ]
    return found


def section_status_counts(dataset: Dataset, day: dt.date) -> dict[str, int]:
    """How many documented sections exist on a day, by their status on that day.

    Examples
    --------
    >>> import bordermap, datetime as dt
    >>> counts = section_status_counts(bordermap.load(), dt.date(2026, 1, 1))
    >>> sum(counts.values()) > 0
    True
    """
    sections = dataset.layer("sections").drop(columns="geometry").to_dict("records")
    return dict(Counter(status_on(s, day) for s in sections if exists_on(s, day)).most_common())


def inventory(dataset: Dataset) -> dict[str, Any]:
    """Summarise a dataset: layers, depictions, date range, sources, figures and sections."""
    as_of = parse_date(dataset.meta.get("as_of") or dt.date.today())
    key_dates = sorted({parse_date(d) for d in dataset.meta.get("key_dates", [])} | {as_of})
    dates = _dates(dataset)
    kinds = Counter(str(s.get("kind", "unknown")) for s in dataset.sources.values())
    sections = dataset.layer("sections")
    return {
        "id": dataset.meta.get("id"),
        "title": dataset.meta.get("title"),
        "as_of": str(as_of),
        "pair": list(dataset.meta.get("pair", [])),
        "layers": {name: len(dataset.layer(name)) for name in LAYERS},
        "depictions": dataset.meta.get("depictions", []),
        "date_range": [str(min(dates)), str(max(dates))] if dates else [],
        "sources": {"total": len(dataset.sources), "by_kind": dict(kinds.most_common())},
        "figures": len(dataset.figures),
        "sections": {
            "total": len(sections),
            "by_status": {str(d): section_status_counts(dataset, d) for d in key_dates} if len(sections) else {},
            **geometry_counts(sections),
        },
        "swaps": swap_summary(dataset),
    }


def geometry_counts(layer: gpd.GeoDataFrame) -> dict[str, int]:
    """How many features of a layer have a geometry, how many of those are stand-ins, how many none.

    Examples
    --------
    >>> import bordermap
    >>> counts = geometry_counts(bordermap.load().layer("sections"))
    >>> counts["with_geometry"] + counts["without_geometry"] == len(bordermap.load().layer("sections"))
    True
    """
    located = [g is not None and not g.is_empty for g in layer.geometry] if len(layer) else []
    flags = layer["placeholder"].tolist() if "placeholder" in layer.columns else [False] * len(layer)
    return {
        "with_geometry": sum(located),
        "placeholder": sum(1 for has, flag in zip(located, flags, strict=True) if has and flag is True),
        "without_geometry": len(located) - sum(located),
    }


def swap_summary(dataset: Dataset) -> dict[str, Any]:
    """The swap ledger's computed totals beside the officials' stated totals (empty without one)."""
    if not dataset.swaps:
        return {}
    summed = ledger_totals(dataset.swaps)
    return {
        "exchanges": summed.exchanges,
        "received_ha": summed.received_ha,
        "listed_ha": summed.listed_ha,
        "accounts": summed.accounts,
        "accounts_text": summed.accounts_text(dataset.meta.get("pair", [])),
        "stated_totals": stated_totals(dataset.swaps, dataset.figures),
    }
