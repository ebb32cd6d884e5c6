"""Where two depictions of a line put the ground on different sides: the ``divergence`` layer.

Method (see docs/checking-figures.md): the two main lines are noded together, their ends are
joined by straight closing segments (the lines rarely start at the same tripoint), and the result
is polygonized. Every face of that arrangement lies between the two lines; each depiction assigns
it to the country on its side of the face (``sides`` = [left, right] along the line's direction),
found from the face's exterior ring: oriented counter-clockwise, a ring has its interior on the
left of each edge, so an edge running the line's way puts the face left of the line. Faces that
both depictions give to the same country are not divergences and are dropped.

This uses the lines, not the country polygons, so it works for depictions that have no polygons
(a line-only source, a user's GeoJSON) and does not depend on how polygons were clipped.

The max offset of a face is the largest distance from a vertex of its boundary to the other line:
the foot point on the other line is found in a plane scaled by cos(latitude) (as chainage does),
the distance to it is then the exact geodesic on WGS84.

:func:`divergence_layer` builds a dataset's ``divergence`` layer: the default depiction against
each other one, dropping faces narrower than the coarser depiction's ``precision_m`` (a difference
smaller than what either line claims to be accurate to is noise, not a divergence).
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from shapely import LineString

from bordermap.chainage import Chainage, main_line
from bordermap.errors import DataError, UsageError
from bordermap.geodesic import GEOD, areas_m2
from bordermap.i18n import names_in
from bordermap.io.geojson import COORD_DECIMALS
from bordermap.model import CRS, Dataset, empty_layer

#: An edge of a face lies on a line when its midpoint is this close to it (degrees, ~0.1 mm).
ON_LINE_DEG = 1e-9


def _sides(dataset: Dataset, depiction: str) -> tuple[str, str]:
    boundary = dataset.layer("boundary")
    rows = boundary[boundary["depiction"] == depiction]
    if "part" in rows.columns:
        rows = rows[rows["part"] == "main"]
    if "sides" not in rows.columns or rows["sides"].dropna().empty:
        raise DataError(f"boundary: depiction {depiction!r} main line has no 'sides' property")
    left, right = rows["sides"].dropna().iloc[0]
    return str(left), str(right)


def _segments(line: LineString, scale: float) -> tuple[NDArray[np.object_], NDArray[np.float64]]:
    """The line's segments in the scaled plane, and their direction vectors in degrees."""
    xy = shapely.get_coordinates(line)
    scaled = xy * np.array([scale, 1.0])
    segs = shapely.linestrings(np.stack([scaled[:-1], scaled[1:]], axis=1))
    return segs, xy[1:] - xy[:-1]


def _face_sides(
    edges_p: NDArray[np.float64],
    edges_q: NDArray[np.float64],
    owner: NDArray[np.intp],
    n_faces: int,
    line: LineString,
    sides: tuple[str, str],
    scale: float,
) -> list[str | None]:
    """Which country a line assigns each face to (a length-weighted vote of the face's edges)."""
    segs, direction = _segments(line, scale)
    tree = shapely.STRtree(segs)
    mid = (edges_p + edges_q) / 2.0 * np.array([scale, 1.0])
    (edge_idx, seg_idx), dist = tree.query_nearest(
        shapely.points(mid), return_distance=True, all_matches=False
    )
    on = dist < ON_LINE_DEG
    edge_idx, seg_idx = edge_idx[on], seg_idx[on]
    vec = edges_q[edge_idx] - edges_p[edge_idx]
    along = np.einsum("ij,ij->i", vec, direction[seg_idx])
    weight = np.hypot(vec[:, 0] * scale, vec[:, 1])
    left = np.bincount(owner[edge_idx], weights=np.where(along > 0, weight, 0.0), minlength=n_faces)
    right = np.bincount(
        owner[edge_idx], weights=np.where(along < 0, weight, 0.0), minlength=n_faces
    )
    return [
        None if lw == rw == 0 else (sides[0] if lw > rw else sides[1])
        for lw, rw in zip(left, right, strict=True)
    ]


