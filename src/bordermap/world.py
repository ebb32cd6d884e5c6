"""Every land border in the world against the CIA World Factbook (``bordermap world``).

For each world depiction that ``bordermap init`` knows, every pair of countries that share a
border is found with :func:`bordermap.topology.shared_borders` (edges both polygons use) and
measured exactly on WGS84. The Factbook's figure for the pair (both countries' entries, see
:mod:`bordermap.upstream.factbook`) is then checked with the rule of ``bordermap check``
(:func:`bordermap.check.verdicts.decide`): the figure is an interval from its rounding, each
measurement an interval from its depiction's precision, and the first explanation whose interval
overlaps the figure's gives the verdict.

Definitions, said once here and in docs/world.md:

- **Shared length** counts every edge the two countries' polygons share: enclave and exclave
  perimeters are included (Vorukh's perimeter counts for Kyrgyzstan–Tajikistan), the way a
  country's total land boundary includes them. The Factbook does not say whether its pair figures
  include enclaves.
- **Land only.** ``osm2022`` draws territorial waters; its shared edges are kept only where both
  ends lie within :data:`LAND_TOLERANCE_DEG` of the Natural Earth land of either country, so
  maritime boundaries are left out (a coastal pair keeps at most that much of its sea boundary).
- **Map scale.** A border measured on a more detailed map is longer. Where a detailed depiction
  (``precision_m`` ≤ 100) and a generalised one (Natural Earth, 1:10 M) both draw a pair, the
  Richardson relation through the two — each at its median vertex spacing — gives the length at
  finer rulers. A figure between the generalised and the detailed line lies in the depictions'
  spread (``within_spread``); the map-scale interval runs from the detailed line as drawn to its
  length at a 50 m ruler (0.5 mm on a 1:100k map, the finest official maps): an *extrapolation*
  below that line's resolution, and the reason says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from bordermap import settings
from bordermap.check.verdicts import (
    GENERALISED,
    REFERENCE,
    SCALE,
    UNEXPLAINED,
    VERDICTS,
    WITHIN_SPREAD,
    Counterpart,
    Decision,
    decide,
    figure_interval,
)
from bordermap.countries import country_name
from bordermap.errors import UsageError
from bordermap.geodesic import segment_lengths_m
from bordermap.model import CRS
from bordermap.text import shown_digits
from bordermap.topology import shared_borders
from bordermap.upstream import DEPICTIONS, WORLD_DEPICTIONS, factbook

#: Depictions ``bordermap world`` measures by default: the world depictions ``init`` reads.
DEFAULT_DEPICTIONS: tuple[str, ...] = WORLD_DEPICTIONS

#: Depictions whose polygons include territorial waters, and the land mask they are cut with.
MARITIME: dict[str, str] = {"osm2022": "ne10"}

#: How far (degrees) from the land mask a shared edge's ends may lie and still count as land.
LAND_TOLERANCE_DEG = 0.02

#: Rulers of official 1:100k–1:200k topographic maps (see docs/checking-figures.md).
OFFICIAL_RULERS_M = (50.0, 200.0)

#: Largest ``precision_m`` of a depiction detailed enough to stand for the survey line.
DETAILED_PRECISION_M = 100.0

Progress = Callable[[str], None]


@dataclass
class Shared:
    """The border one depiction draws between two countries."""

    length_km: float
    spacing_m: float
    geometry: shapely.Geometry


@dataclass
class WorldCheck:
    """The result of :func:`world_check`: one row per pair, unmatched names, a summary."""

    depictions: list[str]
    rows: list[dict[str, Any]]
    unmatched: list[dict[str, Any]]
    lines: dict[tuple[str, str], shapely.Geometry] = field(default_factory=dict)
    source: str = factbook.SOURCE

    def table(self) -> pd.DataFrame:
        """The rows as a flat table (one column per depiction's length and ratio)."""
        return pd.DataFrame(self.rows)

    def summary(self) -> dict[str, Any]:
        """Pairs matched, median ratio per depiction, verdict counts, largest unexplained gaps."""
        rows = self.rows
        both = [r for r in rows if r["factbook_km"] is not None and r["measured"]]
        ratios = {
            d: [r[f"ratio_{d}"] for r in both if r.get(f"ratio_{d}") is not None] for d in self.depictions
        }
        verdicts = {v: sum(1 for r in both if r["verdict"] == v) for v in VERDICTS}
        worst = sorted(
            (r for r in both if r["verdict"] == UNEXPLAINED),
            key=lambda r: -abs(math.log(r["nearest_ratio"])) if r.get("nearest_ratio") else 0.0,
        )[:10]
        return {
            "pairs_in_factbook": sum(1 for r in rows if r["factbook_km"] is not None),
            "pairs_measured": sum(1 for r in rows if r["measured"]),
            "pairs_matched": len(both),
            "factbook_only": sum(1 for r in rows if r["factbook_km"] is not None and not r["measured"]),
            "depictions_only": sum(1 for r in rows if r["factbook_km"] is None and r["measured"]),
            "median_ratio": {d: (median(v) if v else None) for d, v in ratios.items()},
            "verdicts": {v: n for v, n in verdicts.items() if n},
            "largest_unexplained": [
                {"pair": f"{r['a']}–{r['b']}", "factbook_km": r["factbook_km"], "reason": r["reason"]} for r in worst
            ],
            "unmatched_names": len(self.unmatched),
        }


def _world_frame(depiction: str, cache: Path) -> gpd.GeoDataFrame:
    """Every country of a depiction, read once from its package and cached as GeoParquet."""
    spec = DEPICTIONS[depiction]
    key = "".join(c if c.isalnum() else "-" for c in spec.origin)[:120]
    path = settings.cache_dir() / "world" / f"{depiction}-{key}.parquet"
    if path.is_file():
        try:
            return gpd.read_parquet(path)
        except (OSError, ValueError):  # a bad cache file is a miss
            pass
    polygons = spec.load(cache, None)
    frame = gpd.GeoDataFrame({"iso": list(polygons)}, geometry=list(polygons.values()), crs=CRS)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        frame.to_parquet(tmp)
        tmp.replace(path)
    except OSError:
        pass
    return frame


def _spacing_m(line: shapely.Geometry) -> float:
    xy = shapely.get_coordinates(line)
    if len(xy) < 2:
        return float("nan")
    parts = shapely.get_parts(line)
    steps = np.concatenate(
        [segment_lengths_m(*(lambda c: (c[:-1, 0], c[:-1, 1], c[1:, 0], c[1:, 1]))(shapely.get_coordinates(p)))
         for p in parts]
    )
    return float(np.median(steps)) if len(steps) else float("nan")


def _on_land(line: shapely.Geometry, land: list[shapely.Geometry]) -> tuple[float, shapely.Geometry]:
    """Length (km) and geometry of the part of a shared line whose edges lie on land."""
    kept, km = [], 0.0
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        points = shapely.points(xy)
        near = np.zeros(len(xy), dtype=bool)
        for mask in land:
            near |= shapely.dwithin(mask, points, LAND_TOLERANCE_DEG)
        edge = near[:-1] & near[1:]
        if not edge.any():
            continue
        metres = segment_lengths_m(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
        km += float(metres[edge].sum()) / 1000.0
        runs = np.split(np.flatnonzero(edge), np.flatnonzero(np.diff(np.flatnonzero(edge)) > 1) + 1)
        kept += [shapely.linestrings(xy[r[0] : r[-1] + 2]) for r in runs if len(r)]
    return km, shapely.multilinestrings(kept) if kept else shapely.MultiLineString()


def shared_by_depiction(
    depictions: Sequence[str], cache: Path, progress: Progress | None = None
) -> dict[str, dict[tuple[str, str], Shared]]:
    """Every shared land border of every depiction: depiction → (a, b) → :class:`Shared`."""
    frames: dict[str, gpd.GeoDataFrame] = {}
    out: dict[str, dict[tuple[str, str], Shared]] = {}
    for depiction in depictions:
        if progress:
            progress(f"{depiction}: reading countries")
        frames[depiction] = frame = _world_frame(depiction, cache)
        if progress:
            progress(f"{depiction}: finding shared borders")
        borders = shared_borders(frame, "iso")
        land = None
        if depiction in MARITIME:
            mask_id = MARITIME[depiction]
            mask = frames.get(mask_id)
            if mask is None:
                mask = frames[mask_id] = _world_frame(mask_id, cache)
            land = dict(zip(mask["iso"], mask.geometry, strict=True))
            shapely.prepare(list(land.values()))
        pairs: dict[tuple[str, str], Shared] = {}
        for row in borders.itertuples():
            geom, km = row.geometry, float(row.length_km)
            if land is not None:
                masks = [land[c] for c in (row.a, row.b) if c in land]
                km, geom = _on_land(geom, masks) if masks else (0.0, shapely.MultiLineString())
            if km > 0:
                pairs[(row.a, row.b)] = Shared(km, _spacing_m(geom), geom)
        out[depiction] = pairs
    return out


def _scale_counterpart(
    detailed: tuple[str, Shared], general: Shared | None
) -> Counterpart | None:
    """The length at official maps' rulers, by the Richardson relation through two depictions."""
    name, fine = detailed
    if general is None or not (fine.spacing_m > 0 and general.spacing_m > fine.spacing_m):
        return None
    if not fine.length_km > general.length_km:
        return None
    d_minus_1 = math.log(fine.length_km / general.length_km) / math.log(general.spacing_m / fine.spacing_m)
    # From the detailed line as drawn up to the finest ruler of official maps: a published length
    # was measured at some scale in between (sources rarely say which). Between the generalised
    # and the detailed line is the spread of the depictions (``within_spread``); beyond the
    # detailed line, below its vertex spacing, the relation extrapolates.
    finest = min(OFFICIAL_RULERS_M)
    hi = fine.length_km * max(fine.spacing_m / finest, 1.0) ** d_minus_1
    lo = fine.length_km
    return Counterpart(
        name, f"shared border at rulers down to {finest:.0f} m (extrapolated)", hi, lo, hi, SCALE,
        note=(
            f"Richardson relation through {name} ({fine.length_km:,.1f} km at {fine.spacing_m:,.0f} m spacing) and "
            f"the generalised depiction ({general.length_km:,.1f} km at {general.spacing_m:,.0f} m), D = "
            f"{1 + d_minus_1:.3f}; extrapolated below {name}'s resolution"
        ),
    )


def counterparts(measured: dict[str, Shared]) -> list[Counterpart]:
    """The intervals a Factbook figure is compared with, for one pair."""
    out = []
    general = None
    for depiction, shared in measured.items():
        spec = DEPICTIONS[depiction]
        if spec.precision_m <= DETAILED_PRECISION_M:
            margin = 2 * spec.precision_m / 1000.0
            out.append(Counterpart(depiction, "shared border", shared.length_km,
                                   shared.length_km - margin, shared.length_km + margin, REFERENCE))
        else:
            general = shared if general is None or shared.spacing_m > general.spacing_m else general
            margin = 2 * spec.precision_m / 1000.0
            out.append(Counterpart(depiction, "shared border, generalised", shared.length_km,
                                   shared.length_km - margin, shared.length_km + margin, GENERALISED,
                                   note="a generalised line, shorter than the border it stands for"))
    for depiction, shared in measured.items():
        if DEPICTIONS[depiction].precision_m <= DETAILED_PRECISION_M:
            scale = _scale_counterpart((depiction, shared), general)
            if scale is not None:
                out.append(scale)
    return out


def quoted_km(value: float) -> str:
    """A Factbook figure as the Factbook writes it: its own decimals, thousands grouped.

    Examples
    --------
    >>> quoted_km(1357.0), quoted_km(10.5), quoted_km(0.15)
    ('1,357', '10.5', '0.15')
    """
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    whole, _, decimals = text.partition(".")
    return f"{int(whole):,}" + (f".{decimals}" if decimals else "")


def _reason(decision: Decision, figures: dict[str, float]) -> str:
    """Why the verdict, with both countries' entries when they differ (checked as one interval)."""
    basis = decision.basis
    if basis is None:
        return "no depiction draws a shared border for this pair"
    low, high = min(figures.values()), max(figures.values())
    entries = ""
    if high != low:
        entries = ("the two entries differ, checked as one interval: "
                   + ", ".join(f"{country_name(c)}'s {quoted_km(v)} km" for c, v in figures.items()) + "; ")

    def ratio(value: float) -> str:
        if not value:
            return "∞"
        return f"{low / value:.3f}" if high == low else f"{low / value:.3f}–{high / value:.3f}"

    where = (f"{basis.definition} in {basis.depiction}: {basis.value:,.{shown_digits(basis.value)}f} km "
             f"(ratio {ratio(basis.value)})")
    if basis.role == SCALE:
        where = f"{basis.definition} in {basis.depiction}: {basis.low:,.1f}–{basis.high:,.1f} km"
    if decision.verdict == UNEXPLAINED:
        side = "above" if low > basis.high else "below"
        return f"{entries}{decision.miss:,.1f} km {side} the nearest counterpart, {where}"
    if decision.verdict == WITHIN_SPREAD:
        return (f"{entries}within the depictions' spread, {decision.low:,.1f}–{decision.high:,.1f} km; "
                f"nearest: {where}")
    return entries + where + (f"; {basis.note}" if basis.note else "")


def notes_text(notes: dict[str, list[str]]) -> str:
    """The remarks of a pair's Factbook entries, each named by the country whose entry makes it.

    Examples
    --------
    >>> notes_text({"AO": ["of which 225 km is the boundary of discontiguous Cabinda Province"], "CD": []})
    'Angola: of which 225 km is the boundary of discontiguous Cabinda Province'
    """
    return "; ".join(f"{country_name(code)}: {note}" for code, texts in notes.items() for note in texts)


def check_pair(figures: dict[str, float], measured: dict[str, Shared]) -> dict[str, Any]:
    """The verdict on one pair's Factbook figures (country → km, each entry's) against its measured lengths.

    Returns ``verdict``, ``reason``, ``compared_with`` (the depiction of the counterpart it rests
    on) and ``nearest_ratio`` (the lower figure ÷ that counterpart). Two entries that differ are
    checked as the interval between them, and the reason names both.
    """
    values = list(figures.values())
    if values and measured:
        interval = figure_interval(min(values), max(values) if max(values) != min(values) else None)
        decision = decide(interval, counterparts(measured))
        basis = decision.basis
        return {"verdict": decision.verdict, "reason": _reason(decision, figures),
                "compared_with": basis.depiction if basis else None,
                "nearest_ratio": (min(values) / basis.value) if basis and basis.value else None}
    if values:
        return {"verdict": "not_measurable", "reason": "no depiction draws a shared border for this pair",
                "compared_with": None, "nearest_ratio": None}
    return {"verdict": "not_in_factbook", "reason": "the depictions share a border the Factbook does not list",
            "compared_with": None, "nearest_ratio": None}


def world_check(
    cache: Path, depictions: Iterable[str] = DEFAULT_DEPICTIONS, progress: Progress | None = None
) -> WorldCheck:
    """Measure every shared land border and check the Factbook's figure for it.

    Parameters
    ----------
    cache
        The download cache (as for ``bordermap init``): the depictions' packages and the Factbook's.
    depictions
        World depictions to measure (ids of :data:`bordermap.upstream.DEPICTIONS`).
    progress
        Called with a short message before each slow step.

    Returns
    -------
    WorldCheck
    """
    chosen = list(dict.fromkeys(depictions))
    unknown = [d for d in chosen if d not in DEPICTIONS]
    if unknown or not chosen:
        raise UsageError(f"unknown depiction(s) {', '.join(unknown) or '(none)'}; known: {', '.join(DEPICTIONS)}")
    if progress:
        progress("reading the World Factbook")
    entries = factbook.load(cache)
    figures: dict[tuple[str, str], dict[str, Any]] = {}
    unmatched: list[dict[str, Any]] = []
    for entry in entries:
        for border in entry.boundaries:
            if entry.iso2 is None or border.neighbour is None or border.neighbour == entry.iso2:
                unmatched.append({"entry": entry.name, "gec": entry.gec, "neighbour": border.neighbour_name,
                                  "km": border.km, "text": border.text,
                                  "why": "no ISO 3166-1 country for "
                                         + (repr(entry.name) if entry.iso2 is None else repr(border.neighbour_name))})
                continue
            low, high = sorted((entry.iso2, border.neighbour))
            pair = (low, high)
            slot = figures.setdefault(pair, {})
            if entry.iso2 in slot:  # two entries of one ISO country (Gaza Strip and West Bank: PS)
                slot[entry.iso2]["km"] += border.km
                slot[entry.iso2]["text"] += f"; {entry.name}: {border.text}"
                slot[entry.iso2]["notes"] += border.notes
            else:
                slot[entry.iso2] = {
                    "km": border.km, "text": f"{entry.name}: {border.text}", "notes": list(border.notes)
                }
    shared = shared_by_depiction(chosen, cache, progress)
    pairs = sorted(set(figures) | {p for d in shared.values() for p in d})
    rows, lines = [], {}
    for a, b in pairs:
        given = figures.get((a, b), {})
        values = [v["km"] for v in given.values()]
        measured = {d: shared[d][(a, b)] for d in chosen if (a, b) in shared[d]}
        row: dict[str, Any] = {
            "a": a, "b": b, "name_a": country_name(a), "name_b": country_name(b),
            "factbook_a_km": given.get(a, {}).get("km"), "factbook_b_km": given.get(b, {}).get("km"),
            "factbook_km": (min(values) if values else None),
            "factbook_max_km": (max(values) if values else None),
            "factbook_notes": notes_text({c: given[c]["notes"] for c in (a, b) if c in given}),
            "measured": bool(measured),
        }
        for d in chosen:
            km = measured[d].length_km if d in measured else None
            row[f"{d}_km"] = km
            row[f"ratio_{d}"] = (row["factbook_km"] / km) if (km and row["factbook_km"] is not None) else None
        row.update(check_pair({c: given[c]["km"] for c in (a, b) if c in given}, measured))
        if measured:
            lines[(a, b)] = next(iter(measured.values())).geometry
        rows.append(row)
    return WorldCheck(chosen, rows, unmatched, lines)
