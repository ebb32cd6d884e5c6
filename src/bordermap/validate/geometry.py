"""Rules on geometry: types per layer, validity, RFC 7946, coordinate order, and topology.

Topology is checked per depiction, on the ``country_region`` and enclave polygons of the areas
layer: each enclave lies in the country that surrounds it, no two polygons overlap by more than
:data:`OVERLAP_TOLERANCE_M2`, and each boundary line has ``sides[0]``'s polygon on its left and
``sides[1]``'s on its right (points offset from the line are tested, as the data build does).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from bordermap.errors import Problem
from bordermap.geodesic import areas_m2, lengths_m
from bordermap.io.geojson import out_of_range_message
from bordermap.topology import sides as side_vote
from bordermap.validate.inputs import Inputs, Layer

#: Geometry types each layer accepts (None: null geometry allowed).
LAYER_TYPES: dict[str, tuple[Any, ...]] = {
    "boundary": ("LineString", "MultiLineString", "LinearRing"),
    "areas": ("Polygon", "MultiPolygon"),
    "divergence": ("Polygon", "MultiPolygon"),
    "candidates": ("Polygon", "MultiPolygon"),
    "places": ("Point",),
    "incidents": ("Point", "MultiPoint", None),
    "sections": (
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
        None,
    ),
}
#: Two polygons of one depiction may share this much area (m²) before it counts as an overlap.
OVERLAP_TOLERANCE_M2 = 1000.0
#: Share of an enclave that may lie outside the country around it.
ENCLAVE_OUTSIDE_TOLERANCE = 0.001
#: Distance of the side test points from the line: 3 × the line's precision_m, within these bounds.
SIDE_OFFSET_BOUNDS_M = (20.0, 300.0)
#: A coordinate bounding box must fit this share of vertices in the countries' extent (swap test).
SWAP_SHARE = 0.95
#: Margin (degrees) around each country's extent in the swap test.
EXTENT_MARGIN_DEG = 1.0
_REGION_KINDS = ("country_region", "enclave", "exclave")


def types(inputs: Inputs) -> list[Problem]:
    """Geometry types allowed in each layer; null geometry where the layer needs one."""
    out = []
    for name, layer in inputs.layers.items():
        allowed = LAYER_TYPES.get(name)
        if allowed is None:
            continue
        for label, geom, raw in zip(layer.labels, layer.geoms, layer.raw_types, strict=True):
            if raw == "LinearRing":
                out.append(
                    Problem(
                        "nonstandard-geometry-type",
                        "LinearRing is not an RFC 7946 geometry type; "
                        "other GIS tools will not read it: write a closed LineString",
                        layer.file,
                        label,
                        "/geometry/type",
                    )
                )
            if geom is None or geom.is_empty:
                if None not in allowed and not _unreadable(inputs, layer.file, label):
                    out.append(
                        Problem(
                            "geometry-missing",
                            f"the {name} layer needs a geometry here, not null",
                            layer.file,
                            label,
                            "/geometry",
                        )
                    )
            elif geom.geom_type not in allowed:
                wanted = ", ".join(t for t in allowed if t and t != "LinearRing")
                out.append(
                    Problem(
                        "geometry-type",
                        f"{geom.geom_type} in the {name} layer (expected {wanted})",
                        layer.file,
                        label,
                        "/geometry/type",
                    )
                )
    return out


def _unreadable(inputs: Inputs, file: str, label: str) -> bool:
    """Whether reading already reported this feature's geometry (so it is null here)."""
    return any(
        p.file == file and p.feature == label and p.prop.startswith("/geometry")
        for p in inputs.problems
    )