def _offsets(points: NDArray[np.float64], line: LineString, scale: float) -> NDArray[np.float64]:
    """Geodesic distance (m) from each point to the nearest point of a line."""
    segs, _ = _segments(line, scale)
    tree = shapely.STRtree(segs)
    scaled = shapely.points(points * np.array([scale, 1.0]))
    pt_idx, seg_idx = tree.query_nearest(scaled, all_matches=False)
    feet = shapely.get_coordinates(shapely.shortest_line(scaled[pt_idx], segs[seg_idx]))[
        1::2
    ] / np.array([scale, 1.0])
    _, _, dist = GEOD.inv(points[pt_idx, 0], points[pt_idx, 1], feet[:, 0], feet[:, 1])
    out = np.zeros(len(points))
    out[pt_idx] = dist
    return out


def _require_pair(dataset: Dataset, a: str, b: str) -> None:
    """Refuse (usage error) an unknown depiction or a depiction compared with itself."""
    for name in (a, b):
        if name not in dataset.depictions:
            raise UsageError(
                f"unknown depiction {name!r}; the dataset has {', '.join(dataset.depictions)}"
            )
    if a == b:
        raise UsageError("compare two different depictions")


def divergence(dataset: Dataset, a: str, b: str, min_offset_m: float = 0.0) -> gpd.GeoDataFrame:
    """Polygons where depictions ``a`` and ``b`` of the main line assign the ground differently.

    Parameters
    ----------
    dataset
        The dataset.
    a, b
        Depiction ids.
    min_offset_m
        Drop faces whose max offset between the lines is smaller than this (metres).

    Returns
    -------
    GeoDataFrame
        The ``divergence`` layer in data-model form (kind, depictions, assigned_by, area_km2,
        max_offset_m, chainage_km along ``a``, sources, geometry_method, precision_m), ordered
        along ``a``.

    Examples
    --------
    >>> import bordermap
    >>> ds = bordermap.load()
    >>> d = divergence(ds, "osm2022", "osm2017", min_offset_m=500)
    >>> bool((d["max_offset_m"] >= 500).all()), sorted(d["assigned_by"].iloc[0].values())
    (True, ['KG', 'TJ'])
    """
    _require_pair(dataset, a, b)
    line_a, line_b = main_line(dataset, a), main_line(dataset, b)
    closures = [
        LineString([line_a.coords[i], line_b.coords[i]])
        for i in (0, -1)
        if not np.allclose(line_a.coords[i], line_b.coords[i], rtol=0, atol=1e-12)
    ]
    noded = shapely.union_all([line_a, line_b, *closures])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    if len(faces) == 0:
        return empty_layer()
    faces = shapely.orient_polygons(faces, exterior_cw=False)
    coords, owner = shapely.get_coordinates(shapely.get_exterior_ring(faces), return_index=True)
    same = owner[1:] == owner[:-1]
    p, q, edge_owner = coords[:-1][same], coords[1:][same], owner[:-1][same]
    scale = float(np.cos(np.radians(coords[:, 1].mean())))
    by_a = _face_sides(p, q, edge_owner, len(faces), line_a, _sides(dataset, a), scale)
    by_b = _face_sides(p, q, edge_owner, len(faces), line_b, _sides(dataset, b), scale)
    offset = np.maximum(_offsets(coords, line_a, scale), _offsets(coords, line_b, scale))
    max_offset = (
        pd.Series(offset).groupby(owner).max().reindex(range(len(faces)), fill_value=0.0).to_numpy()
    )
    along = pd.Series(Chainage.of(line_a).at(shapely.points(coords))).groupby(owner)
    start_km, end_km = along.min().to_numpy(), along.max().to_numpy()
    keep = [
        i
        for i in np.argsort(start_km, kind="stable")
        if by_a[i] and by_b[i] and by_a[i] != by_b[i] and max_offset[i] >= min_offset_m
    ]
    # Snap the kept faces to the grid layers are written on, keeping them valid (rounding the new
    # nodes one vertex at a time, on writing, can make a thin face self-intersect); a face thinner
    # than the grid disappears. Sides were found above on the exact nodes, which lie on the lines.
    snapped = shapely.set_precision(faces[keep], 10.0**-COORD_DECIMALS)
    keep = [i for i, face in zip(keep, snapped, strict=True) if not face.is_empty]
    snapped = snapped[~shapely.is_empty(snapped)]
    if not keep:
        return empty_layer()
    area_km2 = areas_m2(snapped) / 1e6
    meta_a, meta_b = dataset.depiction(a), dataset.depiction(b)
    precision = noise_floor_m(dataset, a, b)
    sources = [
        {"property": "/geometry", "source_id": m["source_id"], "note": f"{m['id']} line"}
        for m in (meta_a, meta_b)
        if m.get("source_id")
    ]
    method = (
        f"derived: face between the {a} and {b} main lines (both lines noded and polygonized, their "
        "ends joined by straight closing segments); max offset = largest geodesic distance from a "
        "boundary vertex to the other line"
    )
    rows = []
    for n, i in enumerate(keep):
        rows.append(
            {
                "id": f"divergence_{a}_{b}_{n:03d}",
                "kind": "divergence",
                "names": names_in("{a}/{b} divergence, km {start}–{end} of {a}", a=a, b=b,
                                  start=lambda tr, x=start_km[i]: tr.decimal(x, 1),
                                  end=lambda tr, x=end_km[i]: tr.decimal(x, 1)),
                "depictions": [a, b],
                "assigned_by": {a: by_a[i], b: by_b[i]},
                "area_km2": float(area_km2[n]),
                "max_offset_m": float(max_offset[i]),
                "chainage_km": [round(float(start_km[i]), 3), round(float(end_km[i]), 3)],
                "sources": sources,
                "geometry_method": method,
                "precision_m": precision,
            }
        )
    return gpd.GeoDataFrame(
        rows, geometry=gpd.GeoSeries(shapely.orient_polygons(snapped, exterior_cw=False), crs=CRS), crs=CRS
    )


