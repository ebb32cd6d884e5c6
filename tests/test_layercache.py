"""A layer read again comes from the layer cache, and is the same frame as a fresh read."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from pandas.testing import assert_frame_equal

import bordermap
from bordermap.io import layercache
from bordermap.io.geojson import feature_collection, features_to_frame, read_json, read_layer
from bordermap.model import LAYERS
from bordermap.settings import layers_cache_dir


def _fresh(path: Path):
    """The layer parsed from its file, not through read_layer (so never from the cache)."""
    return features_to_frame(feature_collection(read_json(path), path), path)


def _same(a, b) -> None:
    assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
    assert list(a.columns) == list(b.columns) and a.crs == b.crs
    both = a.geometry.values, b.geometry.values
    assert bool((shapely.equals_exact(*both, tolerance=0) | (a.geometry.isna() & b.geometry.isna())).all())
    assert shapely.to_wkb(both[0]).tolist() == shapely.to_wkb(both[1]).tolist()


@pytest.mark.parametrize(
    "root", [bordermap.bundled_path(), Path(__file__).parent / "data" / "mini"], ids=["kg-tj", "mini"]
)
def test_a_remembered_layer_is_the_layer(root: Path) -> None:
    paths = [root / f"{name}.geojson" for name in LAYERS if (root / f"{name}.geojson").is_file()]
    for path in paths:
        digests: dict[str, str] = {}
        first = read_layer(path, digests)  # parsed, then remembered
        again_digests: dict[str, str] = {}
        again = read_layer(path, again_digests)  # from the cache
        assert digests == again_digests and list(digests) == [str(path)]
        _same(first, _fresh(path))
        _same(again, _fresh(path))
    assert len(list(layers_cache_dir().glob("*.layer"))) == len(paths)


def test_a_changed_file_is_read_again(mini_copy: Path) -> None:
    path = mini_copy / "places.geojson"
    before = read_layer(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"population":1000', '"population":2000', 1), encoding="utf-8")
    after = read_layer(path)
    _same(after, _fresh(path))
    assert before["population"].tolist() == [1000] and after["population"].tolist() == [2000]


def test_a_record_not_signed_by_this_cache_is_a_miss(mini: Path) -> None:
    path = mini / "boundary.geojson"
    read_layer(path)
    (record,) = layers_cache_dir().glob("*.layer")
    signature, body = record.read_bytes().split(b"\n", 1)
    planted = body.replace(b'"id": "', b'"id": "planted-', 1)
    assert planted != body
    for raw in (signature + b"\n" + planted, b"0" * 64 + b"\n" + planted, b"garbage", b""):
        record.write_bytes(raw)
        frame = read_layer(path)
        _same(frame, _fresh(path))
        assert not frame["id"].astype(str).str.startswith("planted-").any()


def test_a_bad_file_is_refused_however_often_it_is_read(mini_copy: Path) -> None:
    path = mini_copy / "places.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [1e400]}', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(bordermap.errors.DataError, match="beyond the range"):
            read_layer(path)
    assert list(layers_cache_dir().glob("*.layer")) == []


def test_record_round_trip_keeps_missing_geometry() -> None:
    rows = [{"id": "a", "n": 1.5, "names": {"ru": "б"}}, {"id": "b"}]
    layercache.remember("00" * 32, 10, rows, [shapely.Point(1, 2, 3), None])
    found = layercache.recall("00" * 32)
    assert found is not None
    assert found[0] == rows and found[1][1] is None and found[1][0].equals_exact(shapely.Point(1, 2, 3), 0)
    assert layercache.recall("11" * 32) is None