def validity(inputs: Inputs) -> list[Problem]:
    """OGC validity of polygons, simple lines, RFC 7946 ring orientation and the antimeridian."""
    out = []
    for layer in inputs.layers.values():
        geoms = layer.geometry_array()
        present = np.flatnonzero(~shapely.is_missing(geoms) & ~shapely.is_empty(geoms))
        if not len(present):
            continue
        kinds = shapely.get_type_id(geoms[present])
        areal = present[np.isin(kinds, (3, 6))]
        reasons = shapely.is_valid_reason(geoms[areal])
        for i, reason in zip(areal, reasons, strict=True):
            if reason != "Valid Geometry":
                out.append(
                    Problem(
                        "invalid-geometry",
                        f"invalid polygon: {reason}",
                        layer.file,
                        layer.labels[i],
                        "/geometry",
                    )
                )
        linear = present[np.isin(kinds, (1, 2, 5))]
        for i in linear[shapely.length(geoms[linear]) == 0]:
            out.append(
                Problem(
                    "zero-length",
                    "the line has zero length (all its positions are the same point)",
                    layer.file,
                    layer.labels[i],
                    "/geometry/coordinates",
                )
            )
        for i in linear[~shapely.is_simple(geoms[linear])]:
            out.append(
                Problem(
                    "line-not-simple",
                    "the line crosses or touches itself",
                    layer.file,
                    layer.labels[i],
                    "/geometry",
                )
            )
        out += _orientation(layer, areal)
        bounds = shapely.bounds(geoms[present])
        for i in [i for i in present[(bounds[:, 2] - bounds[:, 0]) > 180] if crosses_antimeridian(geoms[i])]:
            out.append(
                Problem(
                    "crosses-antimeridian",
                    "spans more than 180° of longitude: it crosses the "
                    "antimeridian; split it at ±180° into a Multi geometry (RFC 7946 §3.1.9)",
                    layer.file,
                    layer.labels[i],
                    "/geometry",
                )
            )
        inside = ((np.abs(bounds[:, [0, 2]]) <= 180).all(axis=1)) & (
            (np.abs(bounds[:, [1, 3]]) <= 90).all(axis=1)
        )
        for i in present[~inside]:
            xy = shapely.get_coordinates(geoms[i])
            out.append(
                Problem(
                    "coordinates-out-of-range",
                    out_of_range_message(xy),
                    layer.file,
                    layer.labels[i],
                    "/geometry/coordinates",
                )
            )
    return out


def _linear_parts(geom: BaseGeometry) -> Iterator[BaseGeometry]:
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            yield part.exterior
            yield from part.interiors
        elif part.geom_type in ("LineString", "LinearRing"):
            yield part
        elif part.geom_type.startswith("Multi") or part.geom_type == "GeometryCollection":
            yield from _linear_parts(part)


def crosses_antimeridian(geom: BaseGeometry) -> bool:
    """Whether a line or ring jumps across ±180° between two vertices (RFC 7946 §3.1.9).

    A geometry split at the antimeridian (parts on either side, each within ±180°) does not; nor
    does a polar cap, whose ring runs along the pole from +180° to −180°: a step of more than
    180° of longitude counts only when it is not along a pole.

    Examples
    --------
    >>> crosses_antimeridian(shapely.LineString([(179, 0), (-179, 1)]))
    True
    >>> crosses_antimeridian(shapely.MultiLineString([[(179, 0), (180, 0.5)], [(-180, 0.5), (-179, 1)]]))
    False
    >>> cap = shapely.Polygon([(-180, -90), (-180, -60), (0, -60), (180, -60), (180, -90), (-180, -90)])
    >>> crosses_antimeridian(cap)
    False
    """
    for line in _linear_parts(geom):
        xy = shapely.get_coordinates(line)
        if len(xy) < 2:
            continue
        jump = np.abs(np.diff(xy[:, 0])) > 180
        along_pole = (np.abs(xy[:-1, 1]) == 90) & (xy[:-1, 1] == xy[1:, 1])
        if (jump & ~along_pole).any():
            return True
    return False


