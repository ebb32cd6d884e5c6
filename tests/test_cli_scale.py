"""``bordermap scale`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bordermap.cli.main import main


def test_json_and_targets(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(
        main, ["scale", str(mini), "--format", "json", "--target", "100", "--target", "400"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["depiction"] == "alpha"
    assert [r["ruler_m"] for r in report["rulers"]][0] == 10.0
    # The finest ruler nearly recovers the polyline, never more.
    assert report["polyline_km"] - 0.01 < report["rulers"][0]["length_km"] <= report["polyline_km"]
    beyond = next(t for t in report["targets"] if t["target_km"] == 400)
    assert beyond["ruler_m"] is None and "no ruler on the data reaches it" in beyond["note"]


def test_default_targets_come_from_the_register(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(main, ["scale", str(mini), "--depiction", "beta"])
    assert result.exit_code == 0, result.output
    # The figure as the register quotes it: no decimals it does not have.
    assert "  250 km: no ruler on the data reaches it" in result.output and "250.00 km" not in result.output


def test_plot_png_and_svg(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    png, svg = tmp_path / "s.png", tmp_path / "s.svg"
    assert runner.invoke(main, ["scale", str(mini), "-o", str(png)]).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert runner.invoke(main, ["scale", str(mini), "-o", str(svg)]).exit_code == 0
    assert "<svg" in svg.read_text()
    assert not list(tmp_path.glob(".*part*"))


def test_bad_options(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    assert runner.invoke(main, ["scale", str(mini), "--depiction", "gamma"]).exit_code == 2
    assert runner.invoke(main, ["scale", str(mini), "-o", str(tmp_path / "x.pdf")]).exit_code == 2
