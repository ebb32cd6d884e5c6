"""Attribution rule for the curated text: a territorial statement must say whose statement it is.

A sentence that says where land lies, who holds it or who took it ("inside Kyrgyz territory",
"under Tajik control", "seized", "belongs to") states one side's claim. In the curated YAML such a
sentence must either sit in a record that names its speaker (a ``positions`` entry with
``stated_by``) or carry an attribution marker in the sentence itself ("according to X", "X said",
"as reported by", "per Tashiev"…). :func:`unattributed_statements` lists the sentences that do
neither; ``tests/test_curated_data.py`` requires the list to be empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

#: Words that make a sentence a territorial statement.
TERRITORIAL = re.compile(
    r"\b(territory|territories|territorial|control|controlled|inside|seized?|seizing|belongs?|"
    r"occupied|occupation|annex\w*|encroach\w*|wholly (?:Kyrgyz|Tajik)|on (?:Kyrgyz|Tajik) land)\b",
    re.IGNORECASE,
)
#: Markers that attribute a sentence to whoever made the statement.
ATTRIBUTED = re.compile(
    r"\b(according to|said|says|say|stated|states|reported by|reports|claimed|claims?|"
    r"alleged\w*|accused|accuses|per|in the view of|called|calls|told|announced|insists?|"
    r"(?:Kyrgyz|Tajik) (?:side|sources|officials|authorities|border service|border guards|"
    r"foreign ministry|reporting|account|position)|as reported|blames?|wrote|writes)\b",
    re.IGNORECASE,
)
#: Text fields checked, by record kind; ``position`` is exempt because it has ``stated_by``.
TEXT_KEYS = frozenset({"summary", "note", "date_note", "position", "place", "statement"})


def sentences(text: str) -> list[str]:
    """Split a text field into sentences (a full stop, ! or ? followed by a capital letter).

    Examples
    --------
    >>> sentences("One; two. Three")
    ['One; two.', 'Three']
    """
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(text.split())) if s]


def _texts(record: Any, path: str, stated: bool) -> Iterator[tuple[str, str, bool]]:
    """Every (path, text, attributed-by-record) in a record, depth first."""
    if isinstance(record, dict):
        stated = stated or bool(record.get("stated_by") or record.get("speaker"))
        for key, value in record.items():
            if key in TEXT_KEYS and isinstance(value, str):
                yield f"{path}/{key}", value, stated
            elif isinstance(value, dict | list):
                yield from _texts(value, f"{path}/{key}", stated)
    elif isinstance(record, list):
        for i, item in enumerate(record):
            yield from _texts(item, f"{path}/{i}", stated)


def unattributed_statements(records: list[dict[str, Any]]) -> list[str]:
    """Territorial sentences of curated records that carry no attribution.

    Parameters
    ----------
    records
        Curated records (sections, incidents, figures), each with an ``id``.

    Returns
    -------
    list of str
        ``"<id><path>: <sentence>"`` for every territorial sentence that neither sits in a record
        with ``stated_by`` (or ``speaker``) nor contains an attribution marker.

    Examples
    --------
    >>> unattributed_statements([{"id": "a", "summary": "A patrol was 20 m inside Kyrgyz territory."}])
    ['a/summary: A patrol was 20 m inside Kyrgyz territory.']
    >>> unattributed_statements([{"id": "b", "summary": "According to X, a patrol was inside Y."}])
    []
    >>> unattributed_statements([{"id": "c", "positions": [
    ...     {"stated_by": "Z", "position": "The land belongs to Z."}]}])
    []
    """
    found = []
    for record in records:
        for path, text, stated in _texts(record, "", False):
            if stated:
                continue
            for sentence in sentences(text):
                if TERRITORIAL.search(sentence) and not ATTRIBUTED.search(sentence):
                    found.append(f"{record['id']}{path}: {sentence}")
    return found
