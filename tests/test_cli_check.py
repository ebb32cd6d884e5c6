"""``bordermap check`` from the command line."""

from __future__ import annotations

import csv
import io
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
    # The terminal table speaks words; the codes are in JSON and CSV.
    assert "[another definition]" in result.output and "fig-len" not in result.output
    assert "different_definition" not in result.output


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
        main, ["check", str(mini), "--claim", "area_claim:TJ=500km2", "--bands", str(out)]
    )
    assert result.exit_code == 0, result.output
    features = json.loads(out.read_text())["features"]
    # A claim by TJ is drawn on the side KG holds, with the claimed area.
    assert [f["properties"]["side"] for f in features] == ["KG"]
    assert features[0]["properties"]["area_km2"] == 500.0


def test_bands_without_a_drawable_claim_exit_with_the_reason(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bands.geojson"
    # No claimant: nothing to draw; exit 2 naming the reason, and no file.
    result = runner.invoke(
        main, ["check", str(mini), "--claim", "area_claim=500km2", "--bands", str(out)]
    )
    assert result.exit_code == 2 and "no claimant of the pair" in result.output
    assert "Traceback" not in result.output and not out.exists()
    result = runner.invoke(
        main, ["check", str(mini), "--claim", "border_length=250km", "--bands", str(out)]
    )
    assert result.exit_code == 2 and "none of the figures checked is an area claim" in result.output
    assert not out.exists()


def test_claims_name_their_feature(runner: CliRunner, mini: Path) -> None:
    result = runner.invoke(
        main, ["check", str(mini), "--claim", "enclave_area:e1=1.2km2", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)[0]
    assert {m["definition"] for m in record["measured"]} == {"area of e1, drawn as an enclave"}
    unknown = runner.invoke(main, ["check", str(mini), "--claim", "enclave_area:nowhere=1km2"])
    assert unknown.exit_code == 2 and "no enclave 'nowhere'" in unknown.output
    assert "e1" in unknown.output  # the known keys are listed
    featureless = runner.invoke(main, ["check", str(mini), "--claim", "border_length:x=1km"])
    assert featureless.exit_code == 2 and "takes no feature name" in featureless.output
    outsider = runner.invoke(main, ["check", str(mini), "--claim", "area_claim:UZ=5km2"])
    assert outsider.exit_code == 2 and "not one of the pair" in outsider.output


def test_hectares_and_units_come_from_one_table(runner: CliRunner, mini: Path) -> None:
    records = []
    for claim in ("enclave_area:e1=120ha", "enclave_area:e1=120hectares", "enclave_area:e1=1.2km2"):
        result = runner.invoke(main, ["check", str(mini), "--claim", claim, "--format", "json"])
        assert result.exit_code == 0, result.output
        records.append(json.loads(result.output)[0])
    assert {r["value_in_measured_unit"] for r in records} == {1.2}
    assert len({r["verdict"] for r in records}) == 1
    bad = runner.invoke(main, ["check", str(mini), "--claim", "border_length=3acres"])
    assert bad.exit_code == 2 and "unit 'acres'" in bad.output


def test_csv_cells_are_neutralised(runner: CliRunner, mini_copy: Path) -> None:
    figures = json.loads((mini_copy / "figures.json").read_text())
    figures[0]["speaker"] = '=HYPERLINK("http://x.invalid","y")'
    figures[0]["statement"] = "+1 line\rsecond"
    figures[1]["speaker"] = "@SUM(A1)"
    figures[1]["measures"] = "-2+3"
    (mini_copy / "figures.json").write_text(json.dumps(figures))
    result = runner.invoke(main, ["check", str(mini_copy), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["figure_id"] for r in rows] == ["fig-len", "fig-count"]
    assert rows[0]["speaker"] == "'" + figures[0]["speaker"]
    assert rows[1]["speaker"] == "'@SUM(A1)"
    formula = ("=", "+", "-", "@", "\t", "\r")
    for row in rows:  # no text cell starts like a formula
        assert not any(v.startswith(formula) for v in row.values() if v and not _number(v))
    # The carriage return stays inside its quoted cell.
    assert rows[0]["statement"] == "'+1 line\rsecond"
    assert rows[1]["measures"] == "'-2+3"
    assert rows[0]["verdict"] and rows[0]["explanation"]
    assert float(rows[0]["value"]) == 250.0


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_errors_are_usage_errors(runner: CliRunner, mini: Path) -> None:
    bad = runner.invoke(main, ["check", str(mini), "--claim", "971km"])
    assert bad.exit_code == 2 and "CATEGORY[:FEATURE]=VALUE" in bad.output and "Traceback" not in bad.output
    missing = runner.invoke(main, ["check", str(mini), "--figure", "nope"])
    assert missing.exit_code == 2 and "no figure 'nope'" in missing.output


def test_lang_ru_words_the_tables_and_keeps_codes_in_json(runner: CliRunner, mini: Path) -> None:
    claim = ["--claim", "border_length=267.3km", "--as-of", "2020"]
    table = runner.invoke(main, ["check", str(mini), *claim, "--lang", "ru"])
    assert table.exit_code == 0, table.output
    assert "[другое определение]" in table.output and "another definition" not in table.output
    assert "категория" in table.output.splitlines()[0]  # the column names
    assert "267,3 км" in table.output  # the language's decimal sign and unit

    md = runner.invoke(main, ["check", str(mini), *claim, "--lang", "ru", "--format", "md"])
    assert md.exit_code == 0, md.output
    assert md.output.startswith("## Проверка цифр\n")
    assert "Что решило бы вопрос: сама официальная линия" in md.output
    assert "| изображение | определение |" in md.output and "основная линия" in md.output
    assert "What would settle" not in md.output and "main line" not in md.output

    records = json.loads(runner.invoke(main, ["check", str(mini), *claim, "--lang", "ru", "--format", "json"]).output)
    english = json.loads(runner.invoke(main, ["check", str(mini), *claim, "--format", "json"]).output)
    assert [r["verdict"] for r in records] == [r["verdict"] for r in english] == ["different_definition"]
    assert records[0]["settle"].startswith("сама официальная линия")
    assert english[0]["settle"].startswith("the official line itself")
    assert re.search("[а-я]", records[0]["explanation"]) and not re.search("[а-я]", english[0]["explanation"])
    # every measured definition stays the English machine value in JSON
    assert [m["definition"] for m in records[0]["measured"]] == [m["definition"] for m in english[0]["measured"]]


def test_markdown_gives_no_value_for_an_extrapolated_scale_interval(runner: CliRunner) -> None:
    # The interval's middle is no measurement: the row shows the interval's ends only.
    result = runner.invoke(main, ["check", "--figure", "fig_len_971_zokirov_2014", "--format", "md"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("| osm2022 | main line at rulers")]
    assert rows and all(row.split(" | ")[2] == "" for row in rows), rows
    assert "1,027.07" not in result.output
