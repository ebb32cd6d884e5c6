"""The swap ledger: one record per land exchange, and the totals it adds up to.

A ledger (``swaps.json`` of a dataset, built from ``curated/swaps.yaml``) holds three kinds of
record:

``exchange``
    One transfer of land: ``gives`` → ``receives``, ``hectares``, ``place``, who said so
    (``said_by``, ``said_by_party``), ``source_ids``, and the ``section_ids`` it belongs to.
``package``
    A total an official stated for several exchanges that the ledger lists on their own
    (``parts``). It is kept as said, and never added again.
``stated_total``
    An official's figure for the exchange as a whole (``figure_ids`` into the figures register,
    e.g. "about 25 km²" or "50/50"); shown beside the computed totals, never added to them.

Totals are computed from ``exchange`` records only, so an exchange listed under two sections or
repeated inside a package is counted once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bordermap.i18n import Messages, messages

#: Kinds of ledger record; only ``exchange`` records are added up.
SWAP_KINDS: tuple[str, ...] = ("exchange", "package", "stated_total")

#: Hectares per square kilometre.
HA_PER_KM2 = 100.0


@dataclass(frozen=True)
class LedgerTotals:
    """What a ledger adds up to.

    Attributes
    ----------
    received_ha
        Hectares received per party, from ``exchange`` records only.
    exchanges
        How many exchange records were added.
    listed_ha
        Hectares per receiving party if every exchange were counted once per section it is
        listed under and every package added on top: the figure a naive sum over sections gives.
    accounts
        How many of the exchanges each party's side gave (``said_by_party``; ``"unattributed"``
        where none is recorded): whose itemisation the totals are.
    """

    received_ha: dict[str, float]
    exchanges: int
    listed_ha: dict[str, float]
    accounts: dict[str, int]

    def accounts_counts(self, parties: Iterable[str] = ()) -> str:
        """How many exchanges each side itemised, every party of ``parties`` named (0 if none).

        Examples
        --------
        >>> LedgerTotals({"KG": 5.0}, 2, {"KG": 5.0}, {"KG": 2}).accounts_counts(["KG", "TJ"])
        'KG 2/2, TJ 0/2'
        """
        counts = dict(self.accounts)
        for party in parties:
            counts.setdefault(party, 0)
        return ", ".join(f"{p} {n}/{self.exchanges}" for p, n in counts.items())

    def accounts_text(self, parties: Iterable[str] = (), tr: Messages | None = None) -> str:
        """Whose accounts the exchanges come from, as a phrase in the language of ``tr``.

        Examples
        --------
        >>> LedgerTotals({"KG": 5.0}, 2, {"KG": 5.0}, {"KG": 2}).accounts_text(["KG", "TJ"])
        'exchanges itemised by each side: KG 2/2, TJ 0/2'
        """
        tr = tr or messages("en")
        return tr("exchanges itemised by each side: {counts}", counts=self.accounts_counts(parties))

    def net_ha(self, party: str) -> float:
        """Hectares ``party`` receives minus hectares it gives (exchanges between two parties)."""
        given = sum(v for p, v in self.received_ha.items() if p != party)
        return self.received_ha.get(party, 0.0) - given


def exchanges(ledger: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The ``exchange`` records of a ledger, in ledger order."""
    return [r for r in ledger if r.get("kind", "exchange") == "exchange"]


def totals(ledger: Iterable[Mapping[str, Any]]) -> LedgerTotals:
    """Add up a ledger: hectares received per party, each exchange once.

    Examples
    --------
    >>> ledger = [
    ...     {"id": "a", "kind": "exchange", "gives": "TJ", "receives": "KG", "hectares": 500,
    ...      "section_ids": ["s1"]},
    ...     {"id": "b", "kind": "exchange", "gives": "TJ", "receives": "KG", "hectares": 25,
    ...      "section_ids": ["s2", "s3"]},
    ...     {"id": "c", "kind": "exchange", "gives": "KG", "receives": "TJ", "hectares": 65},
    ...     {"id": "p", "kind": "package", "receives": "KG", "hectares": 500, "parts": ["a"]},
    ... ]
    >>> t = totals(ledger)
    >>> t.received_ha, t.listed_ha["KG"], t.net_ha("KG"), t.accounts
    ({'KG': 525.0, 'TJ': 65.0}, 1050.0, 460.0, {'unattributed': 3})
    """
    records = list(ledger)
    received: dict[str, float] = {}
    listed: dict[str, float] = {}
    accounts: dict[str, int] = {}
    count = 0
    for record in records:
        party, hectares = record.get("receives"), record.get("hectares")
        if not isinstance(party, str) or not isinstance(hectares, (int, float)):
            continue
        kind = record.get("kind", "exchange")
        if kind == "exchange":
            count += 1
            said = str(record.get("said_by_party") or "unattributed")
            accounts[said] = accounts.get(said, 0) + 1
            received[party] = round(received.get(party, 0.0) + float(hectares), 6)
            times = max(1, len(record.get("section_ids") or []))
        elif kind == "package":
            times = 1
        else:
            continue
        listed[party] = round(listed.get(party, 0.0) + float(hectares) * times, 6)
    return LedgerTotals(
        dict(sorted(received.items())), count, dict(sorted(listed.items())), dict(sorted(accounts.items()))
    )


