"""The counts stated in docs/dataset-kg-tj.md, and the balance of the post-treaty citations."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bordermap.derive.census import END, START, census, markdown, replace_block
from bordermap.derive.curated import curated_dir, read_inputs
from bordermap.derive.recipe import read_recipe
from bordermap.errors import DataError

KG_TJ_DATES = read_recipe(Path(__file__).resolve().parents[1] / "geodata" / "kg-tj" / "curated").dates
TREATY_IN_FORCE = KG_TJ_DATES["treaty_in_force"]


ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "geodata" / "kg-tj"
DOC = ROOT / "docs" / "dataset-kg-tj.md"


@pytest.fixture(scope="module")
def inputs():
    return read_inputs(curated_dir(ROOT))


@pytest.fixture(scope="module")
def counts():
    return census(DATA)


def test_doc_states_the_counts_the_data_gives(counts):
    text = DOC.read_text(encoding="utf-8")
    block = text[text.index(START) : text.index(END) + len(END)]
    assert block == markdown(counts), "run: python -m bordermap.derive.census --write"


def test_census_agrees_with_the_curated_inputs(inputs, counts):
    # Counted independently from the YAML the build reads.
    assert counts["sources"] == len(inputs["sources"])
    assert counts["sections"] == len(inputs["sections"])
    assert counts["incidents"] == len(inputs["incidents"])
    assert counts["sources_by_party"] == Counter(s["party"] for s in inputs["sources"])
    sides = Counter(c["side"] for i in inputs["incidents"] for c in i.get("casualties", []))
    assert counts["casualty_reports"] == sides


def test_post_treaty_citations_by_party(inputs, counts):
    party = {s["id"]: s["party"] for s in inputs["sources"]}
    cited = [
        party[sid]
        for s in inputs["sections"]
        for e in s["status_history"]
        if e["from"] and e["from"] >= TREATY_IN_FORCE
        for sid in e["source_ids"]
    ]
    assert counts["treaty_citations"] == Counter(cited)
    # Issue 13 counted 1 Tajik citation of 99; the Tajik accounts are now cited.
    assert counts["treaty_citations"]["TJ"] >= 20 and counts["treaty_sources"]["TJ"] >= 3


def test_every_treaty_outcome_cites_a_non_kyrgyz_source(inputs):
    # Balance rule: a settled or abolished entry does not rest on Kyrgyz sources alone.
    party = {s["id"]: s["party"] for s in inputs["sources"]}
    for section in inputs["sections"]:
        for entry in section["status_history"]:
            if entry["status"] in ("settled", "abolished"):
                parties = {party[sid] for sid in entry["source_ids"]}
                assert parties - {"KG"}, section["id"]


def test_swap_hectares_are_attributed_to_their_speaker(inputs):
    # Every post-treaty note that gives hectares names whose figures they are.
    for section in inputs["sections"]:
        for entry in section["status_history"]:
            note = " ".join((entry.get("note") or "").split())
            if entry["status"] == "settled" and " ha" in note:
                assert "Tashiev" in note or "according to" in note.lower(), section["id"]


def test_treaty_length_is_compared_with_the_right_figures():
    figures = json.loads((DATA / "figures.json").read_text(encoding="utf-8"))
    lengths = {
        f["value"]
        for f in figures
        if f["category"] == "border_length" and not f.get("is_error")
        and f.get("date") and f["date"] < "2022" and f["unit"] == "km"
    }
    treaty = next(f["value"] for f in figures if f["id"] == "fig_len_1006_84_2025")
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f"{treaty - max(lengths):.1f} km above the highest ({max(lengths):g} km" in text
    assert f"{treaty - 987.5:.1f} km above the Tajik 987.5 km" in text and 987.5 in lengths
    assert "30–37 km" not in text


def test_replace_block_needs_both_markers():
    with pytest.raises(DataError):
        replace_block("no markers here", f"{START}\n{END}")
    with pytest.raises(DataError):
        replace_block(f"{END}\n{START}", f"{START}\n{END}")
