"""Status, dispute flags and citations shared by the boundary and enclave features.

A dataset's recipe (:mod:`bordermap.derive.recipe`) says which status the derived lines and
enclaves have and from when (the bundled one: from the 2025 treaty's entry into force); without
one every line is ``undetermined``. Statuses are kept simple here; the curation step refines them
per section.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bordermap.model import AGREED_STATUSES


def resolve_treaty_dates(
    history: list[dict[str, Any]], dates: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Replace the named dates (a recipe's ``status.dates``) of a curated status history by ISO dates.

    Examples
    --------
    >>> resolve_treaty_dates([{"from": "2020", "to": "treaty_in_force", "status": "disputed"},
    ...                       {"from": "treaty_in_force", "to": None, "status": "settled"}],
    ...                      {"treaty_in_force": "2025-03-31"})[1]
    {'from': '2025-03-31', 'to': None, 'status': 'settled'}
    """
    return [
        {k: dates.get(v, v) if k in ("from", "to") and v is not None else v for k, v in entry.items()}
        for entry in history
    ]


def status_history(
    after: str, day: str, source_id: str, note: str = "", before: str = "undetermined",
    dated_by: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """``before`` until ``day`` (e.g. a treaty's entry into force), then ``after``.

    Both entries cite ``source_id`` (what the status rests on, e.g. the treaty) and ``dated_by``
    (the sources that give ``day``, e.g. reports of the exchange of instruments).

    Examples
    --------
    >>> history = status_history("settled", "2025-03-31", "src_treaty", dated_by=["src_exchange"])
    >>> [(e["to"], e["status"], e["source_ids"]) for e in history]
    [('2025-03-31', 'undetermined', ['src_treaty', 'src_exchange']), (None, 'settled', ['src_treaty', 'src_exchange'])]
    """
    ids = [source_id, *(i for i in dated_by if i != source_id)]
    return [
        {"from": None, "to": day, "status": before, "source_ids": list(ids)},
        {"from": day, "to": None, "status": after, "source_ids": list(ids), "note": note},
    ]


def status_as_of(history: list[dict[str, Any]], day: str) -> str:
    """Return the status a history gives for an ISO date (``undetermined`` where none covers it)."""
    for entry in history:
        if (entry["from"] is None or entry["from"] <= day) and (
            entry["to"] is None or day < entry["to"]
        ):
            return str(entry["status"])
    return "undetermined"


def course_history(
    history: list[dict[str, Any]], drawn_by: str | None = None, vintage: str | None = None,
    source_id: str | None = None,
) -> list[dict[str, Any]]:
    """What is known of a line's course over each period of its status history.

    Where the status says the parties fixed the line (agreed … settled) but no cited source gives
    its course, the course is ``not_published``; otherwise it is ``depicted`` (known only as the
    depiction ``drawn_by`` draws it) or ``unknown`` (no depiction draws this feature). No source
    of the bundled data publishes a course, so nothing here is ``published``.

    Examples
    --------
    >>> settled = status_history("settled", "2025-03-31", "src_treaty")
    >>> [e["course"] for e in course_history(settled, "osm2022", "2022-04-22")]
    ['depicted', 'not_published']
    >>> course_history([], None)[0]["course"]
    'unknown'
    """
    drawn = f"drawn by depiction {drawn_by}" + (f" (vintage {vintage})" if vintage else "")
    if not history:
        history = [{"from": None, "to": None, "status": None, "source_ids": []}]
    out = []
    for entry in history:
        agreed = entry.get("status") in AGREED_STATUSES
        if agreed:
            course = "not_published"
            older = vintage is not None and entry.get("from") is not None and vintage < entry["from"]
            note = (
                f"status {entry['status']} per the sources cited; none of them gives the course "
                "(the treaty's description of the line is not published); "
                + (f"{drawn}, which predates this status" if older else drawn if drawn_by else
                   "no depiction draws it")
            )
            ids = list(entry.get("source_ids") or [])
        elif drawn_by:
            course, note, ids = "depicted", f"known only as {drawn}", [source_id] if source_id else []
        else:
            course, note, ids = "unknown", "no source and no depiction gives the course", []
        out.append({"from": entry.get("from"), "to": entry.get("to"), "course": course,
                    "depiction": drawn_by, "source_ids": ids, "note": note})
    return out


def citations(
    source_id: str, geometry_note: str, with_status: bool = True, status_source: str = ""
) -> list[dict[str, Any]]:
    """Cite a derived feature's geometry dataset, and ``status_source`` for its status."""
    out = [{"property": "/geometry", "source_id": source_id, "note": geometry_note}]
    if with_status:
        out.append({"property": "/status", "source_id": status_source})
    return out


@dataclass(frozen=True)
class StatusPolicy:
    """Where the status of derived boundary and enclave features comes from.

    Parameters
    ----------
    main
        Status history of the main line.
    enclave
        Status history of a pair enclave (and its perimeter), by enclave key.
    source_id
        The source cited for ``/status``; None when the status is not curated.
    is_disputed
        The ``is_disputed`` flag written (None: left out).
    """

    main: list[dict[str, Any]]
    enclave: Callable[[str], list[dict[str, Any]]]
    source_id: str | None
    is_disputed: bool | None

    def fields(
        self, history: list[dict[str, Any]], as_of: str, drawn_by: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """``status``, ``status_history`` and ``course_history`` of a feature with this history.

        ``drawn_by`` is the record of the depiction that draws the feature (id, vintage,
        source_id), if any.
        """
        d = drawn_by or {}
        return {
            "status": status_as_of(history, as_of),
            "status_history": history,
            "course_history": course_history(history, d.get("id"), d.get("vintage"), d.get("source_id")),
        }

    def flag(self) -> dict[str, Any]:
        """``is_disputed``, when the policy sets it."""
        return {} if self.is_disputed is None else {"is_disputed": self.is_disputed}

    def citations(self, source_id: str, geometry_note: str) -> list[dict[str, Any]]:
        """Cite the geometry dataset, and the status source if there is one."""
        return citations(source_id, geometry_note, self.source_id is not None, self.source_id or "")


#: A new dataset (``bordermap init``): no status history yet, so every line is ``undetermined``.
UNCURATED_POLICY = StatusPolicy([], lambda key: [], None, None)
