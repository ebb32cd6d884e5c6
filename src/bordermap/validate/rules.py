"""Rules on properties and registries: schema, ids, references, country codes and dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from typing import Any

from bordermap.dates import parse_date
from bordermap.errors import Problem
from bordermap.model import schemas
from bordermap.timeline import status_on
from bordermap.validate.inputs import Inputs, Layer

#: Where country codes sit in feature properties (``*``: every item of a list / value of an object).
COUNTRY_PATHS = (
    "sides/*",
    "country",
    "administered_by",
    "surrounded_by",
    "claimed_by/*",
    "controlled_by/*",
    "disputed_by/*",
    "perspectives/countries/*",
    "perspectives_history/*/countries/*",
    "stance_history/*/party",
    "stance_history/*/held_by",
    "positions/*/party",
    "positions/*/says_held_by",
    "swaps/*/to",
    "casualties/*/side",
    "assigned_by/*",
)
META_COUNTRY_PATHS = ("pair/*", "chainage_origin/countries/*")
#: Where dates sit in feature properties.
DATE_PATHS = (
    "valid_from",
    "valid_to",
    "date_start",
    "date_end",
    "status_history/*/from",
    "status_history/*/to",
    "positions/*/date",
    "perspectives_history/*/from",
    "perspectives_history/*/to",
    "stance_history/*/from",
    "stance_history/*/to",
    "casualties/*/reported_on",
)
META_DATE_PATHS = ("as_of", "key_dates/*", "depictions/*/vintage")
_NOT_COUNTRIES = ("intl", "none")


def _inline(node: Any, base: str) -> Any:
    """Replace every ``$ref`` by its target (the schemas are not recursive).

    Validating without reference lookups is about twice as fast, which matters inside the main
    job's time budget.
    """
    if isinstance(node, list):
        return [_inline(v, base) for v in node]
    if not isinstance(node, dict):
        return node
    if "$ref" not in node:
        return {k: _inline(v, base) for k, v in node.items() if k not in ("$id", "$schema")}
    name, _, fragment = node["$ref"].partition("#")
    name = name or base
    target = schemas()[name]
    for part in filter(None, fragment.split("/")):
        target = target[part]
    siblings = {k: v for k, v in node.items() if k != "$ref"}
    return {**_inline(target, name), **_inline(siblings, base)}


@cache
def _end_anchored(pattern: str) -> re.Pattern[str]:
    r"""A schema ``pattern`` with JSON Schema's (ECMA-262) meaning of a final ``$``: end of text.

    Python's ``$`` also matches before a final newline, so ``^#[0-9a-f]{6}$`` would accept
    ``"#c0392b\n"``, which no colour parser does; ``\Z`` matches at the very end only.

    Examples
    --------
    >>> bool(_end_anchored("^[A-Z]{2}$").search("KG\n")), bool(_end_anchored("^[A-Z]{2}$").search("KG"))
    (False, True)
    """
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if isinstance(instance, str) and not _end_anchored(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _validators() -> dict[str, Any]:
    """One JSON Schema validator per schema file, references inlined.

    ``pattern`` is checked by :func:`_pattern` (a final ``$`` means the end of the text).
    """
    from jsonschema import Draft202012Validator, validators

    strict = validators.extend(Draft202012Validator, {"pattern": _pattern})
    return {name[:-5]: strict(_inline(schema, name)) for name, schema in schemas().items()}


def values_at(obj: Any, path: str, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(JSON Pointer, value)`` for a slash path with ``*`` wildcards.

    Examples
    --------
    >>> list(values_at({"sides": ["KG", "TJ"]}, "sides/*"))
    [('/sides/0', 'KG'), ('/sides/1', 'TJ')]
    """
    head, _, rest = path.partition("/")
    if head == "*":
        items = (
            obj.items()
            if isinstance(obj, dict)
            else enumerate(obj)
            if isinstance(obj, list)
            else ()
        )
        children = [(f"{pointer}/{key}", value) for key, value in items]
    elif isinstance(obj, dict) and head in obj:
        children = [(f"{pointer}/{head}", obj[head])]
    else:
        children = []
    for where, value in children:
        if rest:
            yield from values_at(value, rest, where)
        elif value is not None:
            yield where, value


#: Marks a record whose whole value breaks its schema (not an object, say).
WHOLE = ""


