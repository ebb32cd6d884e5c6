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


#: Set to 0 to measure without the compiled ring engine (:mod:`bordermap.native`).
NATIVE_ENV = "BORDERMAP_NATIVE"


def native_enabled() -> bool:
    """Whether the compiled ring engine may be used (``$BORDERMAP_NATIVE`` is not ``0``)."""
    return os.environ.get(NATIVE_ENV, "1").strip() not in {"0", "no", "false", "off"}
