"""Measure partitioned GeoParquet with dask-geopandas, on this machine or on a dask cluster.

Every number ``bordermap measure`` reports belongs to one feature (docs/scaling.md), so the
per-feature job — :func:`bordermap.measure.measure` on the features of one partition — can run
anywhere. Each GeoParquet file is read lazily by ``dask_geopandas.read_parquet`` (one partition
or more per file), each partition is measured by a dask task, and the tables come back in
file and row order, so the result is identical to measuring the files one after the other in one
process (``tests/test_partitioned.py``). dask, dask-geopandas and distributed are the ``dask``
extra, imported only here.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from bordermap.errors import DataError, UsageError
from bordermap.io.dataset import from_frame
from bordermap.io.readers import (
    PARQUET_SUFFIXES,
    BBox,
    Match,
    check_read_rules,
    filter_frame,
    normalize_frame,
)
from bordermap.measure import MEASURED_LAYERS, RECORD_FIELDS, measure
from bordermap.perspective import NEUTRAL

log = logging.getLogger(__name__)

#: The value of ``--dask`` that starts a cluster on this machine.
LOCAL = "local"


def _dask_geopandas() -> Any:
    try:
        import dask_geopandas
    except ImportError as exc:
        raise UsageError(
            "--dask needs dask-geopandas and distributed: pip install 'bordermap[dask]'"
        ) from exc
    return dask_geopandas


def measure_part(
    part: gpd.GeoDataFrame,
    path: str,
    layers: Sequence[str],
    perspective: str,
    as_of: dt.date | str | None,
    carry: Sequence[str],
    bbox: BBox | None,
    match: Match | None,
) -> pd.DataFrame:
    """The per-feature job: measure one partition exactly as a single-process run measures a file.

    The partition is held to the read rules a single process applies to the whole file
    (:func:`bordermap.io.readers.check_read_rules`) before anything is measured.
    """
    frame = check_read_rules(normalize_frame(part.reset_index(drop=True)), path)
    frame = filter_frame(frame, bbox, match)
    return measure(from_frame(frame, {}, Path(path)), layers, perspective, as_of, carry=carry)


def measure_files(
    paths: Iterable[Path],
    scheduler: str,
    layers: Sequence[str] = MEASURED_LAYERS,
    perspective: str = NEUTRAL,
    as_of: dt.date | str | None = None,
    carry: Sequence[str] = (),
    bbox: BBox | None = None,
    match: Match | None = None,
) -> pd.DataFrame:
    """Measure the features of some GeoParquet files with dask, partition by partition.

    Parameters
    ----------
    paths
        GeoParquet files (each one or more partitions).
    scheduler
        ``local`` (a ``distributed.LocalCluster`` of one single-threaded worker process per CPU)
        or the address of a running dask scheduler (``tcp://host:8786``).
    layers, perspective, as_of, carry
        As for :func:`bordermap.measure.measure`.
    bbox, match
        Keep only the features that meet the box and whose field matches (as ``--bbox``,
        ``--filter``).

    Returns
    -------
    DataFrame
        The records :func:`bordermap.measure.measure` gives, files and rows in order.
    """
    dask_geopandas = _dask_geopandas()
    import dask

    paths = [Path(p) for p in paths]
    for path in paths:
        if path.suffix.lower() not in PARQUET_SUFFIXES:
            raise UsageError(f"{path}: --dask reads GeoParquet files (convert with ogr2ogr or geopandas)")
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
    jobs = []
    for path in paths:
        try:
            parts = dask_geopandas.read_parquet(str(path))
        except Exception as exc:  # pyarrow raises many types for damaged or foreign files
            raise DataError(f"{path}: cannot be read as GeoParquet ({exc})") from exc
        job = dask.delayed(measure_part)
        jobs += [
            job(part, str(path), list(layers), perspective, as_of, list(carry), bbox, match)
            for part in parts.to_delayed()
        ]
    with _client(scheduler):
        tables = list(dask.compute(*jobs))
    tables = [t for t in tables if len(t)]
    if not tables:
        return pd.DataFrame(columns=[*RECORD_FIELDS, "perspective", "as_of"])
    table = pd.concat(tables, ignore_index=True)
    # One process measures layer by layer: put the rows in that order (the sort is stable).
    order = {name: k for k, name in enumerate(layers)}
    return table.sort_values("layer", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


class _client:
    """Connect to the scheduler (or start the local cluster) for the duration of a ``with``."""

    def __init__(self, scheduler: str) -> None:
        self.scheduler = scheduler
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> _client:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise UsageError(
                "--dask needs dask-geopandas and distributed: pip install 'bordermap[dask]'"
            ) from exc
        try:
            if self.scheduler == LOCAL:
                from bordermap.geodesic import default_workers

                self.cluster = LocalCluster(
                    n_workers=default_workers(), threads_per_worker=1, dashboard_address=None
                )
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"--dask {self.scheduler}: cannot reach the scheduler ({exc})") from exc
        log.info("dask: %s", self.client)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
