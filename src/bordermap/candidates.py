"""Where the open depictions disagree by more than a stated offset: the ``candidates`` layer.

It answers "where might the ~70 disputed sections be?" from the maps alone. Method: the faces of
the ``divergence`` layer (ground that two depictions put on different sides) whose largest offset
exceeds ``min_offset_m`` plus the face's own ``precision_m`` (what the coarser of its two depictions
claims to be accurate to, so that a generalised small-scale line is not read as a dispute) are
ordered by their chainage on the default depiction's main line; faces
whose chainage ranges overlap or lie within ``gap_km`` of each other form one cluster. A candidate
is the union of its cluster's faces, with its geodesic area (WGS84), its largest offset, its
chainage range and the depictions involved, and it lists the named sections within ``near_km``.

A candidate is a comparison of maps, not a list of claims: two maps drawn at different scales
and dates differ for many reasons, and neither government has said that the ground is disputed
because of it. Every candidate says so in its ``note``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from bordermap.geodesic import areas_m2, distance_m
from bordermap.i18n import Messages, names_in
from bordermap.model import CRS, empty_layer

#: Defaults of the bundled build: faces off by more than 1 km, clustered within 2 km of chainage,
#: sections within 5 km linked.
MIN_OFFSET_M = 1000.0
GAP_KM = 1.0
NEAR_KM = 5.0

NOTE = (
    "A comparison of open maps, not a list of claims: the depictions named here put this ground "
    "on different sides of the line, by up to {offset:.1f} km. Maps of different scales and dates "
    "differ for many reasons; no party's position is implied."
)


def clusters(
    ranges: Iterable[tuple[float, float]], gap_km: float = GAP_KM
) -> list[list[int]]:
    """Group chainage ranges that overlap or lie within ``gap_km`` of each other.

    Returns the indices of each group, groups in chainage order.

    Examples
    --------
    >>> clusters([(0, 1), (10, 12), (2.5, 4), (11, 15)], gap_km=2)
    [[0, 2], [1, 3]]
    >>> clusters([(0, 1), (3.5, 4)], gap_km=2)
    [[0], [1]]
    """
    items = sorted(enumerate(ranges), key=lambda item: (item[1][0], item[1][1]))
    groups: list[list[int]] = []
    end = -np.inf
    for index, (lo, hi) in items:
        if groups and lo <= end + gap_km:
            groups[-1].append(index)
            end = max(end, hi)
        else:
            groups.append([index])
            end = hi
    return [sorted(g) for g in groups]


def _near_sections(
    geometry: BaseGeometry, chain: tuple[float, float], sections: gpd.GeoDataFrame, near_km: float
) -> list[str]:
    """Named sections whose geometry lies within ``near_km`` or whose chainage overlaps."""
    found = []
    for _, row in sections.iterrows():
        section_chain = row.get("chainage_km")
        overlaps = (
            isinstance(section_chain, (list, tuple, np.ndarray))
            and len(section_chain) == 2
            and section_chain[0] <= chain[1]
            and section_chain[1] >= chain[0]
        )
        geom = row.geometry
        near = geom is not None and not geom.is_empty and distance_m(geom, geometry) <= near_km * 1000
        if overlaps or near:
            found.append(str(row["id"]))
    return found


def _sources(faces: pd.DataFrame) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for sources in faces["sources"]:
        for s in sources if isinstance(sources, list) else []:
            key = (str(s.get("source_id")), str(s.get("note")))
            seen.setdefault(key, {"property": "/geometry", "source_id": s.get("source_id"), "note": s.get("note")})
    return list(seen.values())


def candidates(
    divergence: gpd.GeoDataFrame,
    sections: gpd.GeoDataFrame | None = None,
    *,
    chainage_depiction: str | None = None,
    min_offset_m: float = MIN_OFFSET_M,
    gap_km: float = GAP_KM,
    near_km: float = NEAR_KM,
) -> gpd.GeoDataFrame:
    """Cluster the divergence faces off by more than ``min_offset_m`` into candidate stretches.

    Parameters
    ----------
    divergence
        The ``divergence`` layer (faces with ``max_offset_m``, ``chainage_km``, ``depictions``).
    sections
        The ``sections`` layer, to link each candidate to the named sections near it.
    chainage_depiction
        The depiction whose chainage the faces carry (the default depiction), for the record.
    min_offset_m, gap_km, near_km
        The stated offset, the chainage gap that still joins two faces, and how near a section
        must be to be linked.

    Returns
    -------
    GeoDataFrame
        One feature per candidate, in chainage order.

    Examples
    --------
    >>> from shapely import box
    >>> faces = gpd.GeoDataFrame({
    ...     "id": ["d0", "d1", "d2"], "depictions": [["a", "b"], ["a", "c"], ["a", "b"]],
    ...     "max_offset_m": [1500.0, 2500.0, 300.0], "chainage_km": [[0, 3], [3.5, 6], [7, 8]],
    ...     "precision_m": [50.0, 80.0, 50.0], "sources": [[], [], []]},
    ...     geometry=[box(70, 40, 70.02, 40.02), box(70.03, 40, 70.05, 40.02), box(70.06, 40, 70.07, 40.01)],
    ...     crs=CRS)
    >>> layer = candidates(faces, chainage_depiction="a")
    >>> layer["id"].tolist(), layer["chainage_km"].iloc[0], layer["depictions"].iloc[0]
    (['candidate_a_000'], [0.0, 6.0], ['a', 'b', 'c'])
    """
    if divergence is None or divergence.empty or "max_offset_m" not in divergence.columns:
        return empty_layer()
    precision = pd.to_numeric(divergence.get("precision_m"), errors="coerce").fillna(0.0)
    offset_m = pd.to_numeric(divergence["max_offset_m"], errors="coerce")
    faces = divergence[offset_m > min_offset_m + precision]
    has_chainage = faces["chainage_km"].apply(
        lambda c: isinstance(c, (list, tuple, np.ndarray)) and len(c) == 2
    )
    faces = faces[has_chainage]
    if faces.empty:
        return empty_layer()
    faces = faces.reset_index(drop=True)
    ranges = [(float(c[0]), float(c[1])) for c in faces["chainage_km"]]
    groups = clusters(ranges, gap_km)
    prefix = f"candidate_{chainage_depiction}" if chainage_depiction else "candidate"
    rows = []
    for number, group in enumerate(groups):
        part = faces.iloc[group]
        geometry = shapely.union_all(part.geometry.values)
        chain = (min(ranges[i][0] for i in group), max(ranges[i][1] for i in group))
        offset = float(part["max_offset_m"].max())
        depictions = sorted({d for pair in part["depictions"] for d in pair})
        linked = (
            _near_sections(geometry, chain, sections, near_km)
            if sections is not None and not sections.empty
            else []
        )
        on = f" of {chainage_depiction}" if chainage_depiction else ""  # for the method text

        def start(tr: Messages, x: float = chain[0]) -> str:
            return tr.decimal(x, 1)

        def end(tr: Messages, x: float = chain[1]) -> str:
            return tr.decimal(x, 1)

        rows.append(
            {
                "id": f"{prefix}_{number:03d}",
                "kind": "candidate",
                "names": (names_in("Depictions disagree, km {start}–{end} of {depiction}", start=start, end=end,
                                   depiction=chainage_depiction) if chainage_depiction
                          else names_in("Depictions disagree, km {start}–{end}", start=start, end=end)),
                "area_km2": float(areas_m2(np.array([geometry], dtype=object))[0]) / 1e6,
                "max_offset_m": offset,
                "min_offset_m": float(min_offset_m),
                "chainage_km": [round(chain[0], 3), round(chain[1], 3)],
                "chainage_depiction": chainage_depiction,
                "depictions": depictions,
                "divergence_ids": [str(i) for i in part["id"]],
                "section_ids": linked,
                "near_km": float(near_km),
                "sources": _sources(part),
                "geometry_method": (
                    f"derived: union of {len(group)} divergence face(s) whose largest offset "
                    f"exceeds {min_offset_m:g} m plus the face's precision, clustered along the chainage{on} "
                    f"(faces within "
                    f"{gap_km:g} km join); area geodesic on WGS84"
                ),
                "precision_m": float(pd.to_numeric(part["precision_m"], errors="coerce").max()),
                "note": NOTE.format(offset=offset / 1000.0),
                "geometry": geometry,
            }
        )
    table = pd.DataFrame(rows, dtype=object)
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(table.pop("geometry"), crs=CRS), crs=CRS)