def _orientation(layer: Layer, areal: np.ndarray) -> list[Problem]:
    """Check RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.

    A warning only: parsers must not
    reject other orientations, and bordermap's measures do not depend on it).
    """
    out: list[Problem] = []
    if not len(areal):
        return out
    parts, owner = shapely.get_parts(layer.geometry_array()[areal], return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    exterior = np.r_[True, ring_part[1:] != ring_part[:-1]]
    wrong = shapely.is_ccw(rings) != exterior
    for i in np.unique(owner[ring_part[wrong]]):
        out.append(
            Problem(
                "ring-orientation",
                "polygon rings do not follow the right-hand rule (exterior "
                "counter-clockwise, holes clockwise; RFC 7946 §3.1.6)",
                layer.file,
                layer.labels[areal[i]],
                "/geometry/coordinates",
            )
        )
    return out


@cache
def country_extent(code: str, name: str = "") -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a country from the PROJ database's EPSG extents, if listed.

    Examples
    --------
    >>> country_extent("KG")
    (69.24, 39.19, 80.29, 43.22)
    """
    import pycountry
    import pyproj

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    names = [
        name,
        country.name,
        getattr(country, "common_name", ""),
        getattr(country, "official_name", ""),
        country.name.split(",")[0],
    ]
    try:
        with sqlite3.connect(
            f"file:{pyproj.datadir.get_data_dir()}/proj.db?mode=ro", uri=True
        ) as db:
            for candidate in filter(None, names):
                row = db.execute(
                    "SELECT west_lon, south_lat, east_lon, north_lat FROM extent WHERE name = ? "
                    "AND auth_name = 'EPSG' ORDER BY code LIMIT 1",
                    (candidate,),
                ).fetchone()
                if row:
                    return tuple(float(v) for v in row)  # type: ignore[return-value]
    except sqlite3.Error:
        return None
    return None


def _share_inside(
    x: np.ndarray, y: np.ndarray, extents: list[tuple[float, float, float, float]]
) -> float:
    inside = np.zeros(len(x), dtype=bool)
    m = EXTENT_MARGIN_DEG
    for west, south, east, north in extents:
        lat_ok = (y >= south - m) & (y <= north + m)
        lon_ok = (
            (x >= west - m) & (x <= east + m) if west <= east else (x >= west - m) | (x <= east + m)
        )
        inside |= lat_ok & lon_ok
    return float(inside.mean()) if len(x) else 0.0


def coordinate_order(inputs: Inputs) -> list[Problem]:
    """Name a file whose coordinates look like latitude,longitude (swapped).

    Heuristic (docs/errors.md): a file is called swapped only when every x is within ±90, at
    least 95 % of its vertices fall within the dataset's countries' extents (EPSG extents from
    the PROJ database, plus a 1° margin) when read as (y, x), and fewer than 5 % do when read as
    given. Countries without a listed extent make the test abstain, so synthetic data far from
    the countries (tests near 0°, 0°) is never called swapped.
    """
    codes = list(inputs.meta.get("countries") or {}) or list(inputs.meta.get("pair") or [])
    extents = []
    for code in codes:
        name = (inputs.meta.get("countries") or {}).get(code, {})
        extent = country_extent(code, name.get("name", "") if isinstance(name, dict) else "")
        if extent is None:
            return []
        extents.append(extent)
    if not extents:
        return []
    out = []
    for layer in inputs.layers.values():
        xy = shapely.get_coordinates(layer.geometry_array())
        if not len(xy) or (np.abs(xy[:, 0]) > 90).any():
            continue
        as_given = _share_inside(xy[:, 0], xy[:, 1], extents)
        swapped = _share_inside(xy[:, 1], xy[:, 0], extents)
        if swapped >= SWAP_SHARE and as_given < 1 - SWAP_SHARE:
            out.append(
                Problem(
                    "coordinates-swapped",
                    f"coordinates look like latitude,longitude (swapped): read "
                    f"as (y, x) {swapped:.0%} of them fall in {', '.join(codes)}, "
                    f"as given {as_given:.0%}; "
                    f"GeoJSON positions are [longitude, latitude] (RFC 7946 §3.1.1)",
                    layer.file,
                )
            )
    return out


def _regions(inputs: Inputs) -> dict[str, list[tuple[int, dict[str, Any], BaseGeometry]]]:
    """Depiction → [(index, properties, polygon)] of its country and enclave polygons."""
    areas = inputs.layers.get("areas")
    out: dict[str, list[tuple[int, dict[str, Any], BaseGeometry]]] = defaultdict(list)
    if areas is None:
        return out
    for i, (props, geom) in enumerate(zip(areas.props, areas.geoms, strict=True)):
        if (
            props.get("kind") in _REGION_KINDS
            and geom is not None
            and geom.geom_type in ("Polygon", "MultiPolygon")
            and geom.is_valid
            and isinstance(props.get("depiction"), str)
        ):
            out[props["depiction"]].append((i, props, geom))
    return out


def _owner(props: dict[str, Any]) -> Any:
    return (
        props.get("country")
        if props.get("kind") == "country_region"
        else props.get("administered_by")
    )


def topology(inputs: Inputs) -> list[Problem]:
    """Check enclaves lie in their surrounding country, no overlaps, sides match the polygons."""
    regions = _regions(inputs)
    out: list[Problem] = []
    areas = inputs.layers.get("areas")
    for depiction, polys in regions.items():
        assert areas is not None
        out += _enclaves(areas, polys)
        out += _overlaps(areas, polys, depiction)
    boundary = inputs.layers.get("boundary")
    if boundary is not None:
        out += _sides(boundary, regions)
    return out


def _enclaves(areas: Layer, polys: list[tuple[int, dict[str, Any], BaseGeometry]]) -> list[Problem]:
    out = []
    country = {
        props.get("country"): geom
        for _, props, geom in polys
        if props.get("kind") == "country_region"
    }
    for i, props, geom in polys:
        around = country.get(props.get("surrounded_by"))
        if props.get("kind") != "enclave" or around is None:
            continue
        # The enclave is cut out of the country: compare with the country's outline, holes filled.
        filled = shapely.union_all(
            shapely.polygons(shapely.get_exterior_ring(shapely.get_parts(around)))
        )
        outside = shapely.difference(geom, filled).area / geom.area if geom.area else 0.0
        if outside > ENCLAVE_OUTSIDE_TOLERANCE:
            out.append(
                Problem(
                    "enclave-outside",
                    f"{outside:.1%} of the enclave lies outside "
                    f"{props['surrounded_by']}'s polygon of depiction {props['depiction']!r}, the "
                    f"country its surrounded_by names",
                    areas.file,
                    areas.labels[i],
                    "/surrounded_by",
                )
            )
    return out


def _overlaps(
    areas: Layer, polys: list[tuple[int, dict[str, Any], BaseGeometry]], depiction: str
) -> list[Problem]:
    geoms = np.array([g for _, _, g in polys], dtype=object)
    # Overlaps show as invalid coverage edges (GEOS' check, fast), except a polygon lying wholly
    # inside another, found by a point of it; only those pairs are intersected and measured.
    edges = shapely.coverage_invalid_edges(geoms)
    suspect = ~shapely.is_missing(edges) & ~shapely.is_empty(edges)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    inner = shapely.point_on_surface(geoms)
    nested = shapely.contains(geoms[left], inner[right]) | shapely.contains(
        geoms[right], inner[left]
    )
    keep = (left < right) & ((suspect[left] & suspect[right]) | nested)
    left, right = left[keep], right[keep]
    if not len(left):
        return []
    shared = shapely.intersection(geoms[left], geoms[right])
    area = areas_m2(shared)
    out = []
    for a, b, m2, piece in zip(left, right, area, shared, strict=True):
        if m2 > OVERLAP_TOLERANCE_M2:
            at = piece.representative_point()
            i, j = polys[a][0], polys[b][0]
            out.append(
                Problem(
                    "polygons-overlap",
                    f"overlaps {areas.labels[j]} by {m2 / 1e6:,.4f} km² near "
                    f"{at.y:.4f}N {at.x:.4f}E (depiction {depiction!r}; tolerance "
                    f"{OVERLAP_TOLERANCE_M2:,.0f} m²)",
                    areas.file,
                    areas.labels[i],
                    "/geometry",
                )
            )
    return out


def _sides(
    boundary: Layer, regions: dict[str, list[tuple[int, dict[str, Any], BaseGeometry]]]
) -> list[Problem]:
    out = []
    merged: dict[str, dict[str, BaseGeometry]] = {}
    for depiction, polys in regions.items():
        by_owner: dict[str, list[BaseGeometry]] = defaultdict(list)
        for _, props, geom in polys:
            if isinstance(_owner(props), str):
                by_owner[_owner(props)].append(geom)
        merged[depiction] = {code: shapely.union_all(gs) for code, gs in by_owner.items()}
    for props, label, geom in zip(boundary.props, boundary.labels, boundary.geoms, strict=True):
        declared = props.get("sides")
        drawn_in = props.get("depiction")
        owners = merged.get(drawn_in) if isinstance(drawn_in, str) else None
        if (
            not owners
            or geom is None
            or geom.is_empty
            or not isinstance(declared, list)
            or len(declared) != 2
        ):
            continue
        if geom.geom_type not in ("LineString", "LinearRing", "MultiLineString"):
            continue
        precision = props.get("precision_m")
        offset = float(
            np.clip(
                3 * (precision if isinstance(precision, (int, float)) else 0), *SIDE_OFFSET_BOUNDS_M
            )
        )
        for part in shapely.get_parts(geom):
            if part.length == 0:  # reported as zero-length by validity()
                continue
            # At least a few vertices so that the test points are not taken at the line's ends.
            line = shapely.segmentize(part, max(part.length / 8, 1e-9))
            # A short piece near a tripoint must not test points beyond its own ends.
            reach = min(offset, float(lengths_m([part])[0]) / 4)
            vote = side_vote(line, owners, reach, samples=5)
            wrong = [
                (pos, found)
                for pos, found in ((0, vote.left), (1, vote.right))
                if found is not None and found != declared[pos]
            ]
            if wrong:
                out.append(
                    Problem(
                        "sides-mismatch",
                        f"left of the line lies {vote.left or 'no polygon'}, right "
                        f"{vote.right or 'no polygon'} ({vote.agreement:.0%} of test points), but "
                        f"sides says {declared}: reverse the line or swap sides",
                        boundary.file,
                        label,
                        f"/sides/{wrong[0][0]}",
                    )
                )
                break
    return out
