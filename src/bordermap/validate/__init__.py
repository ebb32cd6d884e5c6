"""Validate a dataset: every rule of docs/data-model.md, all problems collected at once.

:func:`validate` returns the list of :class:`~bordermap.errors.Problem` found (errors and
warnings); :func:`check` raises one :class:`~bordermap.errors.ValidationError` listing every
error, and logs the warnings. Each problem names the file, the feature (id or ``#index``), the
property (JSON Pointer) and a stable code; docs/errors.md lists the codes.

Rules: schema (the JSON Schemas in ``bordermap/schema``), GeoJSON structure and RFC 7946
(read by :mod:`bordermap.io.geojson`), geometry types and validity, coordinate order, unique ids,
references (sources, depictions, enclaves, places), ISO 3166-1 country codes, dates, and
topology per depiction.

Examples
--------
>>> import bordermap
>>> from bordermap.validate import validate
>>> [p.code for p in validate(bordermap.load()) if p.code not in WARNINGS]
[]
"""

from __future__ import annotations

import logging
from pathlib import Path

from bordermap.errors import Problem, UsageError, ValidationError
from bordermap.model import Dataset
from bordermap.validate import geometry, memo, rules
from bordermap.validate.inputs import Inputs, from_dataset, from_directory, from_file

__all__ = ["WARNINGS", "check", "errors", "validate"]

log = logging.getLogger(__name__)

#: Codes that are warnings: reported, but the dataset still counts as valid.
WARNINGS: frozenset[str] = frozenset(
    {
        "ring-orientation",
        "nonstandard-geometry-type",
        "line-not-simple",
        "status-mismatch",
    }
)

#: The rules, in the order their problems are listed.
RULES = (
    rules.schema,
    geometry.types,
    geometry.validity,
    geometry.coordinate_order,
    rules.ids,
    rules.references,
    rules.countries,
    rules.dates,
    rules.precision,
    geometry.topology,
)


def _inputs(target: Dataset | str | Path | None) -> Inputs:
    if isinstance(target, Dataset):
        return from_dataset(target)
    if target is None:
        from bordermap.datasets import bundled_path

        target = bundled_path()
    path = Path(target)
    if path.is_dir():
        return from_directory(path)
    if path.is_file():
        return from_file(path)
    raise UsageError(f"{path}: no such file or directory")


def validate(target: Dataset | str | Path | None = None) -> list[Problem]:
    """Check a dataset against every rule and return all problems found (errors and warnings).

    Parameters
    ----------
    target
        A loaded :class:`~bordermap.model.Dataset`, a dataset directory, a single GeoJSON file,
        or None for the bundled dataset. Files are read leniently, so that one broken feature does
        not hide the problems of the others; a Dataset counts a null property as absent.

    Returns
    -------
    list of Problem
        Empty when the dataset is valid. Codes in :data:`WARNINGS` are warnings.
    """
    inputs = _inputs(target)
    problems = list(inputs.problems)
    for rule in RULES:
        problems += rule(inputs)
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that are errors (not warnings)."""
    return [p for p in problems if p.code not in WARNINGS]


def check(target: Dataset | str | Path | None = None, *, remember: bool = False) -> None:
    """Raise :class:`~bordermap.errors.ValidationError` listing every error; log the warnings.

    Call it right after :func:`bordermap.load` to refuse invalid data with one clear message.

    Parameters
    ----------
    target
        A dataset, a path, or None for the bundled dataset.
    remember
        Skip the rules when these very files, under these very rules, passed before, and record
        a pass (:mod:`bordermap.validate.memo`). Only for data as read from disk: a Dataset
        changed in memory after loading must be checked without it.

    Examples
    --------
    >>> import bordermap
    >>> check(bordermap.load())
    """
    path = _source_path(target) if remember else None
    if path is not None and (known := memo.recall(path)) is not None:
        for line in known:
            log.warning("%s", line)
        return
    problems = validate(target)
    warnings = [p for p in problems if p.code in WARNINGS]
    for problem in warnings:
        log.warning("%s", problem)
    found = errors(problems)
    if found:
        raise ValidationError(found)
    if path is not None:
        memo.remember(path, [str(w) for w in warnings])


def _source_path(target: Dataset | str | Path | None) -> Path | None:
    if isinstance(target, Dataset):
        return target.path
    if target is None:
        from bordermap.datasets import bundled_path

        return bundled_path()
    return Path(target)
