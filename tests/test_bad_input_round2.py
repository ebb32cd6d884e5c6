"""Bad input, round two (issue #16): one gate, safe outputs, safe text, atomic imports.

The commands come from the CLI registry (as in tests/test_bad_input.py), so a command added later
is held to the same rules.
"""

import csv
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from bordermap.cli.main import main
from bordermap.io.csvsafe import FORMULA_START

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input import (  # noqa: E402
    EXAMPLES,
    READERS,
    _argv,
    _digest,
    _output_commands,
    _valid_input,
)

ODD = EXAMPLES / "valid" / "odd-but-valid"


def _validate_stage_examples() -> list[Path]:
    out = []
    for sidecar in sorted((EXAMPLES / "invalid").glob("*.expected.json")):
        if json.loads(sidecar.read_text())["stage"] == "validate":
            name = sidecar.name.removesuffix(".expected.json")
            out.append(
                next(p for p in sidecar.parent.iterdir() if p.name in (name, f"{name}.geojson"))
            )
    return out


#: Commands that compute on a dataset: they must refuse what ``validate`` rejects. ``import`` reads
#: plain files, not datasets. ``measure`` reads single files of plain features too, but a single
#: file that says it is a bordermap dataset (a top-level ``bordermap`` member, as every example
#: here has) is held to the data model like a directory.
GATED = [n for n in READERS if n not in ("validate", "import")]


def _clean_failure(result, name: str) -> None:
    assert result.exit_code == 1, (result.output, result.exception)
    assert name in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


# --- 7. one gate -------------------------------------------------------------------------------


#: Invalid data on which commands crashed before the gate; every command is run on these, every
#: validate-stage example on ``info`` (the gate is one function: the rest would repeat it).
CRASHED = ("status-history-strings", "countries-list", "date-feb-30", "zero-length-line",
           "depiction-without-id", "pair-of-three")
GATE_CASES = [
    (command, example)
    for example in _validate_stage_examples()
    for command in GATED
    if command == "info" or example.name.removesuffix(".geojson") in CRASHED
]


@pytest.mark.parametrize(("command", "example"), GATE_CASES, ids=lambda v: getattr(v, "name", v))
def test_every_command_refuses_what_validate_rejects(runner, tmp_path, command, example):
    before = _digest(example)
    result = runner.invoke(main, _argv(command, example, tmp_path))
    _clean_failure(result, example.name)
    codes = json.loads(example.with_name(example.name.removesuffix(".geojson") + ".expected.json")
                       .read_text())["codes"]
    assert any(f"[{code}]" in result.output for code in codes), result.output
    assert _digest(example) == before
    assert not any(tmp_path.iterdir()), "no output may be left behind"


