"""Perspective fields derived from the parties' recorded positions on each section.

A curated position may say, in structured form, what the party stated (``says_belongs_to``: the
party the land or object belongs to, or ``undetermined`` / ``shared``; ``says_held_by``: who the
party says holds it now; ``says_is_enclave``: whether the party calls it an enclave). Nothing
else is read: a position without these fields gives no stance, so a difference between views
can always be traced to a dated, sourced position.

``stance_history``
    Per party, the stance of each structured position from its date until the party's next
    structured position on the same section, or — for a position stated while the section is
    disputed or undetermined — until the section's status history ends that contested period.
    A position stated after the dispute ended (an account of what a settlement changed) holds
    until the party's next one.
``perspectives_history``
    For a section located at an enclave: while a party says the enclave is *not* one, the
    enclave's perimeter lines are ``disputed_by`` that party (Overture's rule hides them from its
    view); no line of that party's own is drawn, because none is published.
``claimed_by``
    The curated value plus every party whose positions claim the section for itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any, Literal

import geopandas as gpd

from bordermap.dates import parse_date

#: Statuses during which a party's stated position stands until the status changes.
CONTESTED = frozenset({"disputed", "undetermined"})
_FIELDS = ("says_belongs_to", "says_held_by", "says_is_enclave")
_ISO2 = re.compile(r"^[A-Z]{2}$")


def stance(party: str, belongs_to: str | None, held_by: str | None) -> str:
    """The stance (``stance`` enum of the schema) of a party saying who owns and holds a place.

    The party says the place belongs to ``belongs_to`` and is held by ``held_by``.

    Examples
    --------
    >>> stance("TJ", "TJ", "KG"), stance("KG", "KG", None), stance("KG", "TJ", None)
    ('claims_held_by_other', 'claims', 'concedes')
    >>> stance("TJ", "undetermined", None)
    'undetermined'
    """
    if belongs_to in ("undetermined", "shared"):
        return str(belongs_to)
    if belongs_to == party:
        return "claims_held_by_other" if held_by and held_by != party else "claims"
    if belongs_to is None:
        return "undetermined"
    return "concedes"


def _contested_until(history: list[dict[str, Any]], stated: str) -> str | Literal[False] | None:
    """End of the contested period during which a position was stated.

    None: open-ended; False when it was stated outside one. A partial date (``2021``) counts as
    the whole period it names.
    """
    first, last = parse_date(stated), parse_date(stated, end=True)
    for i, entry in enumerate(history):
        start = parse_date(entry["from"]) if entry.get("from") else dt.date.min
        stop = parse_date(entry["to"]) if entry.get("to") else dt.date.max
        if start < last and first < stop:
            if entry.get("status") not in CONTESTED:
                return False
            end = entry.get("to")
            for later in history[i + 1 :]:
                if later.get("status") not in CONTESTED:
                    break
                end = later.get("to")
            return end
    return False


#: The words for enclave and exclave in the dataset's name languages (en, ru, tg, ky).
_ENCLAVE_WORD = re.compile(r"enclave|exclave|анклав|эксклав", re.IGNORECASE)


def position_problems(section: dict[str, Any]) -> list[str]:
    """Problems of the structured fields of a section's positions, and of names they contradict.

    Examples
    --------
    >>> for problem in position_problems(
    ...         {"positions": [{"party": "KG", "date": None, "says_belongs_to": "kg"}]}):
    ...     print(problem)
    position 0: says_belongs_to 'kg' is not a country code, undetermined or shared
    position 0: a stance needs a date
    >>> for problem in position_problems({"names": {"en": "Vorukh exclave", "ru": "Ворух"}, "positions": [
    ...         {"party": "TJ", "date": "2021-04-22", "says_is_enclave": False}]}):
    ...     print(problem)
    name en 'Vorukh exclave' calls it an enclave, which TJ says it is not: name the place instead
    """
    problems = []
    for i, pos in enumerate(section.get("positions") or []):
        if not any(k in pos for k in _FIELDS):
            continue
        belongs = pos.get("says_belongs_to")
        if belongs is not None and not (_ISO2.match(str(belongs)) or belongs in ("undetermined", "shared")):
            problems.append(f"position {i}: says_belongs_to {belongs!r} is not a country code, undetermined or shared")
        if "says_held_by" in pos and not _ISO2.match(str(pos["says_held_by"])):
            problems.append(f"position {i}: says_held_by {pos['says_held_by']!r} is not a country code")
        if "says_is_enclave" in pos and not isinstance(pos["says_is_enclave"], bool):
            problems.append(f"position {i}: says_is_enclave must be true or false")
        if not pos.get("date"):
            problems.append(f"position {i}: a stance needs a date")
    # A name that calls the place an enclave takes a side when a party says it is none.
    deniers = sorted({str(p.get("party")) for p in section.get("positions") or [] if p.get("says_is_enclave") is False})
    for lang, name in sorted((section.get("names") or {}).items()):
        if deniers and _ENCLAVE_WORD.search(str(name)):
            problems.append(
                f"name {lang} {name!r} calls it an enclave, which {', '.join(deniers)} says it is not: "
                "name the place instead"
            )
    return problems


def stance_history(section: dict[str, Any]) -> list[dict[str, Any]]:
    """Per party, the stance of the section's structured positions over time.

    Examples
    --------
    >>> section = {"status_history": [
    ...     {"from": "2020", "to": "2024-12-04", "status": "disputed"},
    ...     {"from": "2024-12-04", "to": None, "status": "settled"}],
    ...  "positions": [
    ...     {"party": "KG", "date": "2021-02", "position": "Kyrgyz.", "says_belongs_to": "KG",
    ...      "source_ids": ["src_a"]},
    ...     {"party": "KG", "date": "2025-02-27", "position": "Goes to TJ.",
    ...      "says_belongs_to": "TJ", "source_ids": ["src_b"]},
    ...     {"party": "TJ", "date": None, "position": "Undated.", "says_belongs_to": "TJ",
    ...      "source_ids": ["src_c"]}]}
    >>> [(e["party"], e["from"], e["to"], e["stance"]) for e in stance_history(section)]
    [('KG', '2021-02', '2024-12-04', 'claims'), ('KG', '2025-02-27', None, 'concedes')]
    """
    history = section.get("status_history") or []
    structured = [
        p for p in section.get("positions") or [] if p.get("date") and any(k in p for k in _FIELDS)
    ]
    out: list[dict[str, Any]] = []
    for party in sorted({p["party"] for p in structured}):
        mine = sorted(
            (p for p in structured if p["party"] == party), key=lambda p: parse_date(p["date"])
        )
        for i, pos in enumerate(mine):
            start = parse_date(pos["date"])
            following = next(
                (q["date"] for q in mine[i + 1 :] if parse_date(q["date"]) > start), None
            )
            end = _contested_until(history, pos["date"])
            if end is False:  # stated outside a dispute: holds until the party's next position
                end = following
            elif following is not None and (end is None or parse_date(following) < parse_date(end)):
                end = following
            if any(parse_date(q["date"]) == start for q in mine[i + 1 :]):
                continue  # a later record of the same day supersedes this one
            belongs, held = pos.get("says_belongs_to"), pos.get("says_held_by")
            out.append(
                {
                    "party": party,
                    "from": pos["date"],
                    "to": end,
                    "stance": stance(party, belongs, held),
                    "belongs_to": belongs,
                    "held_by": held,
                    "is_enclave": pos.get("says_is_enclave"),
                    "stated_by": pos.get("stated_by"),
                    "stated_on": pos["date"],
                    "position": pos.get("position", ""),
                    "source_ids": list(pos.get("source_ids") or []),
                }
            )
    return out


def claimed_by(section: dict[str, Any], stances: Iterable[dict[str, Any]]) -> list[str]:
    """The curated ``claimed_by`` plus every party whose positions claim the section."""
    claimed = set(section.get("claimed_by") or [])
    claimed |= {s["party"] for s in stances if s["stance"] in ("claims", "claims_held_by_other")}
    return sorted(claimed)


def enclave_perspectives(stances: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``perspectives_history`` of an enclave's perimeter.

    The perimeter is disputed by each party while that party says the enclave is not one.

    Examples
    --------
    >>> enclave_perspectives([{"party": "TJ", "from": "2021-04-22", "to": "2024-12-04",
    ...     "is_enclave": False, "stated_by": "Tajik MFA", "stated_on": "2021-04-22",
    ...     "source_ids": ["src_a"]}])[0]["countries"]
    ['TJ']
    """
    out = []
    for s in stances:
        if s.get("is_enclave") is False:
            out.append(
                {
                    "from": s["from"],
                    "to": s["to"],
                    "mode": "disputed_by",
                    "countries": [s["party"]],
                    "source_ids": list(s["source_ids"]),
                    "note": (
                        f"{s['party']} says this is not an enclave ({s.get('stated_by') or s['party']}, "
                        f"{s['stated_on']}); no line of its own is published, so its view draws none here"
                    ),
                }
            )
    return out


