"""The curated Kyrgyzstan–Tajikistan inputs: references, ids, histories and attribution rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bordermap.derive.attribution import unattributed_statements
from bordermap.derive.curated import (
    DATASET_SOURCE_IDS,
    check_inputs,
    cited_ids,
    curated_dir,
    history_problems,
    read_inputs,
    status_as_of,
)
from bordermap.derive.recipe import read_recipe
from bordermap.model import FIGURE_CATEGORIES

KG_TJ_DATES = read_recipe(Path(__file__).resolve().parents[1] / "geodata" / "kg-tj" / "curated").dates
TREATY_IN_FORCE = KG_TJ_DATES["treaty_in_force"]
TRIPOINT_TREATY_IN_FORCE = KG_TJ_DATES["tripoint_treaty_in_force"]


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def inputs():
    return read_inputs(curated_dir(ROOT))


@pytest.fixture(scope="module")
def source_ids(inputs):
    return {s["id"] for s in inputs["sources"]} | DATASET_SOURCE_IDS


def test_inputs_are_consistent(inputs):
    assert check_inputs(inputs) == []


@pytest.mark.parametrize("layer", ["figures", "sections", "incidents"])
def test_every_record_cites_an_existing_source(inputs, source_ids, layer):
    for record in inputs[layer]:
        assert record["source_ids"], record["id"]
        assert cited_ids(record) <= source_ids, record["id"]


def test_every_source_has_url_publisher_kind(inputs):
    for source in inputs["sources"]:
        assert source["url"] and source["publisher"] and source["title"], source["id"]
        assert source["kind"] in {"government", "media", "reference", "dataset"}, source["id"]
        assert source["party"] in {"KG", "TJ", "intl", "none"}, source["id"]
        assert source["id"].startswith("src_")


def test_ids_never_collide(inputs):
    ids = [
        r["id"] for name in ("sources", "figures", "sections", "incidents") for r in inputs[name]
    ]
    assert len(ids) == len(set(ids))
    assert len({s["url"] for s in inputs["sources"]}) == len(inputs["sources"])


def test_status_histories_are_ordered_and_non_overlapping(inputs):
    for section in inputs["sections"]:
        assert history_problems(section["status_history"]) == [], section["id"]


def test_history_checker_catches_overlap():
    overlapping = [
        {"from": "2020", "to": "2022", "status": "disputed"},
        {"from": "2021", "to": None, "status": "settled"},
    ]
    assert history_problems(overlapping) == ["entry 1: overlaps or precedes entry 0"]


def test_treaty_changes_statuses(inputs):
    by_id = {s["id"]: s for s in inputs["sections"]}
    golovnoy = by_id["sec_golovnoy_water_intake"]["status_history"]
    assert status_as_of(golovnoy, "2022-09-14") == "disputed"
    assert status_as_of(golovnoy, "2025-01-01") == "agreed"
    # Ratified on 19 March, but settled only from the exchange of instruments on 31 March.
    assert status_as_of(golovnoy, "2025-03-19") == "agreed"
    assert status_as_of(golovnoy, "2025-03-31") == "settled"
    assert (
        status_as_of(by_id["sec_kayragach_enclave"]["status_history"], "2026-01-01") == "abolished"
    )


def test_figures_follow_the_data_model(inputs):
    for figure in inputs["figures"]:
        assert figure["category"] in FIGURE_CATEGORIES, figure["id"]
        assert figure["measures"] and figure["statement"] and figure["speaker"], figure["id"]
        assert figure["speaker_party"] in {"KG", "TJ", "intl", "none"}, figure["id"]


def test_known_traps_are_recorded(inputs, source_ids):
    figures = {f["id"]: f for f in inputs["figures"]}
    assert figures["fig_len_1684_error"]["is_error"] is True
    # Two different "2,000 km²": a Tajik land claim and The Economist's area of fighting.
    claim, fighting = figures["fig_area_2000_imomi_2022"], figures["fig_area_2000_economist_2022"]
    assert claim["category"] == "area_claim" and fighting["category"] == "area_other"
    assert claim["measures"] != fighting["measures"]
    # "More than 60 sections": only the pro-Tajik seed article says it, and it is cited as such.
    sixty = [f for f in inputs["figures"] if f["category"] == "section_count" and f["value"] == 60]
    assert [f["source_ids"] for f in sixty] == [["src_seed_sangar_2022"]]


def test_casualty_reports_are_attributed_and_not_averaged(inputs):
    war = next(i for i in inputs["incidents"] if i["id"] == "inc_2022_09_14_war")
    kg_dead = [c["killed"] for c in war["casualties"] if c["side"] == "KG" and "killed" in c]
    assert kg_dead == [24, 36, 59, 63]
    for incident in inputs["incidents"]:
        for report in incident["casualties"]:
            assert report["reported_by"] and report["source_ids"], incident["id"]


def test_settled_only_from_entry_into_force(inputs):
    # One rule: a section becomes settled (or abolished) on the day its treaty entered into force.
    tripoint = "sec_tripoint_kg_tj_uz"
    for section in inputs["sections"]:
        expected = TRIPOINT_TREATY_IN_FORCE if section["id"] == tripoint else TREATY_IN_FORCE
        for entry in section["status_history"]:
            if entry["status"] in ("settled", "abolished"):
                assert entry["from"] == expected, section["id"]
    assert TREATY_IN_FORCE == "2025-03-31" and TRIPOINT_TREATY_IN_FORCE == "2025-11-15"
    tripoint_history = {s["id"]: s for s in inputs["sections"]}[tripoint]["status_history"]
    assert status_as_of(tripoint_history, "2025-06-01") == "agreed"
    assert status_as_of(tripoint_history, "2025-11-15") == "settled"


@pytest.mark.parametrize(
    "sentence",
    [
        # The three sentences of issue 13 that stated one side's claim as fact.
        "A Tajik patrol reportedly 20 m inside Kyrgyz territory near Selkan; mortar fire on Dostuk.",
        "A 40 m strip becomes neutral; the bridge stays under Kyrgyz control.",
        "Tajik troops seized the hill above the village.",
    ],
)
def test_attribution_rule_flags_claims_stated_as_fact(sentence):
    flagged = unattributed_statements([{"id": "x", "summary": sentence}])
    assert len(flagged) == 1 and flagged[0].startswith("x/summary: ")
    # The same sentence with its speaker named passes.
    assert unattributed_statements([{"id": "x", "summary": "According to Y, " + sentence}]) == []
    assert unattributed_statements([{"id": "x", "positions": [{"stated_by": "Y", "position": sentence}]}]) == []


@pytest.mark.parametrize("layer", ["sections", "incidents", "figures", "sources"])
def test_curated_territorial_statements_are_attributed(inputs, layer):
    assert unattributed_statements(inputs[layer]) == []


@pytest.mark.parametrize("layer", ["sections", "incidents"])
def test_names_are_in_known_languages_and_scripts(inputs, layer):
    cyrillic = re.compile(r"[\u0400-\u04ff]")
    for record in inputs[layer]:
        names = record["names"]
        assert names["en"] and set(names) <= {"en", "ru", "ky", "tg", "uz"}, record["id"]
        for lang in ("ru", "ky", "tg"):
            if names.get(lang):
                assert cyrillic.search(names[lang]), (record["id"], lang)
