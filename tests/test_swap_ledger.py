"""The swap ledger: one record per exchange, totals that count each exchange once."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

import bordermap
from bordermap.derive.curated import check_inputs, read_inputs
from bordermap.swaps import ledger_problems, section_swaps, stated_totals, totals

CURATED = Path(__file__).resolve().parents[1] / "geodata" / "kg-tj" / "curated"


@pytest.fixture(scope="module")
def ledger() -> list[dict]:
    return yaml.safe_load((CURATED / "swaps.yaml").read_text(encoding="utf-8"))


def test_bundled_ledger_adds_each_exchange_once(ledger):
    # Expected values summed by hand from the hectare figures 24.kg (321306, 321309) and The
    # Central Asia (4236) attribute to Tashiev, plus the 1.4 ha of the 2020 Samarkandek decision.
    to_kg = [18.4, 21.5, 3.1, 42, 30, 55, 2.7, 25, 35, 155, 450, 500, 100]
    to_tj = [1.4, 91, 17.5, 20.1, 8.3, 5, 65, 21, 23.5, 4, 42, 12.5, 15, 7, 12, 150]
    got = totals(ledger)
    assert got.received_ha == pytest.approx({"KG": sum(to_kg), "TJ": sum(to_tj)})
    assert got.received_ha["KG"] == pytest.approx(1437.7)
    assert got.exchanges == len(to_kg) + len(to_tj)


def test_the_naive_sum_over_sections_is_the_double_count_the_ledger_avoids(ledger):
    # The 750 ha Golovnoy package restates three exchanges; the 25 ha of Lakkon farmland is
    # listed under two sections. Adding everything as listed gives the old 2,212.7 ha.
    assert totals(ledger).listed_ha["KG"] == pytest.approx(1437.7 + 750 + 25)
    dataset = bordermap.load()
    per_section = sum(
        s["hectares"]
        for swaps in dataset.layer("sections")["swaps"]
        for s in swaps
        if s["to"] == "KG"
    )
    assert per_section == pytest.approx(2212.7)
    assert totals(dataset.swaps).received_ha["KG"] == pytest.approx(1437.7)


def test_a_package_names_exchanges_that_add_up_to_it(ledger):
    by_id = {r["id"]: r for r in ledger}
    for record in ledger:
        if record["kind"] != "package":
            continue
        parts = [by_id[p] for p in record["parts"]]
        assert all(p["kind"] == "exchange" for p in parts)
        assert {p["receives"] for p in parts} == {record["receives"]}


def test_every_exchange_says_who_gives_receives_and_who_said_so(ledger):
    assert ledger_problems(ledger) == []
    for record in ledger:
        assert record["said_by"] and record["said_by_party"] in ("KG", "TJ", "intl", "none")
        assert record["source_ids"], record["id"]
        if record["kind"] == "exchange":
            assert record["gives"] != record["receives"]
            assert record["hectares"] > 0 and record["place"]


def test_stated_totals_are_shown_not_added(ledger):
    dataset = bordermap.load()
    stated = {(t["value"], t["unit"]) for t in stated_totals(ledger, dataset.figures)}
    assert {(25, "km2"), (50, "percent")} <= stated
    assert totals(ledger).received_ha["KG"] == pytest.approx(1437.7)  # unchanged by them


def test_sections_list_the_exchanges_that_concern_them(ledger):
    lakkon = section_swaps(ledger, "sec_lakkon_kara_bak")
    arka = section_swaps(ledger, "sec_arka_dostuk_market")
    shared = {s["swap_id"] for s in lakkon} & {s["swap_id"] for s in arka}
    assert shared == {"swap_lakkon_farmland"}


def test_curated_checks_catch_a_broken_ledger():
    inputs = read_inputs(CURATED)
    assert check_inputs(inputs) == []
    broken = copy.deepcopy(inputs)
    broken["swaps"].append(dict(broken["swaps"][1], id="swap_x", gives="KG", receives="KG"))
    broken["swaps"].append(
        {"id": "swap_y", "kind": "package", "parts": ["swap_missing"], "receives": "KG",
         "hectares": 1, "said_by": "x", "said_by_party": "KG", "source_ids": ["src_nope"]}
    )
    problems = check_inputs(broken)
    assert "swap_x: gives and receives must be two different parties" in problems
    assert "swap_y: unknown part 'swap_missing'" in problems
    assert "swap_y: unknown source src_nope" in problems


def test_info_shows_the_ledger_beside_the_stated_totals(runner):
    from bordermap.cli.main import main

    result = runner.invoke(main, ["info"])
    assert result.exit_code == 0, result.output
    assert "to KG 1,437.7 ha" in result.output
    assert "to KG 2,212.7 ha" in result.output  # named as what a naive sum would give
    assert "stated: 25 km² to KG" in result.output
    assert "stated: 50 percent" in result.output


def test_the_ledger_says_whose_itemisation_its_totals_are(runner):
    """Counted from the curated YAML, not from the code: each side's number of exchanges, and a
    party of the pair with none is named as such."""
    from collections import Counter

    from bordermap.cli.main import main

    curated = yaml.safe_load((Path(__file__).parents[1] / "geodata" / "kg-tj" / "curated" / "swaps.yaml")
                             .read_text(encoding="utf-8"))
    said = Counter(r.get("said_by_party") for r in curated if r.get("kind", "exchange") == "exchange")
    summed = totals(bordermap.load().swaps)
    assert summed.accounts == dict(said)
    output = runner.invoke(main, ["info"]).output
    total = sum(said.values())
    for party in ("KG", "TJ"):  # each party of the pair, with 0 where it itemised none
        assert f"{party} {said.get(party, 0)}/{total}" in output


def test_check_compares_swap_figures_with_the_ledger():
    from bordermap.check import check_figures

    record = next(r for r in check_figures(bordermap.load()) if r["figure_id"] == "fig_swap_25km2_2025")
    ledger_rows = [m for m in record["measured"]
                   if m["definition"].startswith("swap ledger, each exchange once, to KG (itemised by each side: ")]
    assert [m["value"] for m in ledger_rows] == [pytest.approx(14.377)]
    assert not any("itemised in sections" in m["definition"] for m in record["measured"])
