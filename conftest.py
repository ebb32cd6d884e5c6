"""Fixtures for every test, the doctests in ``src/`` included: nothing touches the user's cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def hermetic_session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache directory of the session's own, for fixtures wider than one test.

    Module- and session-scoped fixtures (a dataset loaded once, a map written once for many
    browser tests) run before any test's own fixtures; loading remembers parsed layers and drawing
    remembers the map's geometry, so they need a cache that is not the user's either.
    """
    cache = tmp_path_factory.mktemp("session-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BORDERMAP_CACHE_DIR", str(cache))
        patch.setenv("XDG_CACHE_HOME", str(cache / "xdg"))
        yield cache


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
