"""``bordermap measure FILES… --dask local|ADDRESS``: the measurement on a dask cluster.

A decorator for the ``measure`` command: it adds the further FILES and ``--dask``, runs the
partitioned measurement (:func:`bordermap.partitioned.measure_files`) when ``--dask`` is given,
and otherwise hands over to the command unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bordermap.cli.helpers import emit


def partitioned_opt(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``FILES…`` and ``--dask`` to ``measure`` (place it right under the PATH argument)."""

    @click.argument(
        "more_paths", nargs=-1, metavar="[FILES]...",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
    )
    @click.option(
        "--dask", "scheduler", default=None, metavar="local|ADDRESS",
        help="Measure PATH and FILES (GeoParquet) partition by partition with dask-geopandas: "
        "'local' starts a cluster on this machine, else the dask scheduler's address "
        "(tcp://host:8786). Needs the dask extra; see docs/scaling.md.",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, more_paths: tuple[Path, ...], scheduler: str | None, **kwargs: Any) -> Any:
        if scheduler is None:
            if more_paths:
                raise click.UsageError("several files are measured with --dask local|ADDRESS")
            return command(*args, **kwargs)
        from bordermap.measure import MEASURED_LAYERS
        from bordermap.model import Dataset
        from bordermap.partitioned import measure_files
        from bordermap.spread import measurement_table

        if kwargs["path"] is None:
            raise click.UsageError("--dask needs GeoParquet FILES")
        groups = [g.strip() for g in kwargs["by"].split(",")] if kwargs["by"] else []
        table = measure_files(
            [kwargs["path"], *more_paths], scheduler, kwargs["layers"] or MEASURED_LAYERS,
            kwargs["perspective"], kwargs["as_of"], groups, kwargs["bbox"], kwargs["match"],
        )
        # The same table as one process on a plain file (no depictions to spread over).
        table = measurement_table(Dataset(meta={}), table, groups, kwargs["perspective"], kwargs["as_of"])
        emit(table, kwargs["fmt"])
        return None

    return wrapper
