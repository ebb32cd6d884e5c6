"""``bordermap check`` from the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from bordermap.cli.main import main


def test_json_fields(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["check", str(mini), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert [r["figure_id"] for r in records] == ["fig-len", "fig-count"]
    first = records[0]
    for key in (
        "figure_id",
        "value",
        "unit",
        "measured",
        "ratio",
        "verdict",
        "explanation",
        "sources",
        "speaker",
        "date",
    ):
        assert key in first
    assert {m["depiction"] for m in first["measured"]} == {"alpha", "beta"}
    assert first["sources"][0]["publisher"] == "Test Wire"


def test_claim_only_and_table(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(
        main, ["check", str(mini), "--claim", "border_length=267.3km", "--as-of", "2020"]
    )
    assert result.exit_code == 0, result.output
    assert "different_definition" in result.output and "fig-len" not in result.output


def test_markdown_escapes_data(runner: CliRunner, mini_copy: Path) -> None:
    figures = json.loads((mini_copy / "figures.json").read_text())
    figures[0]["speaker"] = "*Bold* <img src=x onerror=alert(1)> | pipe"
    (mini_copy / "figures.json").write_text(json.dumps(figures))
    result = runner.invoke(main, ["check", str(mini_copy), "--format", "md", "--figure", "fig-len"])
    assert result.exit_code == 0, result.output
    assert re.search(r"(?<!\\)<img", result.output) is None and "\\<img" in result.output
    assert "\\*Bold\\*" in result.output and "\\| pipe" in result.output


def test_bands_written_as_geojson(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "bands.geojson"
    result = runner.invoke(
        main, ["check", str(mini), "--claim", "area_claim=500km2", "--bands", str(out)]
    )
    assert result.exit_code == 0, result.output
    # A command-line claim has no speaker party, so no side to draw it on: an empty layer.
    assert json.loads(out.read_text())["features"] == []


def test_errors_are_usage_errors(runner: CliRunner, mini: Path) -> None:
    bad = runner.invoke(main, ["check", str(mini), "--claim", "971km"])
    assert bad.exit_code == 2 and "CATEGORY=VALUE" in bad.output and "Traceback" not in bad.output
    missing = runner.invoke(main, ["check", str(mini), "--figure", "nope"])
    assert missing.exit_code == 2 and "no figure 'nope'" in missing.output
