"""``bordermap measure FILES… --dask local`` gives the single-process numbers, bit for bit.

The files are the mini dataset's layers plus a few hundred islands with lakes, written as three
GeoParquet files (one of them in several row groups). The single-process
run measures the same features from one GeoParquet file.
"""

import json
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import bordermap
from bordermap.cli.main import main

pytest.importorskip("dask_geopandas")
pytest.importorskip("distributed")


def world_like() -> gpd.GeoDataFrame:
    """The mini dataset's areas and lines plus a few hundred islands, some with lakes."""
    mini = bordermap.load("tests/data/mini")
    rng = np.random.default_rng(5)
    islands = []
    for _ in range(300):
        lon, lat, r = rng.uniform(-170, 170), rng.uniform(-60, 70), rng.uniform(0.001, 0.3)
        shell = shapely.Point(lon, lat).buffer(r, quad_segs=int(rng.integers(1, 8)))
        lake = shapely.Point(lon, lat).buffer(r / 4)
        islands.append(shell.difference(lake) if rng.random() < 0.3 else shell)
    frames = [
        mini.layer("areas")[["id", "geometry"]],
        mini.layer("boundary")[["id", "geometry"]],
        gpd.GeoDataFrame({"id": [f"i{k}" for k in range(300)]}, geometry=islands, crs=4326),
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("parts")
    frame = world_like()
    frame["layer"] = ["areas" if t.endswith("Polygon") else "boundary" for t in frame.geom_type]
    frame["group"] = [f"g{k % 4}" for k in range(len(frame))]
    whole = root / "whole.parquet"
    frame.to_parquet(whole)
    cuts = [0, 100, 220, len(frame)]
    parts = []
    for k, (a, b) in enumerate(zip(cuts[:-1], cuts[1:], strict=True)):
        part = root / f"part{k}.parquet"
        frame.iloc[a:b].to_parquet(part, row_group_size=60 if k == 1 else None)
        parts.append(part)
    return whole, parts


def run(runner, args):
    result = runner.invoke(main, ["measure", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_dask_local_matches_one_process_exactly(runner, files):
    whole, parts = files
    one = run(runner, [str(whole)])
    dask = run(runner, [*map(str, parts), "--dask", "local"])
    assert len(one) == len(dask) > 300
    assert dask == one  # every field, every float identical
    grouped_one = run(runner, [str(whole), "--by", "group"])
    grouped_dask = run(runner, [*map(str, parts), "--dask", "local", "--by", "group"])
    assert grouped_dask == grouped_one
    assert pd.DataFrame(grouped_one)["features"].sum() == len(one)


def test_dask_usage_errors(runner, files, monkeypatch):
    whole, parts = files
    several = runner.invoke(main, ["measure", *map(str, parts)])
    assert several.exit_code == 2 and "--dask" in several.output
    geojson = runner.invoke(main, ["measure", "tests/data/mini/boundary.geojson", "--dask", "local"])
    assert geojson.exit_code == 2 and "GeoParquet" in geojson.output
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)  # as if the extra were missing
    missing = runner.invoke(main, ["measure", str(whole), "--dask", "local"])
    assert missing.exit_code == 2 and "pip install 'bordermap[dask]'" in missing.output
    assert "Traceback" not in missing.output


def test_dask_holds_every_partition_to_the_read_rules(runner, files, tmp_path):
    # One process refuses a GeoParquet file with a vertex at (700, 139) or a NaN coordinate;
    # --dask reads partitions itself and must refuse them too, naming the file and rule.
    whole, parts = files
    good = gpd.read_parquet(parts[0])
    cases = {
        "far": (shapely.LineString([(70, 39), (700, 139)]), "coordinates-out-of-range"),
        "nan": (shapely.LineString([(70, 39), (np.nan, 39)]), "coordinates-not-finite"),
    }
    for name, (geom, code) in cases.items():
        bad = pd.concat([good, gpd.GeoDataFrame({"id": [name], "layer": ["boundary"]}, geometry=[geom], crs=4326)],
                        ignore_index=True)
        path = tmp_path / f"{name}.parquet"
        bad.to_parquet(path, row_group_size=40)  # the bad row is in the last partition
        before = path.read_bytes()
        single = runner.invoke(main, ["measure", str(path), "--format", "csv"])
        spread = runner.invoke(main, ["measure", str(whole), str(path), "--dask", "local", "--format", "csv"])
        for result in (single, spread):
            assert result.exit_code == 1, result.output
            assert str(path) in result.output and f"[{code}]" in result.output, result.output
            assert "Traceback" not in result.output
        assert path.read_bytes() == before
