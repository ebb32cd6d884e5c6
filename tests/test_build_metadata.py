"""Status histories and repair summaries (no downloads)."""

from __future__ import annotations

from pathlib import Path

from bordermap.derive.claims import status_as_of
from bordermap.derive.coverage import Repair
from bordermap.derive.metadata import LISTED_REPAIRS, summarise_repairs
from bordermap.derive.recipe import read_recipe

CURATED = Path(__file__).resolve().parents[1] / "geodata" / "kg-tj" / "curated"


def test_status_history_turns_at_entry_into_force() -> None:
    policy = read_recipe(CURATED).policy()
    history, enclave_history = policy.main, policy.enclave
    assert status_as_of(history, "2024-12-31") == "undetermined"
    # Ratified on 19 March 2025; in force from the exchange of instruments on 31 March.
    assert status_as_of(history, "2025-03-19") == "undetermined"
    assert status_as_of(history, "2025-03-30") == "undetermined"
    assert status_as_of(history, "2025-03-31") == "settled"
    assert status_as_of(enclave_history("kayragach"), "2026-01-01") == "abolished"
    assert status_as_of(enclave_history("vorukh"), "2026-01-01") == "settled"


def test_repair_summary_lists_the_largest_and_sums_the_rest() -> None:
    repairs = [Repair("overlap removed", "KG", "TJ", 70.0, 40.0, float(i)) for i in range(10)]
    lines = summarise_repairs(repairs)
    assert len(lines) == LISTED_REPAIRS + 1
    assert lines[0].endswith("9.0000 km²")
    assert lines[-1] == "4 smaller repair(s), 6.0000 km² in all"
    assert summarise_repairs([]) == []