def test_measure_holds_only_model_files_to_the_data_model(runner, tmp_path):
    # The same features with and without the top-level ``bordermap`` member: as a dataset file,
    # measure refuses what validate refuses; as plain features, only the reading rules apply.
    example = EXAMPLES / "invalid" / "zero-length-line.geojson"
    plain = json.loads(example.read_text())
    del plain["bordermap"]
    path = tmp_path / "plain.geojson"
    path.write_text(json.dumps(plain))
    model = runner.invoke(main, ["measure", str(example), "--format", "json"])
    _clean_failure(model, example.name)
    assert "[zero-length]" in model.output, model.output
    result = runner.invoke(main, ["measure", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["length_km"] for r in json.loads(result.output)] == [0.0]
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 1


@pytest.mark.parametrize("simdjson", [True, False], ids=["fast-reader", "exact-reader"])
def test_a_large_dataset_file_is_held_to_the_data_model_too(runner, tmp_path, monkeypatch, simdjson):
    # At every size: a file counted as large (fast reader, cached as GeoParquet) that has the
    # top-level ``bordermap`` member is a dataset, not plain features, and is validated as one.
    from bordermap.io import fastjson, readers

    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(readers, "LARGE_GEOJSON_BYTES", 1)
    if not simdjson:
        monkeypatch.setattr(fastjson, "simdjson_module", lambda: None)
    example = EXAMPLES / "invalid" / "zero-length-line.geojson"
    model = runner.invoke(main, ["measure", str(example), "--format", "json"])
    _clean_failure(model, example.name)
    assert "[zero-length]" in model.output, model.output
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").glob("*.parquet"))
    from bordermap.io.dataset import load

    valid = EXAMPLES / "valid" / "antimeridian-split.geojson"
    loaded = load(valid)
    member = json.loads(valid.read_text())["bordermap"]
    assert loaded.model_file and loaded.meta["pair"] == member["pair"] == ["RU", "US"]


# --- 6. data validate accepts does not crash any command ----------------------------------------


VALID_ODDITIES = [
    ODD,
    EXAMPLES / "valid" / "antimeridian-split.geojson",
    EXAMPLES / "valid" / "polar-cap.geojson",
]


@pytest.mark.parametrize("command", [n for n in READERS if n != "import"])
@pytest.mark.parametrize("example", VALID_ODDITIES, ids=lambda p: p.name)
def test_every_command_handles_what_validate_accepts(runner, tmp_path, command, example):
    argv = _argv(command, example, tmp_path)
    if command == "diverge" and example.is_file():
        argv[1:3] = ["d1", "d1"]
    before = _digest(example)
    result = runner.invoke(main, argv)
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        result.exception
    )
    if result.exit_code:
        # a clean refusal of what the command cannot do with this data (one depiction, no line…)
        assert result.exit_code in (1, 2) and "Error:" in result.output, result.output
    assert _digest(example) == before
    assert not [p for p in tmp_path.rglob("*") if ".part" in p.name]


def test_odd_names_are_drawn_as_written_in_svg(runner, tmp_path):
    out = tmp_path / "map.svg"
    result = runner.invoke(main, ["render", str(ODD), "-o", str(out), "--section", "s-1-kg"])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    ET.fromstring(svg.encode())  # well-formed XML despite the control characters in the title
    text = "".join(ET.fromstring(svg.encode()).itertext())
    assert "$\\foo{x}$ costs $5 to $6" in text  # dollars are dollars, not mathtext
    assert "\x1b" not in svg and "\x07" not in svg


