import json

from bordermap.cli.main import main


def test_info_counts_layers_and_sections_by_date(runner, mini):
    result = runner.invoke(main, ["info", str(mini), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["layers"]["boundary"] == 3
    assert report["sections"]["total"] == 3
    # On 2021-04-28 all three sections are disputed; by the dataset's as-of date (2026) section
    # two has ended and the claim lines are settled.
    assert report["sections"]["by_status"]["2021-04-28"] == {"disputed": 3}
    assert report["sections"]["by_status"]["2026-01-01"] == {"settled": 2}
    assert report["sources"]["by_kind"] == {"dataset": 1, "media": 1}


def test_info_text_names_the_depictions(runner, mini):
    result = runner.invoke(main, ["info", str(mini)])
    assert result.exit_code == 0, result.output
    assert "alpha" in result.output and "beta" in result.output


def test_missing_path_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["info", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_directory_without_dataset_json_is_a_data_error(runner, tmp_path):
    (tmp_path / "boundary.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    result = runner.invoke(main, ["info", str(tmp_path)])
    assert result.exit_code == 1
    assert "dataset.json" in result.output
    assert "Traceback" not in result.output
