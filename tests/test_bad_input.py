"""Bad and hostile input across every command (issue #8).

The commands come from the CLI registry, so commands added later are covered automatically.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import click
import pytest

import bordermap
from bordermap.cli.main import COMMANDS, main
from bordermap.errors import DataError, UsageError
from bordermap.io.atomic import atomic_path
from bordermap.io.geojson import MAX_SIZE_ENV, read_json

EXAMPLES = Path(__file__).parent / "examples"


def _read_stage_examples() -> list[Path]:
    out = []
    for sidecar in sorted((EXAMPLES / "invalid").glob("*.expected.json")):
        if json.loads(sidecar.read_text())["stage"] == "read":
            name = sidecar.name.removesuffix(".expected.json")
            out.append(
                next(p for p in sidecar.parent.iterdir() if p.name in (name, f"{name}.geojson"))
            )
    return out


READ_STAGE = _read_stage_examples()


def _command(name: str) -> click.Command:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    return command


#: Values for required arguments that are not the input (e.g. ``diverge A B``: depiction ids).
PLACEHOLDERS = ("alpha", "beta")
#: A valid dataset (mini with its enclave sides corrected), for the output-path tests.
VALID_DATASET = EXAMPLES / "valid" / "dataset"


def _valid_input(name: str) -> Path:
    """The valid dataset, or a valid single file for commands whose input cannot be a directory."""
    inputs = [p for p in _command(name).params if _is_input(p)]
    return (
        VALID_DATASET
        if all(p.type.dir_okay for p in inputs)
        else EXAMPLES / "valid" / "line.geojson"
    )


def _is_input(param: click.Parameter) -> bool:
    return isinstance(param, click.Argument) and isinstance(param.type, click.Path)


def _argv(name: str, data: Path, out_dir: Path) -> list[str]:
    """Arguments that make a command read ``data`` and write into ``out_dir`` when it writes."""
    argv = [name]
    placeholders = iter(PLACEHOLDERS)
    for param in _command(name).params:
        if isinstance(param, click.Argument) and param.nargs != -1:  # variadic ones are optional
            argv.append(str(data) if _is_input(param) else next(placeholders))
    for param in _command(name).params:
        if not isinstance(param, click.Option) or not (param.required or param.name == "output"):
            continue
        if param.name == "output":
            if getattr(param.type, "dir_okay", True) and not getattr(param.type, "file_okay", True):
                argv += [param.opts[0], str(out_dir / "out")]
            else:
                # The help names the formats ("Output PDF file.", "Output file: .png, .svg…").
                formats = r"\b(pdf|png|svg|html|geojson|gpkg|kml|csv|json|md)\b"
                suffix = re.search(formats, param.help or "", re.I)
                argv += [
                    param.opts[0],
                    str(out_dir / f"out.{suffix.group(1).lower() if suffix else 'out'}"),
                ]
        elif isinstance(param.type, click.Choice):
            argv += [param.opts[0], str(param.type.choices[0])]
        else:
            pytest.fail(f"test does not know how to fill {name} {param.opts[0]}; extend _argv")
    return argv


#: Commands that read a dataset or file given as an argument (``init`` builds one from upstream).
READERS = sorted(n for n in COMMANDS if any(_is_input(p) for p in _command(n).params))


def _output_commands() -> list[str]:
    return [n for n in READERS if any(p.name == "output" for p in _command(n).params)]


def _digest(path: Path) -> str:
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


@pytest.mark.parametrize("command", READERS)
@pytest.mark.parametrize("example", READ_STAGE, ids=lambda p: p.name)
def test_every_command_refuses_bad_input_cleanly(runner, tmp_path, command, example):
    before = _digest(example)
    result = runner.invoke(main, _argv(command, example, tmp_path))
    # 1 for the data; 2 where a command asks for options before reading (import's field mapping).
    assert result.exit_code in (1, 2), (result.output, result.exception)
    assert example.name in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert _digest(example) == before
    assert not any(tmp_path.iterdir()), "no output may be left behind"


@pytest.mark.parametrize("command", _output_commands())
def test_output_in_missing_directory_is_a_usage_error(runner, tmp_path, command):
    argv = _argv(command, _valid_input(command), tmp_path / "missing" / "deeper")
    result = runner.invoke(main, argv)
    assert result.exit_code == 2, result.output
    assert "missing" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", _output_commands())
def test_output_under_a_file_is_a_usage_error(runner, tmp_path, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = runner.invoke(main, _argv(command, _valid_input(command), blocker))
    assert result.exit_code == 2, result.output
    assert blocker.read_text() == "x"


@pytest.fixture
def locked(tmp_path):
    """A directory nobody can write into: read-only mode, or for root (CI) the immutable flag."""
    path = tmp_path / "locked"
    path.mkdir()
    as_root = os.geteuid() == 0
    if as_root:
        chattr = shutil.which("chattr")
        if chattr is None or subprocess.run([chattr, "+i", str(path)], check=False).returncode:
            pytest.skip("running as root and the immutable flag (chattr +i) is unavailable")
    else:
        path.chmod(0o500)
    yield path
    if as_root:
        subprocess.run([chattr, "-i", str(path)], check=True)
    else:
        path.chmod(0o700)


@pytest.mark.parametrize("command", _output_commands())
def test_output_in_read_only_directory_is_a_usage_error(runner, locked, command):
    result = runner.invoke(main, _argv(command, _valid_input(command), locked))
    assert result.exit_code == 2, result.output
    assert "not writable" in result.output
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("command", _output_commands())
def test_output_equal_to_input_is_refused(runner, tmp_path, command):
    data = tmp_path / "line.geojson"
    data.write_bytes((EXAMPLES / "valid" / "line.geojson").read_bytes())
    argv = _argv(command, data, tmp_path)
    argv[argv.index("-o") + 1 if "-o" in argv else argv.index("--output") + 1] = str(data)
    before = _digest(data)
    result = runner.invoke(main, argv)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert _digest(data) == before


def test_atomic_write_failing_midway_keeps_the_earlier_file(tmp_path):
    target = tmp_path / "map.geojson"
    target.write_text("earlier")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        with open(tmp, "w") as handle:
            handle.write("partial")
            raise RuntimeError("writer died")
    assert target.read_text() == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["map.geojson"]


def test_export_killed_with_sigkill_keeps_the_earlier_file(tmp_path, slow_writer):
    target = tmp_path / "out.geojson"
    target.write_text("earlier")
    proc = slow_writer(target)
    try:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert target.read_text() == "earlier"


def test_huge_geojson_is_refused_unread_only_when_it_does_not_fit(tmp_path, runner, monkeypatch):
    # No fixed size refusal for a single large file (issue #17): the memory a read needs is
    # estimated and compared with what is available (here set to 100 MB).
    from bordermap.io import readers

    big = tmp_path / "big.geojson"
    with open(big, "wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200_000_000)
    monkeypatch.setenv("BORDERMAP_MEMORY_MB", "100")
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))

    def no_read(path):
        raise AssertionError("the file was read")

    monkeypatch.setattr(readers, "_read_bytes", no_read)
    with pytest.raises(DataError) as info:
        bordermap.load(big)
    assert info.value.code == "too-large" and str(big) in str(info.value)
    assert "BORDERMAP_MEMORY_MB" in str(info.value)
    result = runner.invoke(main, ["validate", str(big)])
    assert result.exit_code == 1 and "needs about" in result.output
    # With the memory it needs, it is read, and refused for what it is: not JSON.
    monkeypatch.undo()
    monkeypatch.setenv("BORDERMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BORDERMAP_MEMORY_MB", "5000")
    with pytest.raises(DataError) as info:
        bordermap.load(big)
    assert info.value.code == "invalid-json" and str(big) in str(info.value)


def test_size_limit_is_configurable(monkeypatch, mini):
    monkeypatch.setenv(MAX_SIZE_ENV, "0.001")  # 1 kB
    with pytest.raises(DataError, match="too-large|more than bordermap reads"):
        bordermap.load(mini)
    monkeypatch.setenv(MAX_SIZE_ENV, "lots")
    with pytest.raises(UsageError, match=MAX_SIZE_ENV):
        bordermap.load(mini)


@pytest.mark.parametrize(
    "text, fragment",
    [
        (
            '{"type": "FeatureCollection", "features": [], "x": Infinity}',
            "Infinity is not a JSON number",
        ),
        (
            '{"type": "FeatureCollection", "features": [], "x": -Infinity}',
            "-Infinity is not a JSON number",
        ),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"type": "FeatureCollection", "features": [1]}', None),
    ],
)
def test_odd_json_gives_a_data_error(tmp_path, text, fragment):
    path = tmp_path / "odd.geojson"
    path.write_text(text)
    with pytest.raises(DataError) as info:
        bordermap.load(path)
    assert str(path) in str(info.value)
    if fragment:
        assert fragment in str(info.value)


def test_hostile_strings_are_data_not_errors(runner):
    path = EXAMPLES / "valid" / "hostile-strings.geojson"
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    names = {f["properties"]["names"]["en"] for f in read_json(path)["features"]}
    assert "<img src=x onerror=alert(1)>" in names
    # Loaded unchanged: escaping is the job of each output format, not of reading.
    loaded = set(bordermap.load(path).layer("boundary")["names"].map(lambda n: n["en"]))
    assert loaded == names
