"""A dataset's recipe: what the generic derivation builds for one pair of countries.

The bundled Kyrgyz–Tajik values (pair, chainage origin, countries, disclaimer, treaty dates,
enclave catalogue, settlements of the research notes…) live in ``curated/recipe.yaml`` beside the
curated inputs, read and checked here; ``bordermap init`` makes a :class:`Recipe` for any pair
with the generic defaults (no status history, no catalogue, no named settlements).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bordermap.derive.claims import UNCURATED_POLICY, StatusPolicy, status_history
from bordermap.derive.enclaves import KnownEnclave, known_enclaves
from bordermap.errors import DataError
from bordermap.model import STATUSES

RECIPE_FILE = "recipe.yaml"

#: The generic disclaimer of a dataset whose recipe gives none.
DISCLAIMER = (
    "Boundaries, names and figures shown do not imply endorsement or acceptance by the authors of "
    "any claim. Each depiction is a third-party dataset reproduced as published (with the listed "
    "repairs); none is an official delimitation."
)


@dataclass(frozen=True)
class StatusRule:
    """Status of the derived lines and pair enclaves: ``before`` until a dated event, then ``after``.

    Parameters
    ----------
    source_id
        The source cited for ``/status``.
    dated_by
        The sources that give the day the status changes (cited beside ``source_id`` in every
        entry of the history: a report of a treaty's signature does not date its entry into force).
    dates
        Named dates (``treaty_in_force`` → ISO) that curated status histories may use.
    changes_on
        The name (a key of ``dates``) of the day the status changes.
    before, after
        The statuses before and from that day (``abolished`` for the enclaves in ``abolished``).
    note
        Note of the entry from that day.
    is_disputed
        The ``is_disputed`` flag written on derived lines.
    abolished
        Keys of the pair's enclaves that the event abolished.
    """

    source_id: str
    dates: Mapping[str, str]
    changes_on: str
    before: str
    after: str
    note: str
    is_disputed: bool
    abolished: frozenset[str] = frozenset()
    dated_by: tuple[str, ...] = ()

    @property
    def day(self) -> str:
        """The ISO date the status changes."""
        return self.dates[self.changes_on]

    def policy(self) -> StatusPolicy:
        """The status policy of the derived boundary and enclave features."""

        def history(after: str) -> list[dict[str, Any]]:
            return status_history(after, self.day, self.source_id, self.note, self.before, self.dated_by)

        def enclave(key: str) -> list[dict[str, Any]]:
            return history("abolished" if key in self.abolished else self.after)

        return StatusPolicy(history(self.after), enclave, self.source_id, self.is_disputed)


@dataclass(frozen=True)
class Recipe:
    """What to build for one pair; the defaults are those of a new, uncurated dataset.

    Parameters
    ----------
    pair
        The two countries whose line is built (``sides[0]`` first).
    id, title
        The dataset's id and title (default: from the pair).
    origin
        The third country whose tripoint starts the chainage; ``"auto"`` takes the first that meets
        the line, None the line's western end.
    default_depiction
        Depiction whose line selects the settlements (None: the first one built).
    places_bbox
        (west, south, east, north) the gazetteer is read in (None: around the pair's extents).
    countries
        ``dataset.json`` countries (code → name, colour); None: the pair and its neighbours, named
        by ISO 3166 and coloured from a palette.
    disclaimer
        The dataset's disclaimer.
    status
        The status rule of derived features (None: ``undetermined``, no history).
    enclaves
        The enclave catalogue.
    named_places
        Settlements named in the research notes (GeoNames id → note); always in ``places``.
    depiction_notes
        Notes on depictions that speak of this region (depiction id → note), in place of their
        general ``note``.
    """

    pair: tuple[str, str]
    id: str = ""
    title: str = ""
    origin: str | None = "auto"
    default_depiction: str | None = None
    places_bbox: tuple[float, float, float, float] | None = None
    countries: Mapping[str, Mapping[str, str]] | None = None
    disclaimer: str = DISCLAIMER
    status: StatusRule | None = None
    enclaves: tuple[KnownEnclave, ...] = ()
    named_places: Mapping[int, str] = field(default_factory=dict)
    depiction_notes: Mapping[str, str] = field(default_factory=dict)

    def policy(self) -> StatusPolicy:
        """The status policy of the derived features (uncurated without a status rule)."""
        return UNCURATED_POLICY if self.status is None else self.status.policy()

    def catalogue(self) -> tuple[KnownEnclave, ...]:
        """The recipe's own enclaves, then the library's catalogue (:func:`known_enclaves`)."""
        return (*self.enclaves, *known_enclaves())

    @property
    def dates(self) -> Mapping[str, str]:
        """Named dates the curated status histories may use."""
        return {} if self.status is None else self.status.dates


def recipe_path(curated: Path) -> Path:
    """The recipe file of a ``curated/`` directory."""
    return curated / RECIPE_FILE


def read_recipe(curated: Path) -> Recipe:
    """Read and check ``curated/recipe.yaml`` (needs PyYAML: the build extra).

    Raises
    ------
    DataError
        When the file is missing or unreadable, or a key is missing or of the wrong kind; the
        message names the file and the key.

    Examples
    --------
    >>> from bordermap.datasets import bundled_path
    >>> recipe = read_recipe(bundled_path() / "curated")
    >>> recipe.pair, recipe.origin, recipe.status.day
    (('KG', 'TJ'), 'UZ', '2025-03-31')
    """
    from bordermap.derive.curated import read_yaml

    path = recipe_path(curated)
    if not path.is_file():
        raise DataError(f"{path}: no recipe (the pair, origin and status rule of the build)")
    data = read_yaml(path)
    return parse_recipe(data, str(path))


def parse_recipe(data: Any, where: str) -> Recipe:
    """Check a parsed recipe and make a :class:`Recipe` of it; ``where`` names it in errors.

    Examples
    --------
    >>> parse_recipe({"pair": ["KG", "UZ"]}, "r.yaml").origin
    'auto'
    >>> parse_recipe({"pair": ["KG"]}, "r.yaml")
    Traceback (most recent call last):
    ...
    bordermap.errors.DataError: r.yaml: /pair: expected a list of two country codes
    """
    get = _Getter(data, where)
    pair = get("pair", list, required=True)
    if len(pair) != 2 or not all(isinstance(c, str) and len(c) == 2 for c in pair):
        raise DataError(f"{where}: /pair: expected a list of two country codes")
    bbox = get("places_bbox", list)
    if bbox is not None and (len(bbox) != 4 or not all(isinstance(v, (int, float)) for v in bbox)):
        raise DataError(f"{where}: /places_bbox: expected [west, south, east, north] in degrees")
    countries = get("countries", dict)
    for code, record in (countries or {}).items():
        if not isinstance(record, dict) or not isinstance(record.get("name"), str):
            raise DataError(f"{where}: /countries/{code}: expected a mapping with a name")
    status = get("status", dict)
    named = get("named_places", dict) or {}
    notes = get("depiction_notes", dict) or {}
    if not all(isinstance(v, str) for v in notes.values()):
        raise DataError(f"{where}: /depiction_notes: expected depiction id → note")
    if not all(isinstance(k, int) and isinstance(v, str) for k, v in named.items()):
        raise DataError(f"{where}: /named_places: expected GeoNames id → note")
    return Recipe(
        pair=(pair[0], pair[1]),
        id=get("id", str) or f"{pair[0].lower()}-{pair[1].lower()}",
        title=get("title", str) or "",
        # Absent: the first third country at an end of the line; null: the line's western end.
        origin=get("origin", str) if "origin" in data else "auto",
        default_depiction=get("default_depiction", str),
        places_bbox=(bbox[0], bbox[1], bbox[2], bbox[3]) if bbox is not None else None,
        countries=countries,
        disclaimer=get("disclaimer", str) or DISCLAIMER,
        status=None if status is None else _status(status, where),
        enclaves=tuple(
            _enclave(e, where, f"/enclaves/{i}")
            for i, e in enumerate(get("enclaves", list) or [])
        ),
        named_places=named,
        depiction_notes={str(k): v for k, v in notes.items()},
    )


class _Getter:
    """Read keys of a mapping, naming the file and key when one is missing or of the wrong kind."""

    def __init__(self, data: Any, where: str, pointer: str = "") -> None:
        if not isinstance(data, dict):
            raise DataError(f"{where}: {pointer or '/'}: expected a mapping")
        self.data, self.where, self.pointer = data, where, pointer

    def __call__(self, key: str, kind: type | tuple[type, ...], required: bool = False) -> Any:
        value = self.data.get(key)
        if value is None:
            if required:
                raise DataError(f"{self.where}: {self.pointer}/{key}: required")
            return None
        if not isinstance(value, kind) or (kind is float and isinstance(value, bool)):
            what = kind.__name__ if isinstance(kind, type) else "number"
            raise DataError(f"{self.where}: {self.pointer}/{key}: expected {what}, got {value!r}")
        return value


def _status(data: dict[str, Any], file: str) -> StatusRule:
    get = _Getter(data, file, "/status")
    where = f"{file}: /status"
    dates = get("dates", dict, required=True)
    if not all(isinstance(v, str) for v in dates.values()):
        raise DataError(f"{where}/dates: expected name → ISO date")
    changes_on = get("changes_on", str, required=True)
    if changes_on not in dates:
        raise DataError(f"{where}/changes_on: {changes_on!r} is not one of /dates")
    statuses = STATUSES
    for key in ("before", "after"):
        if get(key, str, required=True) not in statuses:
            raise DataError(f"{where}/{key}: {data[key]!r} is not a status ({', '.join(statuses)})")
    return StatusRule(
        source_id=get("source_id", str, required=True),
        dates=dict(dates),
        changes_on=changes_on,
        before=data["before"],
        after=data["after"],
        note=get("note", str) or "",
        is_disputed=bool(get("is_disputed", bool)),
        abolished=frozenset(get("abolished_enclaves", list) or []),
        dated_by=tuple(str(i) for i in get("dated_by", list) or []),
    )


def _enclave(data: Any, where: str, pointer: str) -> KnownEnclave:
    get = _Getter(data, where, pointer)
    names = get("names", dict, required=True)
    max_m = get("max_m", (int, float))
    return KnownEnclave(
        key=get("key", str, required=True),
        administered_by=get("administered_by", str, required=True),
        surrounded_by=get("surrounded_by", str, required=True),
        anchor_geonameid=get("anchor_geonameid", int, required=True),
        names={str(k): str(v) for k, v in names.items()},
        anchor_note=get("anchor_note", str) or "",
        **({} if max_m is None else {"max_m": float(max_m)}),
    )
