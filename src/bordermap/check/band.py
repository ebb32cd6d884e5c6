"""Make an area claim visible: the band along the line that such an area would fill.

"2,110 km² of our land" has no place on a map until someone draws the claimed territory. What a
map can show honestly is the claim's size: a band along the line (or a stretch of it) whose area
equals the claim. Its *mean depth* is area / line length; the drawn band is a buffer of the line
on one side, with its depth solved so that its geodesic area equals the claim (a buffer of a
winding line overlaps itself at bends, so it needs more depth than the mean).

The buffer is computed in an azimuthal equidistant projection centred on the line (pyproj), where
distances from the centre are exact and the scale error elsewhere is below (ρ/R)²/6 ≈ 0.07 % at
ρ = 400 km: under 2 m for a band 2 km deep. The area is then measured geodesically.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS as ProjCRS
from pyproj import Transformer
from shapely import LineString
from shapely.geometry.base import BaseGeometry

from bordermap.chainage import Chainage, main_line
from bordermap.errors import UsageError
from bordermap.geodesic import areas_m2, lengths_m
from bordermap.model import CRS, Dataset

#: The band's area is solved to this relative tolerance.
AREA_TOLERANCE = 0.002


def _project(geom: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def _side_region(dataset: Dataset, depiction: str, side: str) -> BaseGeometry | None:
    """The side's country polygon in the same depiction, if the dataset has one."""
    areas = dataset.layer("areas")
    if not {"country", "depiction"} <= set(areas.columns):
        return None
    rows = areas[
        (areas["kind"] == "country_region")
        & (areas["country"] == side)
        & (areas["depiction"] == depiction)
    ]
    return shapely.union_all(rows.geometry.values) if len(rows) else None


def _line_sides(dataset: Dataset, depiction: str) -> tuple[str, str]:
    boundary = dataset.layer("boundary")
    rows = boundary[(boundary["depiction"] == depiction)]
    if "part" in rows.columns:
        rows = rows[rows["part"] == "main"]
    sides = (
        rows["sides"].dropna().iloc[0]
        if "sides" in rows.columns and rows["sides"].notna().any()
        else None
    )
    if sides is None:
        raise UsageError(
            f"boundary: the {depiction} main line has no 'sides'; cannot tell {dataset.pair} apart"
        )
    return str(sides[0]), str(sides[1])


def claim_band(
    dataset: Dataset,
    area_km2: float,
    side: str,
    depiction: str | None = None,
    chainage_km: tuple[float, float] | None = None,
) -> gpd.GeoDataFrame:
    """The band along the line, on one side, whose area equals a claimed area.

    Parameters
    ----------
    dataset
        The dataset.
    area_km2
        The claimed area.
    side
        ISO2 code of the country on whose side of the line the band lies: the country that holds
        the land now (a claim by TJ to land held by KG is drawn with ``side="KG"``).
    depiction
        Which line (default: the dataset's default depiction).
    chainage_km
        Restrict the band to a stretch of the line, ``(from_km, to_km)``.

    Returns
    -------
    GeoDataFrame
        One feature (``kind: claim_band``) with ``area_km2`` (the claim), ``band_area_km2``
        (geodesic area of the drawn band), ``mean_depth_km`` (area / line length), ``depth_km``
        (the buffer distance drawn), ``line_length_km``, ``side``, ``depiction``, ``chainage_km``,
        ``geometry_method``, ``precision_m`` and ``sources``.

    Examples
    --------
    >>> import bordermap
    >>> band = claim_band(bordermap.load(), 2110, side="KG")
    >>> row = band.iloc[0]
    >>> bool(2.0 < row["mean_depth_km"] < 2.5), bool(abs(row["band_area_km2"] - 2110) < 5)
    (True, True)
    """
    name = depiction or dataset.default_depiction
    if area_km2 <= 0:
        raise UsageError(f"claimed area must be positive, got {area_km2}")
    left, right = _line_sides(dataset, name)
    if side not in (left, right):
        raise UsageError(
            f"side {side!r} is not a side of the {name} line ({left} left, {right} right)"
        )
    line: LineString = main_line(dataset, name)
    if chainage_km is not None:
        line = Chainage.of(line).substring(*chainage_km)
    length_km = float(lengths_m([line])[0]) / 1000.0
    centre = line.centroid
    local = ProjCRS.from_proj4(
        f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m +no_defs"
    )
    forward = Transformer.from_crs(CRS, local, always_xy=True)
    back = Transformer.from_crs(local, CRS, always_xy=True)
    line_m = _project(line, forward)
    region = _side_region(dataset, name, side)
    region_m = _project(region, forward) if region is not None else None

    def band(depth_m: float) -> BaseGeometry:
        if region_m is not None:
            return shapely.intersection(line_m.buffer(depth_m), region_m)
        return line_m.buffer(depth_m if side == left else -depth_m, single_sided=True)

    mean_depth_km = area_km2 / length_km
    depth_m = mean_depth_km * 1000.0
    for _ in range(12):
        geom = _project(band(depth_m), back)
        got = float(areas_m2([geom])[0]) / 1e6
        if abs(got - area_km2) <= AREA_TOLERANCE * area_km2 or got == 0:
            break
        depth_m *= area_km2 / got
    meta = dataset.depiction(name)
    stretch = (
        "the whole line" if chainage_km is None else f"km {chainage_km[0]:g}–{chainage_km[1]:g}"
    )
    clip = f"clipped to the {side} polygon of {name}" if region_m is not None else "single-sided"
    row = {
        "id": f"claim_band_{side}_{area_km2:g}km2",
        "kind": "claim_band",
        "names": {"en": f"{area_km2:,.0f} km² as a band on the {side} side of {stretch}"},
        "area_km2": float(area_km2),
        "band_area_km2": got,
        "mean_depth_km": mean_depth_km,
        "depth_km": depth_m / 1000.0,
        "line_length_km": length_km,
        "side": side,
        "depiction": name,
        "chainage_km": list(chainage_km) if chainage_km else None,
        "geometry_method": (
            f"derived: buffer of the {name} main line ({stretch}), {clip}, in an azimuthal equidistant "
            "projection centred on the line; depth solved so that the geodesic area equals the claim"
        ),
        "precision_m": meta.get("precision_m"),
        "sources": [{"property": "/geometry", "source_id": meta["source_id"]}]
        if meta.get("source_id")
        else [],
    }
    return gpd.GeoDataFrame([row], geometry=gpd.GeoSeries([geom], crs=CRS), crs=CRS)