def test_kml_is_well_formed_with_control_characters(runner, tmp_path):
    out = tmp_path / "out.kml"
    result = runner.invoke(main, ["export", str(ODD), "-o", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_bytes())
    names = [e.text for e in root.iter("{http://www.opengis.net/kml/2.2}name")]
    assert "$\\foo{x}$ costs $5 to $6" in names
    assert not any(ch in out.read_text(encoding="utf-8") for ch in "\x1b\x07")  # DEL is legal XML


def test_geopackage_takes_properties_that_clash_with_its_columns(runner, tmp_path, need_tool):
    ogrinfo = need_tool("ogrinfo")
    out = tmp_path / "out.gpkg"
    result = runner.invoke(main, ["export", str(ODD), "-o", str(out), "--layer", "sections"])
    assert result.exit_code == 0, result.output
    info = subprocess.run([ogrinfo, "-so", str(out), "sections"], capture_output=True, text=True,
                          check=True).stdout
    for column in ("note:", "NOTE_2:", "fid_2:", "geom_2:"):
        assert column in info, info


def test_info_shows_escape_sequences_instead_of_running_them(runner):
    result = runner.invoke(main, ["info", str(ODD)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b[2J" in result.output
    result = runner.invoke(main, ["info", str(ODD), "--format", "json"])
    assert json.loads(result.output)["title"].startswith("Odd but valid \x1b[2J")


# --- 2. CSV --------------------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_export_neutralises_formulas_and_keeps_rows_whole(runner, tmp_path):
    out = tmp_path / "out.csv"
    result = runner.invoke(main, ["export", str(ODD), "-o", str(out), "--layer", "sections"])
    assert result.exit_code == 0, result.output
    rows = _rows(out.read_bytes().decode("utf-8"))
    sections = json.loads((ODD / "sections.geojson").read_text())["features"]
    assert len(rows) == 1 + len(sections)  # the CR inside a cell did not split a row
    header = rows[0]
    assert len({len(r) for r in rows}) == 1
    for row in rows[1:]:
        for value in row:
            assert not value.startswith(FORMULA_START), value
    first = dict(zip(header, rows[1], strict=True))
    assert first["formula"] == "'=1+1"
    assert first["ctrl"] == "bell\x07 cr\r tab\t del\x7f"  # kept, and quoted
    assert float(first["length_km"]) > 0  # numbers stay numbers


def test_measure_csv_neutralises_a_formula_id(runner, tmp_path):
    data = Path(shutil.copytree(EXAMPLES / "valid" / "dataset", tmp_path / "ds"))
    path = data / "places.geojson"
    places = json.loads(path.read_text())
    old = places["features"][0]["properties"]["id"]
    new = "=HYPERLINK(\"http://example.org\")"
    path.write_text(path.read_text().replace(f'"{old}"', json.dumps(new)))
    for name in ("sections.geojson", "incidents.geojson"):  # references to the place follow it
        (data / name).write_text((data / name).read_text().replace(f'"{old}"', json.dumps(new)))
    result = runner.invoke(main, ["measure", str(data), "--layer", "boundary", "--format", "csv"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["export", str(data), "-o", str(tmp_path / "p.csv"), "--layer", "places"])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "p.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][rows[0].index("id")] == "'" + new


# --- 1 and 13. outputs ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", _output_commands())
def test_output_onto_a_fifo_is_refused_and_the_fifo_kept(runner, tmp_path, command):
    argv = _argv(command, _valid_input(command), tmp_path)
    out = Path(argv[argv.index("-o") + 1])
    if command == "report":  # the report's files go into the directory -o names
        out.mkdir()
        out = out / "report.md"
    os.mkfifo(out)
    result = runner.invoke(main, argv)
    assert result.exit_code == 2, result.output
    assert "not a regular file" in result.output
    assert stat.S_ISFIFO(out.lstat().st_mode)
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


@pytest.mark.parametrize("command", [c for c in _output_commands() if c not in ("report", "import")])
def test_the_output_is_checked_before_the_data_is_read(runner, tmp_path, command):
    """A bad ``-o`` is the first thing said (exit 2), even when the data is bad too (exit 1)."""
    broken = EXAMPLES / "invalid" / "status-history-strings"
    argv = _argv(command, broken, tmp_path / "missing")
    result = runner.invoke(main, argv)
    assert result.exit_code == 2, result.output
    assert "does not exist" in result.output and "status_history" not in result.output


def test_dev_null_stays_a_device(runner):
    result = runner.invoke(main, ["export", str(EXAMPLES / "valid" / "line.geojson"), "-o", "/dev/null"])
    assert result.exit_code == 2, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_legal_250_byte_output_name_works(runner, tmp_path):
    out = tmp_path / ("é" * 60 + "x" * 126 + ".geojson")  # 120 + 126 + 8 = 254 bytes
    assert len(out.name.encode()) == 254
    result = runner.invoke(main, ["export", str(EXAMPLES / "valid" / "line.geojson"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["type"] == "FeatureCollection"


def test_report_into_a_directory_whose_img_is_a_file(runner, tmp_path):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "img").write_text("mine")
    result = runner.invoke(main, ["report", str(_valid_input("report")), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "img" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["img"] and (out / "img").read_text() == "mine"


def _cli(argv: list[str], limit_bytes: int | None = None) -> list[str]:
    """A command line running the CLI in a child; ``limit_bytes`` caps the size of any file it
    writes (RLIMIT_FSIZE), which makes writes fail with EFBIG as on a full disk."""
    script = textwrap.dedent(f"""
        import resource, signal, sys
        limit = {limit_bytes!r}
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        from bordermap.cli.main import main
        sys.exit(main(sys.argv[1:], prog_name="bordermap"))
    """)
    return [sys.executable, "-c", script, *argv]


def _bordermap(argv: list[str], cache: Path, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "BORDERMAP_CACHE_DIR": str(cache)}
    return subprocess.run(_cli(argv, limit_bytes), capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".kml"])
def test_full_disk_is_a_clean_error_and_leaves_nothing(tmp_path, suffix):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / f"out{suffix}"
    target.write_text("earlier")
    proc = _bordermap(["export", str(EXAMPLES / "valid" / "dataset"), "-o", str(target)],
                      tmp_path / "cache", limit_bytes=200)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "cannot write" in proc.stderr
    assert target.read_text() == "earlier"
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_immutable_target_is_a_clean_error(tmp_path):
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("the immutable flag needs root and chattr")
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "out.csv"
    target.write_text("earlier")
    if subprocess.run(["chattr", "+i", str(target)], check=False).returncode:
        pytest.skip("this file system has no immutable flag")
    try:
        proc = _bordermap(["export", str(EXAMPLES / "valid" / "dataset"), "-o", str(target)],
                          tmp_path / "cache")
    finally:
        subprocess.run(["chattr", "-i", str(target)], check=True)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and str(target) in proc.stderr
    assert target.read_text() == "earlier"
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_sigterm_leaves_no_temporary_file(tmp_path, slow_writer):
    target = tmp_path / "out.geojson"
    target.write_text("earlier")
    proc = slow_writer(target)
    try:
        assert any(".part" in p.name for p in tmp_path.iterdir())
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 128 + signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    assert target.read_text() == "earlier"


# --- 4 and 10. imports -----------------------------------------------------------------------------

_IMPORT = ["--layer", "places", "--source-id", "ds_handmade", "--precision-m", "10",
           "--set", "kind=place", "--lon-field", "lon", "--lat-field", "lat", "--id-field", "id"]


def _csv(path: Path, rows: list[tuple[str, float, float]]) -> Path:
    path.write_text("id,name,lon,lat\n" + "".join(f"{i},{i} village,{x},{y}\n" for i, x, y in rows))
    return path


def test_import_writes_only_what_changes_and_keeps_other_features_as_read(runner, tmp_path):
    data = Path(shutil.copytree(EXAMPLES / "valid" / "dataset", tmp_path / "ds"))
    places = data / "places.geojson"
    collection = json.loads(places.read_text())
    kept = collection["features"][0]
    kept["properties"]["quoted_area"] = 1.2345e-08
    kept["properties"]["note"] = None
    places.write_text(json.dumps(collection))
    meta = data / "dataset.json"  # written by hand, not as bordermap would format it
    meta.write_text(json.dumps(json.loads(meta.read_text()), separators=(",", ":")))
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    result = runner.invoke(main, ["import", str(_csv(tmp_path / "new.csv", [("p-new", 0.5, 0.2)])),
                                  "-o", str(data), *_IMPORT])
    assert result.exit_code == 0, result.output
    after = {p.name: p.read_bytes() for p in data.iterdir()}
    assert sorted(after) == sorted(before)  # no temporary file left, no new file
    changed = sorted(n for n in after if after[n] != before[n])
    assert changed == ["places.geojson"]
    features = json.loads(after["places.geojson"])["features"]
    assert [f["properties"]["id"] for f in features] == [kept["properties"]["id"], "p-new"]
    assert features[0] == kept  # null kept, 1.2345e-08 not rounded
    checked = runner.invoke(main, ["validate", str(data)])
    assert checked.exit_code == 0, checked.output


def test_concurrent_imports_lose_nothing(tmp_path):
    data = Path(shutil.copytree(EXAMPLES / "valid" / "dataset", tmp_path / "ds"))
    inputs = [_csv(tmp_path / f"in{i}.csv", [(f"p-c{i}", 0.1 * i, 0.1)]) for i in range(3)]
    env = {**os.environ, "BORDERMAP_CACHE_DIR": str(tmp_path / "cache")}
    procs = [
        subprocess.Popen(_cli(["import", str(p), "-o", str(data), *_IMPORT]),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for p in inputs
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    ids = {f["properties"]["id"] for f in json.loads((data / "places.geojson").read_text())["features"]}
    assert {f"p-c{i}" for i in range(3)} <= ids


def test_import_that_fails_to_write_leaves_the_dataset_as_it_was(tmp_path):
    data = Path(shutil.copytree(EXAMPLES / "valid" / "dataset", tmp_path / "ds"))
    before = _digest(data)
    source = _csv(tmp_path / "new.csv", [("p-new", 0.5, 0.2)])
    proc = _bordermap(["import", str(source), "-o", str(data), *_IMPORT, "--source-id", "src_brand_new",
                       "--source-title", "A new source", "--source-license", "CC0-1.0",
                       "--source-attribution", "none"], tmp_path / "cache", limit_bytes=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert _digest(data) == before
    assert sorted(p.name for p in data.iterdir()) == sorted(
        p.name for p in (EXAMPLES / "valid" / "dataset").iterdir()
    )


def test_import_of_a_file_inside_the_target_is_refused(runner, tmp_path):
    data = Path(shutil.copytree(EXAMPLES / "valid" / "dataset", tmp_path / "ds"))
    inside = _csv(data / "extra.csv", [("p-x", 0.5, 0.2)])
    before = _digest(data)
    result = runner.invoke(main, ["import", str(inside), "-o", str(data), *_IMPORT])
    assert result.exit_code == 2, result.output
    assert "inside the dataset" in result.output
    assert _digest(data) == before


def test_import_of_a_kml_without_placemark(runner, tmp_path):
    kml = tmp_path / "empty.kml"
    kml.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">'
                   "<Document><name>nothing</name></Document></kml>")
    result = runner.invoke(main, ["import", str(kml), "-o", str(tmp_path / "o.geojson"),
                                  "--sides", "KG", "TJ", "--depiction", "d", "--source-id", "s",
                                  "--source-title", "t", "--precision-m", "10"])
    _clean_failure(result, "empty.kml")
    assert "[no-features]" in result.output or "no layer" in result.output
    assert not (tmp_path / "o.geojson").exists()


def test_kmz_bomb_is_refused_before_it_inflates(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERMAP_MAX_GEOJSON_MB", "1")
    kmz = tmp_path / "bomb.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", b"<kml>" + b" " * 5_000_000 + b"</kml>")
    assert kmz.stat().st_size < 100_000
    result = runner.invoke(main, ["import", str(kmz), "-o", str(tmp_path / "o.geojson"),
                                  "--sides", "KG", "TJ", "--depiction", "d", "--source-id", "s",
                                  "--source-title", "t", "--precision-m", "10"])
    _clean_failure(result, "bomb.kmz")
    assert "inflates to more than 1 MB" in result.output


def test_kmz_whose_header_understates_the_size_is_still_stopped(tmp_path, monkeypatch):
    from bordermap.errors import DataError
    from bordermap.io.importer import ImportSpec, read_input

    monkeypatch.setenv("BORDERMAP_MAX_GEOJSON_MB", "1")
    kmz = tmp_path / "liar.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", b"<kml>" + b" " * 3_000_000 + b"</kml>")
    raw = bytearray(kmz.read_bytes())
    # Patch the uncompressed size in the local header (offset 22) and the central directory.
    true_size = (3_000_000 + 11).to_bytes(4, "little")
    for at in [i for i in range(len(raw) - 3) if raw[i:i + 4] == true_size]:
        raw[at:at + 4] = (100).to_bytes(4, "little")
    kmz.write_bytes(bytes(raw))
    with pytest.raises(DataError) as info:
        read_input(kmz, ImportSpec())
    assert info.value.code in ("too-large", "unreadable")


def test_csv_row_gdal_cannot_read_is_not_dropped_silently(runner, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("id,name,lon,lat\na,a,0.1,0.1\nb," + "b" * 12_000_000 + ",0.2,0.2\nc,c,0.3,0.3\n")
    result = runner.invoke(main, ["import", str(path), "-o", str(tmp_path / "o.geojson"), *_IMPORT,
                                  "--source-title", "t"])
    _clean_failure(result, "big.csv")
    assert "3 data row(s)" in result.output
    assert not (tmp_path / "o.geojson").exists()


def _cp1251_shapefile(folder: Path) -> Path:
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame({"name": ["Сох", "Ворух"]},
                             geometry=[shapely.Point(70.9, 39.9), shapely.Point(70.6, 39.8)], crs=4326)
    path = folder / "villages.shp"
    frame.to_file(path, encoding="cp1251")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    dbf = path.with_suffix(".dbf")
    raw = bytearray(dbf.read_bytes())
    raw[29] = 0  # no code page in the header either: the file does not say its encoding
    dbf.write_bytes(bytes(raw))
    return path


def test_dbf_in_cp1251_without_cpg_is_refused_until_the_encoding_is_said(runner, tmp_path):
    shp = _cp1251_shapefile(tmp_path)
    argv = ["import", str(shp), "-o", str(tmp_path / "o.geojson"), "--layer", "places",
            "--source-id", "s", "--source-title", "t", "--precision-m", "10", "--set", "kind=place"]
    result = runner.invoke(main, argv)
    _clean_failure(result, "villages.shp")
    assert "--encoding" in result.output
    result = runner.invoke(main, [*argv, "--encoding", "cp1251"])
    assert result.exit_code == 0, result.output
    names = {f["properties"]["names"]["en"]
             for f in json.loads((tmp_path / "o.geojson").read_text())["features"]}
    assert names == {"Сох", "Ворух"}


# --- 3 (shared with branch large). the read-stage rules for frames from any reader ----------------


def test_frame_problems_apply_the_read_rules_to_frames_from_gdal(tmp_path):
    import geopandas as gpd
    import numpy as np
    import shapely

    from bordermap.errors import DataError
    from bordermap.io.geojson import frame_problems
    from bordermap.io.readers import _read_gdal, read_frame

    path = tmp_path / "odd.fgb"
    gpd.GeoDataFrame(
        {"id": ["ok", "far"], "value": [1.0, np.inf]},
        geometry=[shapely.Point(70.5, 40.1), shapely.Point(700, 139)], crs="EPSG:4326",
    ).to_file(path)
    with pytest.raises(DataError) as refused:  # read_frame applies them (check_read_rules)
        read_frame(path)
    assert "odd.fgb:far: " in str(refused.value) and refused.value.code == "coordinates-out-of-range"
    assert "[number-out-of-range]" in str(refused.value)
    frame = _read_gdal(path, None, None)
    assert [(label, code) for label, code, _ in frame_problems(frame)] == [
        ("far", "coordinates-out-of-range"), ("far /value", "number-out-of-range")
    ]
    projected = gpd.GeoDataFrame({"id": ["m"]}, geometry=[shapely.Point(512_000, 4_400_000)], crs=32642)
    codes = [code for _, code, _ in frame_problems(projected)]
    assert codes == ["crs-not-wgs84", "coordinates-out-of-range"]
    assert "projected metres" in frame_problems(projected)[1][2]
    assert frame_problems(frame[frame["id"] == "ok"]) == []


def test_report_on_a_dataset_without_geometry_is_refused_before_writing(runner, tmp_path):
    data = Path(shutil.copytree(EXAMPLES / "valid" / "dataset", tmp_path / "ds"))
    for name in ("boundary", "areas", "places", "incidents"):
        (data / f"{name}.geojson").unlink()
    path = data / "sections.geojson"
    sections = json.loads(path.read_text())
    for feature in sections["features"]:
        feature["geometry"] = None
        feature["properties"].update(precision_m=None, location_precision="district")
        feature["properties"].pop("place_ids", None)
    path.write_text(json.dumps(sections))
    assert runner.invoke(main, ["validate", str(data)]).exit_code == 0
    out = tmp_path / "report"
    result = runner.invoke(main, ["report", str(data), "-o", str(out)])
    _clean_failure(result, "no geometry to map")
    assert "--no-maps" in result.output and not out.exists()
    result = runner.invoke(main, ["report", str(data), "-o", str(out), "--no-maps"])
    assert result.exit_code == 0, result.output
    assert "Section one" in (out / "report.md").read_text()


# --- 9. numbers on the command line ---------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["scale", "--target", "inf"],
        ["scale", "--target", "1e400"],
        ["scale", "--target", "nan"],
        ["scale", "--target", "-5"],
        ["scale", "--fit-min", "9" * 400],
        ["diverge", "alpha", "beta", "--min-offset", "9" * 400],
        ["check", "--claim", "border_length=" + "9" * 5000 + "km"],
    ],
    ids=lambda a: " ".join(x[:12] for x in a),
)
def test_non_finite_numbers_on_the_command_line_are_usage_errors(runner, argv):
    result = runner.invoke(main, [*argv, str(EXAMPLES / "valid" / "dataset")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
