"""``bordermap diverge`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import bordermap
from bordermap.cli.main import main


def test_table_and_json(runner: CliRunner, mini: Path) -> None:
    table = runner.invoke(main, ["diverge", "alpha", "beta", str(mini)])
    assert table.exit_code == 0, table.output
    assert "divergence_alpha_beta_000" in table.output
    result = runner.invoke(main, ["diverge", "alpha", "beta", str(mini), "--format", "json"])
    records = json.loads(result.output)
    assert records[0]["assigned_by"] == {"alpha": "TJ", "beta": "KG"}


def test_min_offset_units(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(
        main, ["diverge", "alpha", "beta", str(mini), "--min-offset", "20km", "--format", "json"]
    )
    assert result.exit_code == 0 and json.loads(result.output) == []
    bad = runner.invoke(main, ["diverge", "alpha", "beta", str(mini), "--min-offset", "far"])
    assert bad.exit_code == 2


def test_geojson_output_reads_back_as_a_layer(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "divergence.geojson"
    result = runner.invoke(main, ["diverge", "alpha", "beta", str(mini), "-o", str(out)])
    assert result.exit_code == 0, result.output
    layer = bordermap.load(out).layers["boundary"]  # a bare GeoJSON file: one layer
    assert layer.iloc[0]["kind"] == "divergence" and layer.iloc[0]["area_km2"] > 1000


def test_unknown_depiction(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["diverge", "alpha", "gamma", str(mini)])
    assert result.exit_code == 2 and "unknown depiction 'gamma'" in result.output
