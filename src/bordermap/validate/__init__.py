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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bordermap.datasets import bundled_path
from bordermap.errors import WARNING_CODES, Problem, UsageError, ValidationError
from bordermap.io.atomic import check_output_path
from bordermap.io.dataset import file_digest, filtered, load
from bordermap.io.fastjson import Observer
from bordermap.io.readers import BBox, Match, is_large_input
from bordermap.model import Dataset
from bordermap.validate import memo

if TYPE_CHECKING:
    from bordermap.validate.inputs import Inputs

__all__ = ["WARNINGS", "check", "errors", "load_valid", "validate"]

log = logging.getLogger(__name__)

#: Codes that are warnings: reported, but the dataset still counts as valid.
WARNINGS: frozenset[str] = WARNING_CODES  # the one list: bordermap.errors.CODES



def rules_in_order() -> tuple[Callable[[Inputs], list[Problem]], ...]:
    """The rules after the schema (:func:`rules.checked`), in the order their problems are listed.

    The rule modules are imported here, not with this package: a command whose dataset passed
    before (:mod:`bordermap.validate.memo`) never loads them.
    """
    from bordermap.validate import geometry, rules

    return (
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
    from bordermap.validate.inputs import from_dataset, from_directory, from_file

    if isinstance(target, Dataset):
        return from_dataset(target)
    if target is None:
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
    from bordermap.validate import rules

    inputs = _inputs(target)
    problems = list(inputs.problems)
    found, inputs = rules.checked(inputs)  # the later rules see only what the schema accepts
    problems += found
    for rule in rules_in_order():
        problems += rule(inputs)
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that are errors (not warnings)."""
    return [p for p in problems if p.code not in WARNINGS]


def check(target: Dataset | str | Path | None = None, *, remember: bool = False) -> None:
    """Raise :class:`~bordermap.errors.ValidationError` listing every error; log the warnings.

    Call it right after :func:`bordermap.load` to refuse invalid data with one clear message
    (:func:`load_valid` does both).

    Parameters
    ----------
    target
        A dataset, a path, or None for the bundled dataset.
    remember
        For a Dataset just returned by :func:`bordermap.load`: skip the rules when the files it
        read (its ``digests``), under these very rules, passed before, and record a pass
        (:mod:`bordermap.validate.memo`). A Dataset changed in memory after loading must be
        checked without it.

    Examples
    --------
    >>> import bordermap
    >>> check(bordermap.load())
    """
    digests = target.digests if remember and isinstance(target, Dataset) else {}
    if (known := memo.recall(digests)) is not None:
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
    memo.remember(digests, [str(w) for w in warnings])


def load_valid(
    path: str | Path | None = None,
    bbox: BBox | None = None,
    match: Match | None = None,
    *,
    plain_ok: bool = False,
    outputs: tuple[Path | None, ...] = (),
    on_geometries: Observer | None = None,
) -> Dataset:
    """Load a dataset and refuse it unless it passes :func:`validate`: the gate of every command.

    Every command that computes on a dataset reads it through here, so none of them computes on
    data that ``bordermap validate`` rejects: they refuse it with the same problems (a
    :class:`~bordermap.errors.DataError`, exit status 1). Passes are remembered
    (:mod:`bordermap.validate.memo`). ``bbox`` and ``match`` filter the dataset after it was
    checked whole (large files: the part read, see :func:`bordermap.load`).

    Parameters
    ----------
    plain_ok
        For commands that also take plain features (``measure``): a single file of plain
        features (GeoJSON, GeoParquet, FlatGeobuf, GeoPackage) is held to the reading rules only
        (RFC 7946 structure, finite numbers, coordinates in range…), not to the data model's.
        Dataset directories, and single GeoJSON files that say they are a bordermap dataset (a
        top-level ``bordermap`` member: :attr:`~bordermap.model.Dataset.model_file`), are
        always validated.
    outputs
        Files the command will write (None: not asked for), checked before anything is read
        (:func:`bordermap.io.atomic.check_output_path`): a bad ``-o`` costs no work.
    on_geometries
        Called with each batch of geometries as a large GeoJSON file is parsed, before this
        returns (:func:`bordermap.io.readers.read_frame`): lets a command start on them early.
        If the dataset is then refused, the error is raised here as usual and the observer's
        work is for the caller to drop.

    Examples
    --------
    >>> load_valid("tests/data/mini").meta["id"]
    'mini'
    """
    target = bundled_path() if path is None else Path(path)
    for output in outputs:
        if output is not None:
            check_output_path(output, inputs=(target,))
    large = target.is_file() and is_large_input(target)
    dataset = load(target, bbox, match, on_geometries) if large else load(target)
    if not (plain_ok and target.is_file() and not dataset.model_file):
        if large:  # read by GDAL or pyarrow, not by the JSON reader that takes digests on the way
            dataset.digests[str(target)] = file_digest(target)
        check(dataset, remember=True)
    return dataset if large else filtered(dataset, bbox, match)
