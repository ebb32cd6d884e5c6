"""Fixtures for every test, the doctests in ``src/`` included: nothing touches the user's cache."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def hermetic_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache directory: nothing is read from or written to the user's.

    The doctests load the bundled dataset, which remembers its validation pass and parsed layers
    and the map's geometry in the cache; they get a fresh directory too.
    """
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache / "xdg"))
    return cache
