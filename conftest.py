"""Fixtures for every test, the doctests in ``src/`` included: nothing touches the user's cache.

Loading a dataset remembers its parsed layers and validation pass, and drawing a map its encoded
geometry, in the cache directory (``bordermap.settings``). The whole run gets a cache directory of
its own before collection (some test modules load the bundled dataset when imported, and module-
scoped fixtures run before any test's own), and every test a fresh one on top.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_ENV = ("BORDERMAP_CACHE_DIR", "XDG_CACHE_HOME")
_before: dict[str, str | None] = {}
_run_cache: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    """Point the caches at a directory of this run's own, before any test module is imported."""
    cache = Path(tempfile.mkdtemp(prefix="bordermap-test-cache-"))
    _run_cache.append(cache)
    for name, value in zip(_ENV, (cache, cache / "xdg"), strict=True):
        _before[name] = os.environ.get(name)
        os.environ[name] = str(value)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Put the environment back and remove the run's cache."""
    for name, value in _before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    for cache in _run_cache:
        shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture(autouse=True)
def hermetic_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache directory: nothing is read from or written to the user's."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache / "xdg"))
    return cache
