"""The compiled ring engine (bordermap.native): PROJ's polygon algorithm ring by ring, and its WKB walk.

The numbers are checked against GeographicLib in tests/test_geodesic*.py (each test runs with this
engine and without it). Here: that it is the same computation as pyproj's, that malformed WKB is
refused and never read out of bounds, and that the build compiles it or says why not.
"""

import ctypes
import importlib.util
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely import MultiPolygon, Point, Polygon, box

from bordermap import native
from bordermap.native import ring_engine

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("native_only")


@pytest.fixture
def native_only(monkeypatch):
    monkeypatch.setenv("BORDERMAP_NATIVE", "1")
    ring_engine.cache_clear()
    yield
    ring_engine.cache_clear()


def engine():
    found = ring_engine()
    assert found is not None, "the compiled ring engine is not available (make native)"
    return found


def wkb_table(geoms):
    blobs = shapely.to_wkb(geoms, byte_order=1, output_dimension=2, flavor="iso")
    offsets = np.r_[0, np.cumsum([len(b) for b in blobs])].astype(np.int64)
    return np.frombuffer(b"".join(blobs), dtype=np.uint8), offsets


def sample_geoms():
    holed = Polygon(box(60, 30, 64, 34).exterior, [box(61, 31, 62, 32).exterior, box(62.5, 32, 63, 33).exterior])
    across = Polygon([(179, -17), (-179.5, -17), (-179.5, -16), (179, -17)])
    multi = MultiPolygon([holed, box(70, 40, 70.1, 40.1), across])
    return [box(0, 0, 1, 1), multi, Polygon(shapely.Point(71, 40).buffer(0.5).exterior.coords[::-1])]


def test_each_ring_is_pyprojs_polygon_computation_bit_for_bit():
    geoms = sample_geoms()
    buf, offsets = wkb_table(geoms)
    start, count, role, owner = engine().wkb_rings(buf, offsets)
    area, perimeter = engine().measure_rings(buf, start, count, role)
    rings = [r for g in geoms for p in getattr(g, "geoms", [g]) for r in (p.exterior, *p.interiors)]
    assert count.tolist() == [len(r.coords) for r in rings]
    assert owner.tolist() == [0, 1, 1, 1, 1, 1, 2]
    assert role.tolist() == [1, 1, -1, -1, 1, 1, 1]
    wgs84 = Geod(ellps="WGS84")
    for i, ring in enumerate(rings):
        xy = np.asarray(ring.coords)[:-1]  # pyproj is given the ring without its closing vertex
        a, p = wgs84.polygon_area_perimeter(xy[:, 0], xy[:, 1])
        assert (area[i], perimeter[i]) == (role[i] * abs(a), p)


def test_vertex_arrays_give_the_same_numbers_as_wkb():
    geoms = sample_geoms()
    buf, offsets = wkb_table(geoms)
    from_wkb = engine().measure_rings(buf, *engine().wkb_rings(buf, offsets)[:3])
    xy = shapely.get_coordinates(geoms)
    rings = [r for g in geoms for p in getattr(g, "geoms", [g]) for r in (p.exterior, *p.interiors)]
    counts = np.array([len(r.coords) for r in rings], dtype=np.int64)
    role = engine().wkb_rings(buf, offsets)[2]
    from_xy = engine().measure_rings(xy, (np.cumsum(counts) - counts) * 16, counts, role)
    assert np.array_equal(from_wkb[0], from_xy[0]) and np.array_equal(from_wkb[1], from_xy[1])


@pytest.mark.parametrize(
    ("blob", "why"),
    [
        (shapely.to_wkb(box(0, 0, 1, 1), byte_order=0), "big-endian"),
        (shapely.to_wkb(Polygon([(0, 0, 1), (1, 0, 1), (1, 1, 1), (0, 0, 1)]), byte_order=1, flavor="iso"), "3D"),
        (shapely.to_wkb(Point(1, 2), byte_order=1), "a point"),
        (shapely.to_wkb(box(0, 0, 1, 1), byte_order=1)[:-8], "truncated"),
        (shapely.to_wkb(box(0, 0, 1, 1), byte_order=1) + b"\0", "trailing bytes"),
        (b"", "empty"),
    ],
)
def test_what_is_not_2d_little_endian_polygon_wkb_is_refused_by_index(blob, why):
    good = shapely.to_wkb(box(0, 0, 1, 1), byte_order=1)
    buf = np.frombuffer(good + blob, dtype=np.uint8)
    offsets = np.array([0, len(good), len(good) + len(blob)], dtype=np.int64)
    with pytest.raises(ValueError, match="geometry 1 "):
        engine().wkb_rings(buf, offsets)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_damaged_wkb_is_refused_or_read_within_bounds(data):
    buf, offsets = wkb_table(sample_geoms())
    raw = bytearray(buf.tobytes())
    for _ in range(data.draw(st.integers(1, 4))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    damaged = np.frombuffer(bytes(raw[:cut]) + bytes(8), dtype=np.uint8)[:cut]
    ends = np.minimum(offsets, cut)
    try:
        start, count, role, owner = engine().wkb_rings(damaged, ends)
    except ValueError:
        return
    assert ((start >= 0) & (start + 16 * count <= ends[owner + 1])).all()
    assert set(role.tolist()) <= {1, -1}
    engine().measure_rings(damaged, start, count, role)


@pytest.mark.parametrize(("start", "count"), [(16, 4), (-16, 1), (0, -1)])
def test_rings_outside_their_buffer_are_refused(start, count):
    xy = np.zeros((4, 2))
    with pytest.raises(ValueError, match="outside"):
        engine().measure_rings(xy, np.array([start]), np.array([count]), np.array([1], dtype=np.int8))


def test_rings_and_roles_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="do not match"):
        engine().measure_rings(np.zeros((4, 2)), np.array([0]), np.array([4]), np.array([1, 1], dtype=np.int8))


def test_the_libproj_it_calls_is_the_one_beside_pyproj():
    import pyproj

    name = native._libproj()._name
    bundled = Path(pyproj.__file__).resolve().parent.parent / "pyproj.libs"
    assert "libproj" in Path(name).name
    assert name.startswith(str(bundled)) or not bundled.is_dir()


def test_switched_off_it_is_not_used(monkeypatch):
    monkeypatch.setenv("BORDERMAP_NATIVE", "0")
    ring_engine.cache_clear()
    assert ring_engine() is None


def _hook():
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_compiles_a_library_of_this_interface(tmp_path):
    built = _hook().compile_library(tmp_path / "_ringarea.so")
    assert built == tmp_path / "_ringarea.so"
    assert ctypes.CDLL(str(built)).bm_abi() == native.ABI
    assert not list(tmp_path.glob("*.partial"))


def test_without_a_compiler_the_build_says_so_and_stays_pure(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CC", str(tmp_path / "no-such-cc"))
    assert _hook().compile_library(tmp_path / "_ringarea.so") is None
    assert "could not compile" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