def _schema_problems(
    validator: Any, instance: Any, file: str, label: str, prefix: str = "", faulty: set[str] | None = None
) -> list[Problem]:
    """Schema problems of one instance; ``faulty`` collects the top-level keys at fault."""
    out: dict[Problem, None] = {}  # ordered set: jsonschema reports each missing key once per rule
    for error in validator.iter_errors(instance):
        pointer = prefix + "".join(f"/{part}" for part in error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, dict):
            for key in [k for k in error.validator_value if k not in error.instance]:
                out[
                    Problem(
                        "missing-property",
                        f"required property {key!r} is missing",
                        file,
                        label,
                        f"{pointer}/{key}",
                    )
                ] = None
        else:
            out[Problem("schema", error.message[:200], file, label, pointer)] = None
            if faulty is not None:
                faulty.add(str(error.absolute_path[0]) if error.absolute_path else WHOLE)
    return list(out)


def _without(record: Any, faulty: set[str]) -> Any:
    """A record without its top-level members at fault (None when the whole record is)."""
    if WHOLE in faulty or not isinstance(record, dict):
        return None
    return {k: v for k, v in record.items() if k not in faulty}


def schema(inputs: Inputs) -> list[Problem]:
    """Check each feature against its layer's schema, and the three JSON files against theirs."""
    return checked(inputs)[0]


def checked(inputs: Inputs) -> tuple[list[Problem], Inputs]:
    """The schema problems, and the inputs the other rules may rely on.

    The other rules see only members the schema accepts: a top-level member (a feature
    property, a dataset.json key, a registry record's field) with a schema fault anywhere inside
    it is left out of what they see, and a record that is not an object at all is dropped. Its
    problem is reported once, here, and no rule trips over a list of strings where it expects
    objects.
    """
    validators = _validators()
    out = []
    layers: dict[str, Layer] = {}
    for name, layer in inputs.layers.items():
        validator = validators.get(name)
        if validator is None:
            out.append(
                Problem(
                    "unknown-layer",
                    f"unknown layer {name!r}; layers are {', '.join(validators)}",
                    layer.file,
                )
            )
            layers[name] = layer
            continue
        kept = []
        for props, label in zip(layer.props, layer.labels, strict=True):
            faulty: set[str] = set()
            out += _schema_problems(validator, props, layer.file, label, faulty=faulty)
            kept.append(_without(props, faulty) or {} if faulty else props)
        layers[name] = replace(layer, props=kept)
    meta = inputs.meta
    faulty = set()
    if inputs.meta_file.endswith(".json"):
        out += _schema_problems(validators["dataset"], meta, inputs.meta_file, "", faulty=faulty)
    elif meta:  # a single file: its "bordermap" member plus what was inferred from the features
        found = _schema_problems(validators["dataset"], meta, inputs.meta_file, "", "/bordermap", faulty)
        out += [p for p in found if p.code != "missing-property"]  # the file may leave them out
    meta = _without(meta, faulty) or {}
    registries = []
    for file, records, name in (
        (inputs.sources_file, inputs.sources or [], "sources"),
        (inputs.figures_file, inputs.figures, "figures"),
        (inputs.swaps_file, inputs.swaps, "swaps"),
    ):
        kept = []
        for index, record in enumerate(records):
            label = _record_label(record, index)
            faulty = set()
            out += _schema_problems(
                validators[name].evolve(schema=validators[name].schema["items"]),
                record,
                file,
                label,
                faulty=faulty,
            )
            if (clean := _without(record, faulty)) is not None:
                kept.append(clean)
        registries.append(kept)
    sources = registries[0] if inputs.sources is not None else None
    return out, replace(inputs, meta=meta, layers=layers, sources=sources, figures=registries[1])


def _record_label(record: Any, index: int) -> str:
    rid = record.get("id") if isinstance(record, dict) else None
    return rid if isinstance(rid, str) and rid else f"#{index}"


def ids(inputs: Inputs) -> list[Problem]:
    """Feature ids are unique across the whole dataset; registry ids within their registry."""
    out = []
    seen: dict[str, str] = {}
    for layer in inputs.layers.values():
        for props, label in zip(layer.props, layer.labels, strict=True):
            fid = props.get("id")
            if not isinstance(fid, str):
                continue
            where = f"{layer.file}"
            if fid in seen:
                out.append(
                    Problem(
                        "duplicate-id",
                        f"id {fid!r} is used again (first in {seen[fid]})",
                        layer.file,
                        label,
                        "/id",
                    )
                )
            else:
                seen[fid] = where
    for file, records in (
        (inputs.sources_file, inputs.sources or []),
        (inputs.figures_file, inputs.figures),
        (inputs.swaps_file, inputs.swaps),
    ):
        first: set[str] = set()
        for index, record in enumerate(records):
            rid = record.get("id") if isinstance(record, dict) else None
            if isinstance(rid, str) and rid in first:
                out.append(
                    Problem(
                        "duplicate-id",
                        f"id {rid!r} is used again in this file",
                        file,
                        f"#{index}",
                        "/id",
                    )
                )
            elif isinstance(rid, str):
                first.add(rid)
    return out


