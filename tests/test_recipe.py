"""The recipe file of ``make data``: read, checked with errors naming the file and key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bordermap.derive.recipe import RECIPE_FILE, read_recipe
from bordermap.errors import DataError
from bordermap.palette import country_fill
from bordermap.upstream import DEPICTIONS

ROOT = Path(__file__).resolve().parents[1] / "geodata" / "kg-tj"


def test_bundled_recipe_is_what_dataset_json_says() -> None:
    recipe = read_recipe(ROOT / "curated")
    meta = json.loads((ROOT / "dataset.json").read_text(encoding="utf-8"))
    assert list(recipe.pair) == meta["pair"]
    assert {c: r["name"] for c, r in recipe.countries.items()} == {c: r["name"] for c, r in meta["countries"].items()}
    # Colours are not the recipe's: every dataset takes them from the one palette.
    assert all(r["color"] == country_fill(c) for c, r in meta["countries"].items())
    assert recipe.disclaimer == meta["disclaimer"]
    assert recipe.default_depiction == meta["default_depiction"]
    assert meta["chainage_origin"]["countries"] == [*recipe.pair, recipe.origin]
    # The region-specific depiction notes come from the recipe; the others are the general ones.
    notes = {d["id"]: d["note"] for d in meta["depictions"]}
    assert recipe.depiction_notes and all(notes[k] == v for k, v in recipe.depiction_notes.items())
    assert all("KG–TJ" not in d.note for d in DEPICTIONS.values())
    # Every derived main line of the bundled data carries the recipe's status rule.
    boundary = json.loads((ROOT / "boundary.geojson").read_text(encoding="utf-8"))
    main = [f["properties"] for f in boundary["features"] if f["properties"]["part"] == "main"]
    assert main and all(p["status_history"] == recipe.policy().main for p in main)


def test_derived_status_cites_a_source_that_dates_its_change() -> None:
    # A treaty's signature report (2025-03-13) cannot date its entry into force (2025-03-31): the
    # history of every derived line and enclave cites a source dated on or after the day it changes.
    recipe = read_recipe(ROOT / "curated")
    sources = {s["id"]: s for s in json.loads((ROOT / "sources.json").read_text(encoding="utf-8"))}
    assert recipe.status is not None and recipe.status.dated_by
    for name in ("boundary.geojson", "areas.geojson"):
        features = json.loads((ROOT / name).read_text(encoding="utf-8"))["features"]
        derived = [
            f["properties"] for f in features
            if any(recipe.status.source_id in e["source_ids"] for e in f["properties"].get("status_history") or [])
        ]
        assert derived, name  # the main lines and perimeters; the pair's enclaves, Kayragach's abolition too
        for props in derived:
            for entry in props["status_history"]:
                day = entry["from"] or entry["to"]
                dates = [str(sources[i].get("date") or "") for i in entry["source_ids"]]
                assert any(d >= day for d in dates), (props["id"], entry, dates)


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / RECIPE_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_missing_recipe_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"recipe\.yaml: no recipe"):
        read_recipe(tmp_path)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("pair: [KG]\n", "/pair"),
        ("title: x\n", "/pair: required"),
        ("pair: [KG, TJ]\nplaces_bbox: [1, 2, 3]\n", "/places_bbox"),
        ("pair: [KG, TJ]\ncountries: {KG: red}\n", "/countries/KG"),
        (
            "pair: [KG, TJ]\nstatus: {source_id: s, dates: {a: '2025-01-01'}, changes_on: b, "
            "before: undetermined, after: settled}\n",
            "/status/changes_on",
        ),
        (
            "pair: [KG, TJ]\nstatus: {source_id: s, dates: {a: '2025-01-01'}, changes_on: a, "
            "before: undetermined, after: finished}\n",
            "/status/after",
        ),
        ("pair: [KG, TJ]\nenclaves: [{key: k, administered_by: KG}]\n", "/enclaves/0/names: required"),
        ("pair: [KG, TJ]\nnamed_places: {Batken: x}\n", "/named_places"),
        ("pair: [KG, TJ]\ndepiction_notes: {ne10: [x]}\n", "/depiction_notes"),
    ],
)
def test_bad_recipe_names_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    folder = _write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        read_recipe(folder)
    message = str(caught.value)
    assert message.startswith(str(folder / RECIPE_FILE)) and key in message


def test_origin_null_means_the_western_end(tmp_path: Path) -> None:
    assert read_recipe(_write(tmp_path, "pair: [KG, TJ]\norigin: null\n")).origin is None
    assert read_recipe(_write(tmp_path, "pair: [KG, TJ]\n")).origin == "auto"
