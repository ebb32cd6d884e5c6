"""An upper bound for `bordermap measure FILE.parquet` on all cores (issue #17, target 2b).

Not part of `make bench`. It does the command's work in the best order this machine allows,
without the command's bookkeeping: a thread starts reading the GeoParquet file the moment
pyarrow is imported, finds the rings in the WKB with the compiled ring loop and starts measuring
them (blocks of 65,536 vertices, PROJ's polygon functions, no GIL) while the main thread imports
the command's modules (click, geopandas, bordermap) and decodes the WKB into shapely geometries;
then both threads measure the blocks left. Nothing waits that need not.

Run it twice, once pinned to one CPU, and compare the wall times::

    python benchmarks/experiments/ideal_schedule.py benchmarks/data/countries-land-10m.parquet
    taskset -c 0 python benchmarks/experiments/ideal_schedule.py benchmarks/data/countries-land-10m.parquet

It prints when each phase ended (seconds from the start of the script).
"""

from __future__ import annotations

import os
import sys
import threading
import time

T0 = time.perf_counter()
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")  # as `import bordermap` chooses

import numpy as np  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

BLOCK_VERTICES = 65_536
state: dict[str, object] = {}
ready = threading.Event()
lock = threading.Lock()


def measure_blocks() -> None:
    """Measure blocks of rings until none is left (either thread)."""
    engine, buf, start, count, role, blocks, results = state["work"]  # type: ignore[misc]
    while True:
        with lock:
            if not blocks:
                return
            a, b = blocks.pop()
        results[(a, b)] = engine.measure_rings(buf, start[a:b], count[a:b], role[a:b])


def read_and_measure(path: str) -> None:
    table = pq.read_table(path)
    column = table.column("geometry").combine_chunks()
    offsets = np.frombuffer(column.buffers()[1], np.int32)[: len(column) + 1].astype(np.int64)
    buf = np.frombuffer(column.buffers()[2], np.uint8)
    from bordermap.native import ring_engine

    engine = ring_engine()
    if engine is None:
        sys.exit("needs the compiled ring loop")
    start, count, role, _owner = engine.wkb_rings(buf, offsets)
    ends = np.cumsum(count)
    edges = [*np.searchsorted(ends, np.arange(0, ends[-1], BLOCK_VERTICES)).tolist(), len(start)]
    blocks = [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a][::-1]
    state["table"], state["work"] = table, (engine, buf, start, count, role, blocks, {})
    state["ready"] = time.perf_counter() - T0
    ready.set()
    measure_blocks()


def main(path: str) -> None:
    worker = threading.Thread(target=read_and_measure, args=(path,))
    worker.start()
    import geopandas  # noqa: F401
    import shapely

    import bordermap.cli.main  # noqa: F401
    import bordermap.cli.measure  # noqa: F401

    imported = time.perf_counter() - T0
    ready.wait()
    geoms = shapely.from_wkb(state["table"].column("geometry").to_numpy())  # type: ignore[attr-defined]
    decoded = time.perf_counter() - T0
    measure_blocks()
    worker.join()
    results = state["work"][-1]  # type: ignore[index]
    areas = np.concatenate([results[key][0] for key in sorted(results)])
    print(
        f"imports {imported:.2f} s, read and rings found {state['ready']:.2f} s, "
        f"decoded {decoded:.2f} s, measured {time.perf_counter() - T0:.2f} s "
        f"({len(geoms)} geometries, {len(areas)} rings)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main(sys.argv[1])
