"""Property tests of bad input (issue #16): arbitrary JSON in any property of a valid dataset.

Whatever value replaces (or is added as) one property of one feature, one dataset.json member or
one registry record, no command prints a traceback, none modifies its input, none leaves a partial
output, and a refusal leaves no output at all. Example counts are kept small (the commands run in
full when the data is valid); the seeds differ from run to run, so the suite keeps exploring.
"""

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermap.cli.main import main

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input import READERS, VALID_DATASET, _argv  # noqa: E402

#: Text that has broken an output before: markup, formulas, mathtext, escapes, controls, surrogates.
NASTY_TEXT = [
    "<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx",
    "$\\foo{x}$", "$5 to $6", "\x1b[2J\x1b]0;t\x07", "\x00\x01", "\ud800", "a\udfffb", "\u202eevil",
    "0001-01-01", "2021-02-30", "#c0392b\n", "KG", "TJ", "", " ", "null", "1e400",
]
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond ±2**53 too: refused on reading
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(NASTY_TEXT)
)
JSON = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
FILES = sorted(p.name for p in VALID_DATASET.iterdir())
#: Keys tried besides those present: the data model's, and the GeoPackage/SQLite clashes.
EXTRA_KEYS = ["id", "kind", "names", "sources", "status", "sides", "depiction", "status_history",
              "positions", "swaps", "countries", "pair", "as_of", "value", "fid", "geom", "NOTE", "layer"]


def _digest(path: Path) -> str:
    return hashlib.sha256(
        b"".join(p.name.encode() + p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file())
    ).hexdigest()


@st.composite
def mutations(draw):
    """(file name, where, key, value): one member of the valid dataset set to arbitrary JSON."""
    name = draw(st.sampled_from(FILES))
    data = json.loads((VALID_DATASET / name).read_text(encoding="utf-8"))
    if isinstance(data, dict) and "features" in data:
        index = draw(st.integers(0, len(data["features"]) - 1))
        target = data["features"][index]["properties"]
    elif isinstance(data, list):
        target = data[draw(st.integers(0, len(data) - 1))]
    else:
        target = data
    key = draw(st.sampled_from(sorted(target)) | st.sampled_from(EXTRA_KEYS) | st.text(max_size=6))
    # Sometimes go deeper: an item of positions, a status_history entry, a name, a country record…
    while isinstance(target.get(key) if isinstance(target, dict) else None, (dict, list)) and draw(
        st.booleans()
    ):
        inner = target[key]
        if isinstance(inner, dict) and inner:
            target, key = inner, draw(st.sampled_from(sorted(inner)))
        elif isinstance(inner, list) and inner:
            index = draw(st.integers(0, len(inner) - 1))
            if not isinstance(inner[index], dict):
                inner[index] = draw(JSON)
                break
            target, key = inner[index], draw(st.sampled_from(sorted(inner[index]) or ["x"]))
        else:
            break
    else:
        target[key] = draw(JSON)
    return name, json.dumps(data, ensure_ascii=True)  # ASCII: lone surrogates become \\udXXX escapes


COMMANDS = [c for c in READERS if c != "import"]
#: Examples per command; raise it for a deeper search (``BORDERMAP_HYPOTHESIS_EXAMPLES=200``).
EXAMPLES = int(os.environ.get("BORDERMAP_HYPOTHESIS_EXAMPLES", "4"))


@pytest.mark.parametrize("command", COMMANDS)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutations())
def test_arbitrary_json_in_any_property_never_crashes_any_command(command, mutation):
    name, text = mutation
    with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(
        os.environ, {"BORDERMAP_CACHE_DIR": str(Path(tmp) / "cache")}
    ):
        data = Path(shutil.copytree(VALID_DATASET, Path(tmp) / "ds"))
        (data / name).write_text(text, encoding="utf-8")
        out = Path(tmp) / "out"
        out.mkdir()
        argv = _argv(command, data, out)
        before = _digest(data)
        result = CliRunner().invoke(main, argv)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{command} on {name}: {result.exception!r}"
        )
        assert result.exit_code in (0, 1, 2), result.output
        assert _digest(data) == before, "the input was modified"
        left = [p for p in out.rglob("*") if ".part" in p.name]
        assert not left, left
        if result.exit_code:
            assert not any(out.iterdir()), "a refused command left output behind"


SINGLE = VALID_DATASET.parent / "areas-and-line.geojson"


@st.composite
def single_file_mutations(draw):
    """The single-file form: a feature's property, or a member of its ``bordermap`` metadata."""
    data = json.loads(SINGLE.read_text(encoding="utf-8"))
    if draw(st.booleans()):
        target = data["bordermap"]
    else:
        target = data["features"][draw(st.integers(0, len(data["features"]) - 1))]["properties"]
    key = draw(st.sampled_from(sorted(target)) | st.sampled_from(EXTRA_KEYS))
    target[key] = draw(JSON)
    return json.dumps(data, ensure_ascii=True)


@pytest.mark.parametrize("command", COMMANDS)
@settings(max_examples=max(2, EXAMPLES // 2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=single_file_mutations())
def test_arbitrary_json_in_a_single_file_never_crashes_any_command(command, text):
    with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(
        os.environ, {"BORDERMAP_CACHE_DIR": str(Path(tmp) / "cache")}
    ):
        data = Path(tmp) / "in.geojson"
        data.write_text(text, encoding="utf-8")
        out = Path(tmp) / "out"
        out.mkdir()
        argv = _argv(command, data, out)
        if command == "diverge":
            argv[1:3] = ["d1", "d1"]
        result = CliRunner().invoke(main, argv)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{command}: {result.exception!r}"
        )
        assert data.read_text(encoding="utf-8") == text, "the input was modified"
        assert not [p for p in out.rglob("*") if ".part" in p.name]
        if result.exit_code:
            assert not any(out.iterdir()), "a refused command left output behind"


#: Found by the search above: `"positions": true` on a boundary feature passed validation (the
#: schema types positions on sections only) and then crashed `map` in its popups. Every list-valued
#: property the popups read, set to a value that is not a list, on every feature of every layer.
NOT_LISTS = [True, 5, "x", {"a": 1}]


@pytest.mark.parametrize("key", ["positions", "swaps", "casualties", "status_history", "sources"])
def test_a_list_property_that_is_not_a_list_never_crashes_the_map(key, tmp_path):
    data = Path(shutil.copytree(VALID_DATASET, tmp_path / "ds"))
    # The layers whose schema does not type these properties (the others refuse them: exit 1).
    for layer in (data / "boundary.geojson", data / "areas.geojson", data / "places.geojson"):
        collection = json.loads(layer.read_text(encoding="utf-8"))
        for number, feature in enumerate(collection.get("features") or []):
            feature["properties"][key] = NOT_LISTS[number % len(NOT_LISTS)]
        layer.write_text(json.dumps(collection), encoding="utf-8")
    result = CliRunner().invoke(main, ["map", str(data), "-o", str(tmp_path / "map.html")])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if key in ("status_history", "sources"):  # typed on every layer: refused, named, nothing written
        assert result.exit_code == 1 and "problem" in result.output, result.output
        assert not (tmp_path / "map.html").exists()
    else:  # untyped on these layers: the data's own, shown or left out, never a crash
        assert result.exit_code == 0, result.output
