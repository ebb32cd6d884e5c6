"""How much memory a read may use, and a low priority for background work.

:func:`available_memory` is ``BORDERMAP_MEMORY_MB`` when set, else the memory the kernel says is
available now (``MemAvailable``). :func:`check_memory` refuses a read whose estimated need is
larger; the estimates are made by the readers (:func:`bordermap.io.readers.read_memory_estimate`).
"""

from __future__ import annotations

import os
from pathlib import Path

from bordermap.errors import DataError, UsageError

#: Environment variable overriding the memory a read may use, in MB.
MEMORY_ENV = "BORDERMAP_MEMORY_MB"


def available_memory() -> int:
    """Bytes a read may use: ``BORDERMAP_MEMORY_MB`` if set, else the memory available now."""
    value = os.environ.get(MEMORY_ENV, "").strip()
    if value:
        try:
            limit = float(value)
        except ValueError:
            raise UsageError(f"{MEMORY_ENV}={value!r}: expected a number of megabytes") from None
        if not limit > 0 or limit == float("inf"):
            raise UsageError(f"{MEMORY_ENV}={value!r}: expected a positive number of megabytes")
        return int(limit * 1e6)
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 1 << 62  # unknown: no refusal


def check_memory(path: Path, need: int) -> None:
    """Refuse to read ``path`` when ``need`` bytes are more than :func:`available_memory`.

    Raises
    ------
    DataError
        With code ``too-large``, naming the file, the estimate and how to override it.

    Examples
    --------
    >>> import os
    >>> os.environ[MEMORY_ENV] = "1"
    >>> check_memory(Path("w.geojson"), 2_000_000)
    Traceback (most recent call last):
    ...
    bordermap.errors.DataError: w.geojson: reading it needs about 2 MB of memory and 1 MB are available...
    >>> del os.environ[MEMORY_ENV]
    """
    have = available_memory()
    if need > have:
        raise DataError(
            f"{path}: reading it needs about {need / 1e6:,.0f} MB of memory and "
            f"{have / 1e6:,.0f} MB are available. Convert it to partitioned GeoParquet and "
            f"measure it with --dask (docs/scaling.md), clip it first (ogr2ogr -clipsrc), or set "
            f"{MEMORY_ENV}=<MB> if you know better",
            code="too-large",
        )
