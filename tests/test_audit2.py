"""What ``measure --spread``, ``diverge``, ``world``, ``info``, ``export``, ``validate`` and the ``--help`` texts say.

Each test holds one finding of the second wording audit: a statement that claims more than the
data knows (a difference smaller than what the lines are accurate to called a divergence, digits a
line drawn to ±50 m does not have, one of two contradictory figures shown as the figure, a map
without its date or sources, a stand-in's position shown as the place itself, a help text that
says an option does what it does not).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import bordermap
from bordermap.cli.main import main


@pytest.fixture(scope="module")
def ds():
    return bordermap.load()


def _precision(ds, depiction: str) -> float:
    return float(ds.depiction(depiction)["precision_m"])


def test_diverge_leaves_out_differences_within_the_lines_precision(ds) -> None:
    """``diverge osm2022 ne10`` listed faces 100–1,000 m wide as divergences: ne10 is drawn to ±1 km."""
    runner = CliRunner()
    result = runner.invoke(main, ["diverge", "osm2022", "ne10", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    floor = max(_precision(ds, "osm2022"), _precision(ds, "ne10"))
    assert records and all(r["max_offset_m"] >= floor for r in records)
    assert {r["precision_m"] for r in records} == {floor}
    # the same faces as the bundled divergence layer, which drops them by the same rule
    layer = ds.layer("divergence")
    built = layer[layer["id"].str.startswith("divergence_osm2022_ne10_")]
    assert sorted(r["id"] for r in records) == sorted(built["id"])
    assert sorted(r["area_km2"] for r in records) == pytest.approx(sorted(built["area_km2"]), rel=1e-5)
    # narrower faces only when asked for, and the summary says what they are
    wide = runner.invoke(main, ["diverge", "osm2022", "ne10", "--min-offset", "100m"])
    assert wide.exit_code == 0
    assert "within what the lines claim to be accurate to" in wide.stderr
    assert "ne10's precision" in runner.invoke(main, ["diverge", "osm2022", "ne10"]).stderr
