"""Settings read from the environment, in one place.

bordermap keeps everything it caches under one directory:

``$BORDERMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/bordermap``, else ``~/.cache/bordermap``.

Below it, ``upstream/`` holds the packages ``init`` fetches, ``validated/`` the remembered
validation passes, ``layers/`` the dataset layers already read, ``maps/`` the encoded geometry of
maps already drawn, and the top level the GeoParquet copies of large GeoJSON files. ``make data``
keeps its own download cache in the source checkout (``.cache/upstream``, see
:data:`SOURCE_UPSTREAM_CACHE`) so that a rebuild never depends on the user's cache.

Examples
--------
>>> import os
>>> os.environ["BORDERMAP_CACHE_DIR"] = "/tmp/bm-doctest"
>>> cache_dir().as_posix(), upstream_cache_dir().as_posix()
('/tmp/bm-doctest', '/tmp/bm-doctest/upstream')
>>> del os.environ["BORDERMAP_CACHE_DIR"]
"""

from __future__ import annotations

import os
from pathlib import Path

#: The environment variable that moves every cache.
CACHE_ENV = "BORDERMAP_CACHE_DIR"

#: ``make data``'s download cache in a source checkout (gitignored).
SOURCE_UPSTREAM_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "upstream"


def cache_dir() -> Path:
    """The user's bordermap cache directory (not created here)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bordermap"


def upstream_cache_dir() -> Path:
    """Where ``bordermap init`` keeps the upstream packages it fetches."""
    return cache_dir() / "upstream"


def validated_dir() -> Path:
    """Where remembered validation passes are recorded."""
    return cache_dir() / "validated"


def layers_cache_dir() -> Path:
    """Where dataset layers already read are remembered (:mod:`bordermap.io.layercache`)."""
    return cache_dir() / "layers"


def maps_cache_dir() -> Path:
    """Where the HTML map keeps the encoded geometry of maps it drew (:mod:`bordermap.maps.topocache`)."""
    return cache_dir() / "maps"


#: Arrow's allocator, read by pyarrow once, when it is loaded.
ARROW_POOL_ENV = "ARROW_DEFAULT_MEMORY_POOL"


def prefer_system_allocator() -> None:
    """Have Arrow allocate with the C library's ``malloc`` unless the environment chose a pool.

    Called when :mod:`bordermap` is imported, before anything loads pyarrow (it reads
    ``$ARROW_DEFAULT_MEMORY_POOL`` once, then); a process that loaded pyarrow earlier keeps
    its pool. Why: on the benchmark machine (a Firecracker virtual machine) Arrow's default
    pool, mimalloc, spent seconds in the kernel: writing the world file's cache took 1.3–3.4 s
    in ``write_table`` alone against 0.4 s with ``malloc``, and ``bordermap measure
    world.parquet`` pinned to one CPU 9.2 s against 5.6 s (docs/performance.md).
    ``pyarrow.set_memory_pool`` is not enough: Parquet's writer keeps using the pool chosen
    at load time. Set ``ARROW_DEFAULT_MEMORY_POOL=mimalloc`` (or ``jemalloc``) to choose
    otherwise.
    """
    os.environ.setdefault(ARROW_POOL_ENV, "system")


#: Set to 0 to measure without the compiled ring engine (:mod:`bordermap.native`).
NATIVE_ENV = "BORDERMAP_NATIVE"


def native_enabled() -> bool:
    """Whether the compiled ring engine may be used (``$BORDERMAP_NATIVE`` is not ``0``)."""
    return os.environ.get(NATIVE_ENV, "1").strip() not in {"0", "no", "false", "off"}