def stated_totals(
    ledger: Iterable[Mapping[str, Any]], figures: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The officials' totals the ledger records, each with its value and unit.

    A ``stated_total`` record gives its value either through ``figure_ids`` (figures register)
    or directly as ``hectares`` received by ``receives``.

    Examples
    --------
    >>> ledger = [{"id": "t", "kind": "stated_total", "said_by": "AFP", "said_by_party": "KG",
    ...            "figure_ids": ["f"]},
    ...           {"id": "u", "kind": "stated_total", "said_by": "X", "said_by_party": "KG",
    ...            "receives": "KG", "hectares": 400}]
    >>> [(t["id"], t["value"], t["unit"], t["receives"]) for t in
    ...  stated_totals(ledger, [{"id": "f", "value": 25, "unit": "km2", "date": "2025-03-13"}])]
    [('t', 25, 'km2', None), ('u', 400, 'ha', 'KG')]
    """
    by_id = {f.get("id"): f for f in figures}
    out = []
    for record in ledger:
        if record.get("kind") != "stated_total":
            continue
        values = [
            (by_id[f].get("value"), by_id[f].get("unit"), by_id[f].get("date"))
            for f in record.get("figure_ids") or []
            if f in by_id
        ]
        if not values and isinstance(record.get("hectares"), (int, float)):
            values = [(record["hectares"], "ha", None)]
        for value, unit, date in values:
            out.append(
                {
                    "id": record.get("id"),
                    "value": value,
                    "unit": unit,
                    "receives": record.get("receives"),
                    "said_by": record.get("said_by"),
                    "said_by_party": record.get("said_by_party"),
                    "date": record.get("date") or date,
                    "note": record.get("note"),
                }
            )
    return out


def ledger_problems(
    ledger: Iterable[Mapping[str, Any]], section_ids: Iterable[str] = ()
) -> list[str]:
    """Problems of a ledger: unknown kind, missing parties or hectares, unknown parts or sections.

    Examples
    --------
    >>> ledger_problems([{"id": "p", "kind": "package", "parts": ["x"]},
    ...                  {"id": "e", "kind": "exchange", "gives": "KG", "receives": "KG"}])
    ["p: unknown part 'x'", 'e: gives and receives must be two different parties', 'e: no hectares']
    """
    records = list(ledger)
    ids = {r.get("id") for r in records}
    sections = set(section_ids)
    problems = []
    for record in records:
        rid = record.get("id")
        kind = record.get("kind", "exchange")
        if kind not in SWAP_KINDS:
            problems.append(f"{rid}: unknown kind {kind!r}")
            continue
        problems += [f"{rid}: unknown part {p!r}" for p in record.get("parts") or [] if p not in ids]
        if sections:
            problems += [
                f"{rid}: unknown section {s!r}" for s in record.get("section_ids") or [] if s not in sections
            ]
        if kind == "exchange":
            if not record.get("gives") or record.get("gives") == record.get("receives"):
                problems.append(f"{rid}: gives and receives must be two different parties")
            if not isinstance(record.get("hectares"), (int, float)):
                problems.append(f"{rid}: no hectares")
    return problems


def section_swaps(ledger: Iterable[Mapping[str, Any]], section_id: str) -> list[dict[str, Any]]:
    """The exchanges and packages of one section, in the form of a section's ``swaps`` property.

    Examples
    --------
    >>> swaps = section_swaps([{"id": "a", "kind": "exchange", "gives": "TJ", "receives": "KG",
    ...     "hectares": 5, "place": "X", "section_ids": ["s"], "source_ids": ["src"]}], "s")
    >>> [(s["swap_id"], s["from"], s["to"], s["hectares"]) for s in swaps]
    [('a', 'TJ', 'KG', 5)]
    """
    return [
        {
            "swap_id": r.get("id"),
            "kind": r.get("kind", "exchange"),
            "from": r.get("gives"),
            "to": r.get("receives"),
            "hectares": r.get("hectares"),
            "place": r.get("place"),
            "said_by": r.get("said_by"),
            "source_ids": list(r.get("source_ids") or []),
        }
        for r in ledger
        if section_id in (r.get("section_ids") or []) and r.get("kind") in ("exchange", "package")
    ]


def ha_to_km2(hectares: float) -> float:
    """Hectares to square kilometres.

    >>> ha_to_km2(1437.7)
    14.377
    """
    return hectares / HA_PER_KM2
