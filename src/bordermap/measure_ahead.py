"""Measure geometries while the file they come from is still being read (a reader–engine pipeline).

The fast GeoJSON reader (:mod:`bordermap.io.fastjson`) builds the geometries of a large file in
batches of about 4 MB of coordinate text, and can hand each batch to an observer as soon as it
is built. :func:`measuring_ahead` gives ``bordermap measure`` such an observer: each batch is
measured with the exact engine (:func:`bordermap.geodesic.lengths_areas_m`) in a background
thread while the reader parses, checks and builds the next one, so the two cores share the read
and the geodesics instead of taking turns. :func:`lengths_areas_m` then takes the results
measured ahead instead of measuring again, finishes (in the calling thread) any batch still
waiting, and measures whatever was not seen ahead.

* **Same numbers.** Every number belongs to one geometry, and the engine measures a geometry
  the same way whatever else it is given (its own chunks keep every geometry whole), so measuring
  per batch changes no bit; ``tests/test_measure_ahead.py`` compares the command's output with
  and without the pipeline (and the world file's CSV was the same, byte for byte).
* **Bounded.** Each thread measures one batch at a time (the background threads while the file
  is read; then the calling thread too, taking the batches still waiting, newest first), so the
  measurement's working arrays are those of one batch per thread: a couple of batches in flight.
  A batch waiting its turn holds only references to geometries the frame being read holds
  anyway. The reader never waits for the measurement: it got no faster when it measured a batch
  itself whenever two were waiting (tried: 4.7–4.8 s for the world file's read and measurement
  against 4.5–4.6 s without, best of 3 each, interleaved).
* **By identity.** A result is tied to the geometry object that was measured (its identity, the
  object itself held while the pipeline lasts), and shapely geometries are immutable, so a
  result can never belong to another geometry. A geometry rebuilt in between (reprojected, read
  from the cache) is simply measured again.
* **Dropped on error.** Leaving :func:`measuring_ahead` (normally, or because the reader refused
  the file with a :class:`~bordermap.errors.DataError`) cancels the batches not yet started,
  waits for the one being measured (there is no stopping PROJ mid-call; the world file's largest
  batch, one country of a million vertices, took about a second), and forgets every result:
  nothing is printed and nothing outlives the command.
  Background work draws no progress bar (:func:`bordermap.progress.silenced`).

With one CPU there is nothing to overlap: :func:`measuring_ahead` yields None and the command
measures after the read, as without the pipeline.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

from bordermap import geodesic
from bordermap.progress import silenced

Observer = Callable[[NDArray[np.object_]], None]
_Pair = tuple[NDArray[np.float64], NDArray[np.float64]]
_POINTS = (shapely.GeometryType.POINT, shapely.GeometryType.MULTIPOINT)


class _Batch:
    """Some geometries measured together, once, by whichever thread takes them first."""

    __slots__ = ("_claim", "_done", "areas", "cancelled", "error", "geoms", "lengths")

    def __init__(self, geoms: NDArray[np.object_]) -> None:
        self.geoms: NDArray[np.object_] | None = geoms
        self.lengths: NDArray[np.float64] | None = None
        self.areas: NDArray[np.float64] | None = None
        self.error: Exception | None = None
        self.cancelled = False
        self._claim = threading.Lock()
        self._done = threading.Event()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def run(self) -> None:
        """Measure the batch now, unless another thread has taken it (then return at once)."""
        if not self._claim.acquire(blocking=False):
            return
        geoms, self.geoms = self.geoms, None
        try:
            if geoms is None:
                raise RuntimeError("a batch of geometries measured twice")
            with silenced():
                self.lengths, self.areas = geodesic.lengths_areas_m(geoms, workers=1)
        except Exception as exc:  # noqa: BLE001 - raised again in the thread that asks for it
            self.error = exc
        finally:
            del geoms
            self._done.set()

    def cancel(self) -> None:
        """Drop the batch unless a thread has taken it."""
        if self._claim.acquire(blocking=False):
            self.cancelled, self.geoms = True, None
            self._done.set()

    def result(self) -> _Pair | None:
        """Measure the batch (or wait for the thread measuring it); None if it was cancelled."""
        self.run()
        self._done.wait()
        if self.error is not None:
            raise self.error
        if self.cancelled or self.lengths is None or self.areas is None:
            return None
        return self.lengths, self.areas


#: Geometries handed to the running pipeline: id(geometry) -> (geometry, batch, index in it).
_AHEAD: dict[int, tuple[shapely.Geometry, _Batch, int]] = {}


class _Pipeline:
    """Background threads measuring the batches they are given, in order (started by the first)."""

    def __init__(self, threads: int) -> None:
        self._queue: deque[_Batch] = deque()
        self._ready = threading.Condition()
        self._closed = False
        self._keys: list[int] = []
        self._threads = [
            threading.Thread(target=self._work, name=f"bordermap-measure-ahead-{i}", daemon=True)
            for i in range(threads)
        ]
        self._started = False

    def submit(self, geoms: NDArray[np.object_]) -> None:
        """The observer: remember the geometries, and queue them for the background threads."""
        if self._closed or len(geoms) == 0:
            return
        if np.isin(shapely.get_type_id(geoms), _POINTS).all():
            return  # nothing to measure: a point's length and area are 0
        batch = _Batch(geoms)
        for index, geom in enumerate(geoms.tolist()):
            key = id(geom)
            _AHEAD[key] = (geom, batch, index)
            self._keys.append(key)
        if not self._started:
            self._started = True
            for thread in self._threads:
                thread.start()
        with self._ready:
            self._queue.append(batch)
            self._ready.notify()

    def _work(self) -> None:
        while True:
            with self._ready:
                while not self._queue and not self._closed:
                    self._ready.wait()
                if not self._queue:
                    return
                batch = self._queue.popleft()
            batch.run()

    def close(self) -> None:
        """Cancel the batches not started, wait for those being measured, forget everything."""
        with self._ready:
            self._closed = True
            waiting = list(self._queue)
            self._queue.clear()
            self._ready.notify_all()
        for batch in waiting:
            batch.cancel()
        if self._started:
            for thread in self._threads:
                thread.join()
        for key in self._keys:
            _AHEAD.pop(key, None)
        self._keys.clear()


@contextlib.contextmanager
def measuring_ahead(workers: int | None = None) -> Iterator[Observer | None]:
    """Yield an observer that measures each batch of geometries given to it in the background.

    Pass it to the reader (``on_geometries`` of :func:`bordermap.validate.load_valid`), then
    measure with :func:`lengths_areas_m` inside the ``with`` block. On leaving the block, work
    not started is cancelled and every result is forgotten (module docstring).

    Parameters
    ----------
    workers
        CPUs to use (default: those available): one runs the caller, the others measure in the
        background. With one, the observer is None (nothing to overlap).

    Examples
    --------
    >>> from shapely import box
    >>> geoms = np.array([box(0, 0, 1, 1), box(1, 0, 2, 1)], dtype=object)
    >>> with measuring_ahead(workers=2) as observe:
    ...     observe(geoms)
    ...     lengths, areas = lengths_areas_m(geoms)
    >>> [round(float(a) / 1e6, 3) for a in areas]
    [12308.778, 12308.778]
    """
    threads = (geodesic.default_workers() if workers is None else workers) - 1
    if threads < 1:
        yield None
        return
    pipeline = _Pipeline(threads)
    try:
        yield pipeline.submit
    finally:
        pipeline.close()


def measured_ahead(geoms: Sequence[shapely.Geometry | None] | NDArray[np.object_]) -> int:
    """How many of these geometries were handed to the running pipeline (for tests and logs).

    Examples
    --------
    >>> from shapely import box
    >>> measured_ahead([box(0, 0, 1, 1)])
    0
    """
    found = 0
    for geom in np.asarray(geoms, dtype=object).tolist():
        entry = _AHEAD.get(id(geom))
        found += entry is not None and entry[0] is geom
    return found


def lengths_areas_m(
    geoms: Sequence[shapely.Geometry | None] | NDArray[np.object_], workers: int | None = None
) -> _Pair:
    """:func:`bordermap.geodesic.lengths_areas_m`, taking the results measured ahead.

    Geometries handed to the running pipeline (:func:`measuring_ahead`) get the numbers measured
    for them there (batches still waiting are measured here, batches being measured are waited
    for); the others are measured now. Outside a pipeline this is
    :func:`bordermap.geodesic.lengths_areas_m` itself.

    Examples
    --------
    >>> from shapely import LineString
    >>> lengths, areas = lengths_areas_m([LineString([(0, 0), (1, 0)])])
    >>> round(float(lengths[0]), 2), float(areas[0])
    (111319.49, 0.0)
    """
    arr = np.asarray(geoms, dtype=object)
    if not _AHEAD or len(arr) == 0:
        return geodesic.lengths_areas_m(arr, workers)
    batches: dict[_Batch, tuple[list[int], list[int]]] = {}
    rest: list[int] = []
    for position, geom in enumerate(arr.tolist()):
        entry = _AHEAD.get(id(geom))
        if entry is None or entry[0] is not geom:
            rest.append(position)
            continue
        positions, indexes = batches.setdefault(entry[1], ([], []))
        positions.append(position)
        indexes.append(entry[2])
    lengths, areas = np.zeros(len(arr)), np.zeros(len(arr))
    # Take the batches nobody has started, newest first (the background threads take the oldest),
    # then collect every result.
    for batch in reversed(list(batches)):
        batch.run()
    for batch, (positions, indexes) in batches.items():
        result = batch.result()
        if result is None:  # cancelled: measured below with the rest
            rest.extend(positions)
            continue
        lengths[positions] = result[0][indexes]
        areas[positions] = result[1][indexes]
    if rest:
        rest.sort()
        lengths[rest], areas[rest] = geodesic.lengths_areas_m(arr[rest], workers)
    return lengths, areas
