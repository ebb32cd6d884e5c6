"""``bordermap validate`` and the schema-by-example suite (tests/examples/)."""

import json
from pathlib import Path

import pytest

import bordermap
from bordermap.cli.main import main
from bordermap.errors import DataError, ValidationError
from bordermap.validate import WARNINGS, check, errors, validate

EXAMPLES = Path(__file__).parent / "examples"
INVALID = sorted(
    p for p in (EXAMPLES / "invalid").iterdir() if not p.name.endswith(".expected.json")
)
VALID = sorted((EXAMPLES / "valid").iterdir())


def _expected(example: Path) -> dict:
    name = example.name.removesuffix(".geojson")
    return json.loads((example.parent / f"{name}.expected.json").read_text())


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.name)
def test_valid_examples_have_no_error(example):
    assert errors(validate(example)) == []


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.name)
def test_invalid_examples_give_exactly_their_expected_errors(example):
    expected = _expected(example)
    found = errors(validate(example))
    assert {p.code for p in found} == set(expected["codes"]), [str(p) for p in found]
    text = "\n".join(str(p) for p in found)
    for message in expected["messages"]:
        assert message in text
    # Every problem names its file; feature-level problems name the feature.
    assert all(
        p.file
        and Path(p.file).name.startswith(example.name.removesuffix(".geojson").split("/")[0])
        or example.is_dir()
        for p in found
    )


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.name)
def test_read_stage_examples_are_refused_by_load_and_others_load(example):
    if _expected(example)["stage"] == "read":
        with pytest.raises(DataError) as info:
            bordermap.load(example)
        assert str(example) in str(info.value)
        assert info.value.code in _expected(example)["codes"]
    else:
        bordermap.load(example)


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.name)
def test_cli_exit_status_1_and_problem_lines(runner, example):
    result = runner.invoke(main, ["validate", str(example)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for code in _expected(example)["codes"]:
        assert f"[{code}]" in result.output


def test_cli_json_output_lists_records(runner, mini):
    result = runner.invoke(main, ["validate", str(mini), "--format", "json"])
    records = json.loads(result.stdout)
    assert {r["severity"] for r in records} <= {"error", "warning"}
    assert all(
        set(r) == {"severity", "code", "message", "file", "feature", "prop"} for r in records
    )


def test_cli_valid_dataset_exits_0(runner):
    result = runner.invoke(main, ["validate", str(EXAMPLES / "valid" / "dataset")])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_warnings_fail_only_with_strict(runner, tmp_path):
    # A clockwise exterior ring breaks RFC 7946's right-hand rule: a warning only.
    src = json.loads((EXAMPLES / "valid" / "areas-and-line.geojson").read_text())
    ring = src["features"][0]["geometry"]["coordinates"][0]
    src["features"][0]["geometry"]["coordinates"][0] = ring[::-1]
    path = tmp_path / "cw.geojson"
    path.write_text(json.dumps(src))
    assert [p.code for p in validate(path)] == ["ring-orientation"]
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0
    assert runner.invoke(main, ["validate", "--strict", str(path)]).exit_code == 1


def test_missing_path_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_check_raises_one_error_listing_every_problem():
    with pytest.raises(ValidationError) as info:
        check(EXAMPLES / "invalid" / "missing-properties.geojson")
    # Every feature needs kind, sources, geometry_method and precision_m; a boundary line also
    # needs depiction, sides and part.
    missing = {p.prop for p in info.value.problems}
    assert missing == {
        "/kind",
        "/sources",
        "/geometry_method",
        "/precision_m",
        "/depiction",
        "/sides",
        "/part",
    }
    assert "7 problem(s)" in str(info.value)


def test_check_accepts_a_loaded_dataset():
    check(bordermap.load(EXAMPLES / "valid" / "dataset"))


def test_dataset_and_path_give_the_same_problems(tmp_path):
    # A broken copy of the valid dataset: an unknown country and a reversed line.
    import shutil

    root = Path(shutil.copytree(EXAMPLES / "valid" / "dataset", tmp_path / "ds"))
    text = (root / "boundary.geojson").read_text()
    (root / "boundary.geojson").write_text(
        text.replace('"sides":["TJ","KG"]', '"sides":["KG","XX"]')
    )
    from_path = {(p.code, p.feature, p.prop) for p in validate(root)}
    from_dataset = {(p.code, p.feature, p.prop) for p in validate(bordermap.load(root))}
    assert from_path == from_dataset
    assert ("unknown-country", "b-alpha-e1", "/sides/1") in from_path
    assert ("sides-mismatch", "b-alpha-e1", "/sides/0") in from_path


def test_swap_heuristic_abstains_far_from_the_countries(mini):
    # The mini dataset lies near (0°, 0°), outside KG and TJ either way round: never "swapped".
    assert "coordinates-swapped" not in {p.code for p in validate(mini)}


def test_bundled_dataset_problems_are_located():
    problems = validate(bordermap.load())
    assert all(p.file and p.code for p in problems)


def test_schemas_are_package_data_and_valid_json_schemas():
    from jsonschema import Draft202012Validator

    from bordermap.model import LAYERS
    from bordermap.validate.rules import schemas

    found = schemas()
    assert {f"{name}.json" for name in LAYERS} | {
        "dataset.json",
        "sources.json",
        "figures.json",
    } <= set(found)
    for schema in found.values():
        Draft202012Validator.check_schema(schema)


def test_every_problem_code_is_documented():
    import re

    src = Path(__file__).parents[1] / "src" / "bordermap"
    text = "".join(
        p.read_text() for p in [*(src / "validate").glob("*.py"), src / "io" / "geojson.py"]
    )
    codes = set(re.findall(r'Problem\(\s*"([a-z0-9-]+)"', text)) | set(
        re.findall(r'code="([a-z0-9-]+)"', text)
    )
    codes |= set(
        re.findall(r'\(\s*(?:pointer|where|f"[^"]*"|where or [^,]+),\s*"([a-z0-9-]+)"', text)
    )
    codes |= set(re.findall(r'return [^,\n]+, "([a-z0-9-]+)"', text))
    codes |= WARNINGS
    docs = (Path(__file__).parents[1] / "docs" / "errors.md").read_text()
    assert len(codes) > 30
    assert not {c for c in codes if f"`{c}`" not in docs}


def test_topology_rules_fire_on_the_bundled_dataset():
    # Break the bundled data in memory in three ways; each rule must notice.
    dataset = bordermap.load()
    boundary, areas = dataset.layers["boundary"], dataset.layers["areas"]
    main = boundary.index[boundary["part"] == "main"][0]
    boundary.at[main, "sides"] = list(reversed(boundary.at[main, "sides"]))
    enclave = areas.index[areas["kind"] == "enclave"][0]
    areas.at[enclave, "surrounded_by"] = (
        "TJ" if areas.at[enclave, "surrounded_by"] != "TJ" else "KG"
    )
    found = {(p.code, p.feature) for p in errors(validate(dataset))}
    assert ("sides-mismatch", boundary.at[main, "id"]) in found
    assert ("enclave-outside", areas.at[enclave, "id"]) in found
    region = areas.index[areas["kind"] == "country_region"][0]
    areas.loc[region, "geometry"] = areas.loc[region, "geometry"].buffer(0.05)
    assert "polygons-overlap" in {p.code for p in errors(validate(dataset))}