def apply_to_enclaves(
    sections: gpd.GeoDataFrame, layers: dict[str, gpd.GeoDataFrame], enclave_keys: dict[str, str]
) -> None:
    """Copy each enclave section's stances and perspectives to the enclave's features, in place.

    The stances go to the enclave's polygons (every depiction), the perspectives they imply to
    its perimeter lines.

    Parameters
    ----------
    sections
        The sections layer, with ``stance_history``.
    layers
        The built layers; ``areas`` and ``boundary`` are updated.
    enclave_keys
        Section id → enclave key, for the sections located at an enclave.
    """
    areas, boundary = layers.get("areas"), layers.get("boundary")
    if areas is None or areas.empty or "enclave_key" not in areas.columns:
        return
    by_id = dict(zip(sections["id"], sections["stance_history"], strict=True))
    stances_of = {key: by_id.get(sid) or [] for sid, key in enclave_keys.items()}
    polygon_stances = [stances_of.get(k) or None for k in areas["enclave_key"]]
    if any(polygon_stances):
        areas["stance_history"] = polygon_stances
    if boundary is None or boundary.empty or "enclave_id" not in boundary.columns:
        return
    key_of = dict(zip(areas["id"], areas["enclave_key"], strict=True))
    lines = [enclave_perspectives(stances_of.get(key_of.get(e, ""), [])) or None for e in boundary["enclave_id"]]
    if any(lines):
        boundary["perspectives_history"] = lines