def noise_floor_m(dataset: Dataset, a: str, b: str) -> float:
    """The smallest offset between depictions ``a`` and ``b`` that is a divergence, not noise (metres).

    The coarser depiction's ``precision_m``: two lines closer than what either claims to be
    accurate to do not disagree. ``bordermap diverge`` drops narrower faces by default, and the
    dataset's ``divergence`` layer drops them always.

    Examples
    --------
    >>> import bordermap
    >>> noise_floor_m(bordermap.load(), "osm2022", "ne10")
    1000.0
    """
    _require_pair(dataset, a, b)
    return max(float(dataset.depiction(d).get("precision_m") or 0.0) for d in (a, b))


def offset_step_m(precision_m: float) -> float:
    """The step an offset between two lines is written to: the leading decimal place of their precision.

    Lines drawn to ±60 m give offsets to 10 m, lines drawn to ±1 km to the kilometre: a distance
    between them printed to the metre claims digits neither line has.

    Examples
    --------
    >>> [offset_step_m(p) for p in (0.5, 1, 50, 60, 500, 1000)]
    [1.0, 1.0, 10.0, 10.0, 100.0, 1000.0]
    """
    return float(10 ** math.floor(math.log10(precision_m))) if precision_m > 1 else 1.0


def divergence_layer(layers: dict[str, gpd.GeoDataFrame], meta: dict[str, Any]) -> gpd.GeoDataFrame:
    """The divergence layer of a dataset under construction.

    Parameters
    ----------
    layers
        Layer name → GeoDataFrame (at least ``boundary``, with each depiction's main line).
    meta
        The dataset's metadata (``dataset.json``): depictions, default depiction.

    Returns
    -------
    GeoDataFrame
        Divergence polygons of (default, other) for every other depiction, in data-model form.

    Examples
    --------
    >>> import bordermap
    >>> ds = bordermap.load("tests/data/mini")
    >>> layer = divergence_layer(ds.layers, ds.meta)
    >>> layer["id"].tolist(), layer["assigned_by"].iloc[0]
    (['divergence_alpha_beta_000'], {'alpha': 'TJ', 'beta': 'KG'})
    """
    dataset = Dataset(meta=meta, layers=layers)
    default = dataset.default_depiction
    frames = []
    for other in dataset.depictions:
        if other == default:
            continue
        frames.append(divergence(dataset, default, other, min_offset_m=noise_floor_m(dataset, default, other)))
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_layer()
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS)
