"""Shared fixtures: a click runner and the hand-made mini dataset."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner (stderr kept apart from stdout)."""
    return CliRunner()


@pytest.fixture(scope="session")
def mini() -> Path:
    """The hand-made mini dataset directory (read-only: copy it before changing anything)."""
    return DATA / "mini"


@pytest.fixture
def mini_copy(tmp_path: Path, mini: Path) -> Path:
    """A writable copy of the mini dataset."""
    return Path(shutil.copytree(mini, tmp_path / "mini"))


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required on CI (.ci/system-deps.sh installs it)")
        pytest.skip(f"{name} not installed")
    return path


@pytest.fixture
def need_tool():
    """``need_tool("ogrinfo")`` → the tool's path; fails on CI when missing, skips elsewhere."""
    return _require_tool


@pytest.fixture
def mini_unlocated(mini_copy: Path) -> Path:
    """The mini dataset plus a section with no geometry (known only to its districts) and a name
    full of Markdown/HTML/XML metacharacters, for the atlas, report and export tests."""
    import json

    path = mini_copy / "sections.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"].append({
        "type": "Feature", "id": "s-3", "geometry": None,
        "properties": {
            "id": "s-3", "kind": "disputed_section", "names": {"en": "Section <three> & | *x*"},
            "status": "disputed", "location_precision": "district",
            "districts": {"KG": "North district", "TJ": "South district"},
            "sources": [{"property": "", "source_id": "src_news"}],
            "positions": [{"party": "TJ", "stated_by": "TJ official", "date": "2021-05-02",
                           "position": "the pasture is <b>ours</b>", "source_ids": ["src_news"]}],
        },
    })
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return mini_copy
