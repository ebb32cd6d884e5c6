"""Features of the ``boundary`` layer: the main line in chainage segments and enclave perimeters."""

from __future__ import annotations

import logging
from typing import Any

import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from bordermap.derive.claims import UNCURATED_POLICY, StatusPolicy
from bordermap.derive.depiction_build import DepictionBuild
from bordermap.derive.shared_line import split_at_chainage
from bordermap.i18n import names_in
from bordermap.topology import sides

log = logging.getLogger(__name__)

#: Segment length along the main line (km); a new segment also starts at every gap in the line.
SEGMENT_KM = 50.0

#: Sides must agree on at least this share of tested points, else the build fails.
MIN_SIDE_AGREEMENT = 0.8


def side_regions(build: DepictionBuild) -> dict[str, BaseGeometry]:
    """Return the regions the side test tells apart: the pair's first country, and the others.

    The line is the pair's by construction, so a test point in a third country (a short piece
    near a tripoint) counts for the pair's second country.
    """
    a, b = build.pair
    others = shapely.union_all([g for code, g in build.coverage.items() if code != a])
    return {a: build.coverage[a], b: others}


def _sides_checked(
    line: LineString, build: DepictionBuild, what: str, regions: dict[str, BaseGeometry]
) -> list[str]:
    # Test points sit well beyond the polygon misfit but close enough to stay in a narrow loop.
    offset_m = max(15.0, 3 * build.depiction.snap_m)
    # Extra vertices on long edges keep a short piece's test points off its ends and corners.
    probe = shapely.segmentize(line, max(line.length / 8, 1e-9))
    vote = sides(probe, regions, offset_m)
    left, right = vote.left, vote.right
    # No polygon on one side (a lake cut out of the polygon): that side is the pair's other one.
    if (left is None) != (right is None):
        a, b = build.pair
        left, right = (left or (b if right == a else a)), (right or (b if left == a else a))
    if left is None or right is None or left == right or vote.agreement < MIN_SIDE_AGREEMENT:
        raise ValueError(f"{build.depiction.id} {what}: side test inconclusive ({vote})")
    return [left, right]


def _method(build: DepictionBuild, how: str) -> str:
    d = build.depiction
    a, b = build.pair
    snap = (
        f"shared edge = identical vertices of the {a} and {b} polygons"
        if d.snap_m == 0
        else f"shared edge = {a} polygon edge within {d.snap_m:g} m of the {b} polygon (snapping "
        f"tolerance for the per-country coordinate quantisation; the line follows {a}'s vertices)"
    )
    return f"extracted from {build.provenance()}; {snap}; {how}; no further simplification"


def boundary_features(
    build: DepictionBuild, as_of: str, policy: StatusPolicy = UNCURATED_POLICY
) -> list[dict[str, Any]]:
    """Build the main line (tripoint first, cut every 50 km) and the pair's enclave perimeters."""
    d = build.depiction
    common = {"kind": "boundary", "depiction": d.id, **policy.flag(), "precision_m": d.precision_m}
    regions = side_regions(build)
    drawn = {"id": d.id, "vintage": d.vintage, "source_id": d.source_id}
    out = []
    chainage = 0.0
    index = 0
    for piece in build.main:
        for start_m, end_m, segment in split_at_chainage(piece, SEGMENT_KM * 1000, chainage):
            km = f"{start_m / 1000:.0f}–{end_m / 1000:.0f}"
            out.append(
                {
                    **common,
                    "id": f"{d.id}_main_{index:02d}",
                    "part": "main",
                    "segment": index,
                    "chainage_km": [round(start_m / 1000, 3), round(end_m / 1000, 3)],
                    "sides": _sides_checked(segment, build, f"segment {index}", regions),
                    "names": names_in("{pair} boundary ({depiction}), km {km}", pair="–".join(build.pair),
                                      depiction=d.id, km=km),
                    **policy.fields(policy.main, as_of, drawn),
                    "sources": policy.citations(
                        d.source_id, "line derived from the country polygons"
                    ),
                    "geometry_method": _method(
                        build,
                        f"oriented from the {build.origin_text()}, cut every {SEGMENT_KM:g} km of "
                        "geodesic chainage",
                    ),
                    "geometry": segment,
                }
            )
            index += 1
            chainage = end_m
    for enclave in build.pair_enclaves():
        # Counter-clockwise: the enclave (its administering country) lies on the left.
        ring = LineString(shapely.orient_polygons(enclave.polygon).exterior.coords)
        history = policy.enclave(enclave.key)
        out.append(
            {
                **common,
                "id": f"{d.id}_perimeter_{enclave.key}",
                "part": "enclave",
                "enclave_id": f"{d.id}_enclave_{enclave.key}",
                "sides": _sides_checked(ring, build, f"perimeter {enclave.key}", regions),
                "names": names_in("{name} enclave perimeter ({depiction})", name=enclave.names, depiction=d.id),
                **policy.fields(history, as_of, drawn),
                "sources": policy.citations(d.source_id, "perimeter of the enclave polygon"),
                "geometry_method": _method(
                    build, f"exterior ring of the {enclave.key} enclave polygon, counter-clockwise"
                ),
                "geometry": ring,
            }
        )
    return out
