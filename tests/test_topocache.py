"""The map's encoded geometry is remembered, and only a record this cache signed is ever used."""

from __future__ import annotations

from pathlib import Path

import bordermap
from bordermap.maps import topocache
from bordermap.maps.encode import encode
from bordermap.settings import maps_cache_dir


def _geoms(mini: Path) -> list:
    dataset = bordermap.load(mini)
    return [g for name in ("boundary", "areas") for g in dataset.layer(name).geometry.values]


def test_a_remembered_encoding_is_the_encoding(mini: Path) -> None:
    geoms = _geoms(mini)
    fresh = encode(geoms).to_json()
    assert topocache.topology_json(geoms) == fresh  # encoded, then written
    (record,) = maps_cache_dir().glob("*.topojson")
    assert record.read_text(encoding="utf-8").split("\n", 1)[1] == fresh
    assert topocache.topology_json(geoms) == fresh  # read back


def test_a_record_not_signed_by_this_cache_is_a_miss(mini: Path) -> None:
    geoms = _geoms(mini)
    fresh = encode(geoms).to_json()
    topocache.topology_json(geoms)
    (record,) = maps_cache_dir().glob("*.topojson")
    signature, body = record.read_text(encoding="utf-8").split("\n", 1)
    planted = body.replace('"geoms":[', '"geoms":[null,', 1)
    for text in (f"{signature}\n{planted}", f"{'0' * 64}\n{planted}", "garbage", ""):
        record.write_text(text, encoding="utf-8")
        assert topocache.topology_json(geoms) == fresh
        assert record.read_text(encoding="utf-8") == f"{signature}\n{fresh}"  # written again


def test_changed_geometry_is_encoded_again(mini: Path) -> None:
    geoms = _geoms(mini)
    topocache.topology_json(geoms)
    moved = [geoms[0].buffer(0.001) if i == 0 else g for i, g in enumerate(geoms)]
    assert topocache.topology_json(moved) == encode(moved).to_json() != encode(geoms).to_json()
    assert len(list(maps_cache_dir().glob("*.topojson"))) == 2


def test_an_unwritable_cache_only_costs_time(mini: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(blocker))
    geoms = _geoms(mini)
    assert topocache.topology_json(geoms) == encode(geoms).to_json()