def _walk_source_ids(obj: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every ``source_id`` value and ``source_ids`` item anywhere in a record."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            where = f"{pointer}/{key}"
            if key == "source_id" and value is not None:
                yield where, value
            elif key == "source_ids" and isinstance(value, list):
                yield from ((f"{where}/{i}", v) for i, v in enumerate(value))
            else:
                yield from _walk_source_ids(value, where)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _walk_source_ids(value, f"{pointer}/{i}")


def references(inputs: Inputs) -> list[Problem]:
    """Source ids exist in sources.json; depiction, enclave and place ids exist in the dataset."""
    out = []
    known_sources = (
        None
        if inputs.sources is None
        else {
            r["id"] for r in inputs.sources if isinstance(r, dict) and isinstance(r.get("id"), str)
        }
    )
    depictions = {d.get("id") for d in inputs.meta.get("depictions") or [] if isinstance(d, dict)}
    places = _ids_of(inputs.layers.get("places"))
    enclaves = _ids_of(inputs.layers.get("areas"), kinds=("enclave", "exclave"))

    def check_sources(record: Any, file: str, label: str) -> None:
        if known_sources is None:
            return
        for where, value in _walk_source_ids(record):
            if value not in known_sources:
                out.append(
                    Problem(
                        "unknown-source",
                        f"source {value!r} is not in sources.json",
                        file,
                        label,
                        where,
                    )
                )

    for layer in inputs.layers.values():
        for props, label in zip(layer.props, layer.labels, strict=True):
            check_sources(props, layer.file, label)
            # (properties, ids they may name, problem code, where those ids live)
            references = (
                (("depiction", "depictions/*"), depictions, "unknown-depiction", "dataset.json"),
                (("place_ids/*",), places, "unknown-place", "the places layer"),
                (("enclave_id",), enclaves, "unknown-enclave", "the areas layer's enclaves"),
            )
            for pointers, known, code, home in references:
                for pointer in pointers:
                    for where, value in values_at(props, pointer):
                        if value not in known:
                            message = f"{code.split('-')[1]} {value!r} is not in {home}"
                            out.append(Problem(code, message, layer.file, label, where))
    check_sources(inputs.meta, inputs.meta_file, "")
    for index, record in enumerate(inputs.figures):
        check_sources(record, inputs.figures_file, _record_label(record, index))
    for index, record in enumerate(inputs.swaps):
        check_sources(record, inputs.swaps_file, _record_label(record, index))
    default = inputs.meta.get("default_depiction")
    if default is not None and depictions and default not in depictions:
        out.append(
            Problem(
                "unknown-depiction",
                f"default depiction {default!r} is not in depictions",
                inputs.meta_file,
                "",
                "/default_depiction",
            )
        )
    return out


def _ids_of(layer: Layer | None, kinds: tuple[str, ...] = ()) -> set[Any]:
    if layer is None:
        return set()
    return {p.get("id") for p in layer.props if not kinds or p.get("kind") in kinds}


@cache
def _iso_alpha2() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


def countries(inputs: Inputs) -> list[Problem]:
    """Country codes are ISO 3166-1 alpha-2 and listed in dataset.json's ``countries``."""
    out = []
    iso = _iso_alpha2()
    listed = set(inputs.meta.get("countries") or {})

    def check(code: Any, file: str, label: str, where: str, must_be_listed: bool = True) -> None:
        if not isinstance(code, str) or code in _NOT_COUNTRIES:
            return
        if code not in iso:
            out.append(
                Problem(
                    "unknown-country",
                    f"{code!r} is not an ISO 3166-1 alpha-2 country code",
                    file,
                    label,
                    where,
                )
            )
        elif must_be_listed and listed and code not in listed:
            out.append(
                Problem(
                    "country-not-listed",
                    f"{code!r} is not listed in dataset.json's countries",
                    file,
                    label,
                    where,
                )
            )

    for layer in inputs.layers.values():
        for props, label in zip(layer.props, layer.labels, strict=True):
            for path in COUNTRY_PATHS:
                for where, code in values_at(props, path):
                    check(code, layer.file, label, where)
            for code in (
                props.get("districts") or {} if isinstance(props.get("districts"), dict) else {}
            ):
                check(code, layer.file, label, f"/districts/{code}")
    for code in listed:
        check(code, inputs.meta_file, "", f"/countries/{code}", must_be_listed=False)
    for path in META_COUNTRY_PATHS:
        for where, code in values_at(inputs.meta, path):
            check(code, inputs.meta_file, "", where)
    for file, records, key in (
        (inputs.sources_file, inputs.sources or [], "party"),
        (inputs.figures_file, inputs.figures, "speaker_party"),
    ):
        for index, record in enumerate(records):
            for where, code in values_at(record, key):
                # Sources and speakers may be based in third countries the map does not show.
                check(code, file, _record_label(record, index), where, must_be_listed=False)
    return out


def _date(value: Any, file: str, label: str, where: str, out: list[Problem]) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        reason = str(exc) if "ISO date" in str(exc) else f"{exc}: no such day"
        out.append(
            Problem("bad-date", f"{value!r} is not a valid date ({reason})", file, label, where)
        )
        return None


def dates(inputs: Inputs) -> list[Problem]:
    """Dates exist, intervals run forwards, status histories are ordered and do not overlap."""
    out: list[Problem] = []
    as_of = None
    for where, value in values_at(inputs.meta, "as_of"):
        as_of = _date(value, inputs.meta_file, "", where, out)
    for path in META_DATE_PATHS[1:]:
        for where, value in values_at(inputs.meta, path):
            _date(value, inputs.meta_file, "", where, out)
    for file, records in (
        (inputs.sources_file, inputs.sources or []),
        (inputs.figures_file, inputs.figures),
    ):
        for index, record in enumerate(records):
            for where, value in values_at(record, "date"):
                _date(value, file, _record_label(record, index), where, out)
    for layer in inputs.layers.values():
        for props, label in zip(layer.props, layer.labels, strict=True):
            found = {
                where: _date(v, layer.file, label, where, out)
                for p in DATE_PATHS
                for where, v in values_at(props, p)
            }
            out += _feature_date_order(props, found, layer.file, label, as_of)
    return out


def _feature_date_order(
    props: dict[str, Any],
    found: dict[str, dt.date | None],
    file: str,
    label: str,
    as_of: dt.date | None,
) -> list[Problem]:
    out = []
    start, stop = found.get("/valid_from"), found.get("/valid_to")
    if start and stop and not start < stop:
        out.append(
            Problem(
                "date-order",
                f"valid_from {props['valid_from']} is not before valid_to "
                f"{props['valid_to']} (valid_to is exclusive)",
                file,
                label,
                "/valid_to",
            )
        )
    first, last = found.get("/date_start"), found.get("/date_end")
    if first and last and last < first:
        out.append(
            Problem(
                "date-order",
                f"date_end {props['date_end']} is before date_start {props['date_start']}",
                file,
                label,
                "/date_end",
            )
        )
    history = props.get("status_history")
    if not isinstance(history, list):
        return out
    previous_end: dt.date | None = None
    for i, entry in enumerate(history):
        if not isinstance(entry, dict):
            continue
        lo, hi = found.get(f"/status_history/{i}/from"), found.get(f"/status_history/{i}/to")
        where = f"/status_history/{i}"
        if entry.get("from") is None and i > 0:
            out.append(
                Problem(
                    "status-history",
                    "only the first entry may have an open start (from: null)",
                    file,
                    label,
                    f"{where}/from",
                )
            )
        if entry.get("to") is None and i < len(history) - 1:
            out.append(
                Problem(
                    "status-history",
                    "only the last entry may have an open end (to: null)",
                    file,
                    label,
                    f"{where}/to",
                )
            )
        if lo and hi and not lo < hi:
            out.append(
                Problem(
                    "status-history",
                    f"from {entry['from']} is not before to {entry['to']}",
                    file,
                    label,
                    where,
                )
            )
        if lo and previous_end and lo < previous_end:
            out.append(
                Problem(
                    "status-history",
                    f"starts {entry['from']}, before the previous entry ends "
                    f"({previous_end}): entries must be ordered and not overlap",
                    file,
                    label,
                    f"{where}/from",
                )
            )
        previous_end = hi or previous_end
    if (
        as_of
        and history
        and props.get("status")
        and not any(p.code == "status-history" for p in out)
    ):
        try:
            expected = status_on(props, as_of)
        except (ValueError, KeyError, TypeError):
            return out
        if expected != props["status"]:
            out.append(
                Problem(
                    "status-mismatch",
                    f"status is {props['status']!r} but status_history gives "
                    f"{expected!r} on the dataset's as_of date {as_of}",
                    file,
                    label,
                    "/status",
                )
            )
    return out


def precision(inputs: Inputs) -> list[Problem]:
    """Check ``precision_m`` is null only with a null geometry (located features state it)."""
    out = []
    for layer in inputs.layers.values():
        for props, label, geom in zip(layer.props, layer.labels, layer.geoms, strict=True):
            if (
                geom is not None
                and not geom.is_empty
                and "precision_m" in props
                and props["precision_m"] is None
            ):
                out.append(
                    Problem(
                        "precision-null",
                        "precision_m is null but the feature has a geometry: "
                        "state its horizontal uncertainty in metres",
                        layer.file,
                        label,
                        "/precision_m",
                    )
                )
    return out
