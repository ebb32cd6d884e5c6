"""The measurement partitioned with dask-geopandas gives the same numbers as on one machine.

docs/scaling.md describes running bordermap on inputs larger than one machine: the frame is
split into partitions (here spatially, by Hilbert distance) and each partition measured by
:func:`bordermap.measure.measure_frame`. Every geometry is measured on its own, so partitioning
cannot change a number: they must be identical, not merely close.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import bordermap
from bordermap.measure import measure_frame

dask_geopandas = pytest.importorskip("dask_geopandas")  # in the ``bench`` extra


def world_like() -> gpd.GeoDataFrame:
    """The mini dataset's areas and lines plus a few hundred islands with lakes."""
    mini = bordermap.load("tests/data/mini")
    rng = np.random.default_rng(3)
    islands = []
    for _ in range(300):
        lon, lat, r = rng.uniform(-170, 170), rng.uniform(-60, 70), rng.uniform(0.001, 0.3)
        shell = shapely.Point(lon, lat).buffer(r, quad_segs=int(rng.integers(1, 8)))
        islands.append(
            shell.difference(shapely.Point(lon, lat).buffer(r / 4)) if rng.random() < 0.3 else shell
        )
    frames = [
        mini.layer("areas")[["id", "geometry"]],
        mini.layer("boundary")[["id", "geometry"]],
        gpd.GeoDataFrame(
            {"id": [f"i{k}" for k in range(len(islands))]}, geometry=islands, crs=4326
        ),
    ]
    return pd.concat(frames, ignore_index=True)


def measured(part: gpd.GeoDataFrame) -> pd.DataFrame:
    """What each partition computes: its features' ids and measurements."""
    return measure_frame(part).assign(id=part["id"].to_numpy())


@pytest.mark.parametrize("scheduler", ["synchronous", "threads"])
def test_partitioned_measurement_is_identical(scheduler):
    frame = world_like()
    expected = measured(frame).set_index("id").sort_index()
    # Spatial partitions (Hilbert order, as for the planet's admin boundaries); the index becomes
    # the Hilbert distance, so features are matched by id.
    parts = dask_geopandas.from_geopandas(frame, npartitions=7).spatial_shuffle(by="hilbert")
    meta = pd.DataFrame(
        {
            "length_km": pd.Series(dtype=float),
            "area_km2": pd.Series(dtype=float),
            "id": pd.Series(dtype=object),
        }
    )
    got = (
        parts.map_partitions(measured, meta=meta)
        .compute(scheduler=scheduler)
        .set_index("id")
        .sort_index()
    )
    assert parts.npartitions == 7 and len(got) == len(frame)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
