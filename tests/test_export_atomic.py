"""A failed export leaves no partial file, keeps an earlier file at the path, never touches the input."""

import hashlib
import os

import pytest

import bordermap
from bordermap.errors import DataError
from bordermap.export import export


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("suffix", [".gpkg", ".kml", ".csv", ".geojson"])
def test_failed_export_leaves_nothing(mini_copy, tmp_path, monkeypatch, suffix):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / f"x{suffix}"
    target.write_text("earlier file")
    before = _digest(mini_copy)
    dataset = bordermap.load(mini_copy)
    written = []

    def fail_after_writing(src, dst, *args, **kwargs):
        # The fault comes after the writer has opened and filled its file: a writer that wrote
        # to the target directly would already have destroyed the earlier file.
        written.append(os.path.getsize(src))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bordermap.io.atomic.os.replace", fail_after_writing)
    with pytest.raises(DataError, match="No space left") as info:  # a clean error (exit 1), not a traceback
        export(dataset, target)
    assert info.value.code == "cannot-write"
    assert written and written[0] > 0
    assert [p.name for p in out_dir.iterdir()] == ["x" + suffix]
    assert target.read_text() == "earlier file"
    assert _digest(mini_copy) == before


def test_gpkg_failure_after_some_layers(mini, tmp_path, monkeypatch):
    import pyogrio.raw

    real = pyogrio.raw.write
    written = []

    def write(path, *args, layer=None, **kwargs):
        if written:
            raise OSError("simulated failure on the second layer")
        written.append(layer)
        return real(path, *args, layer=layer, **kwargs)

    monkeypatch.setattr(pyogrio.raw, "write", write)
    with pytest.raises(OSError):
        export(bordermap.load(mini), tmp_path / "x.gpkg")
    assert written == ["areas"]
    assert list(tmp_path.iterdir()) == []
