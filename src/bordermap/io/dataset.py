"""Load and save whole datasets: a directory of layers, or a single GeoJSON file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import geopandas as gpd

from bordermap.datasets import bundled_path
from bordermap.errors import DataError, UsageError
from bordermap.io.atomic import write_text
from bordermap.io.fastjson import DatasetDocument, Observer
from bordermap.io.geojson import (
    feature_collection,
    feature_label,
    features_to_frame,
    read_json,
    read_layer,
    write_layer,
)
from bordermap.io.readers import BBox, Match, filter_frame, is_large_input, read_frame
from bordermap.model import LAYERS, Dataset

META_FILE = "dataset.json"
SOURCES_FILE = "sources.json"
FIGURES_FILE = "figures.json"
SWAPS_FILE = "swaps.json"


def load(
    path: str | Path | None = None,
    bbox: BBox | None = None,
    match: Match | None = None,
    on_geometries: Observer | None = None,
) -> Dataset:
    """Load a dataset.

    Parameters
    ----------
    path
        A dataset directory, a single GeoJSON file that follows the data model, a GeoParquet,
        FlatGeobuf or GeoPackage file or a large GeoJSON file (read by
        :mod:`bordermap.io.readers`), or None for the bundled Kyrgyzstan–Tajikistan dataset.
    bbox, match
        Keep only features that meet ``(west, south, east, north)`` and whose field
        ``match[0]`` is one of ``match[1]`` (pushed down to the reader for large files; applied
        to the layers that have the field otherwise).
    on_geometries
        For a large GeoJSON file parsed now: called with each batch of geometries as they are
        built (:func:`bordermap.io.readers.read_frame`); ignored otherwise.

    Returns
    -------
    Dataset

    Examples
    --------
    >>> ds = load()
    >>> ds.meta["id"], len(ds.layer("boundary")) > 0
    ('kg-tj', True)
    """
    target = bundled_path() if path is None else Path(path)
    if target.is_file() and is_large_input(target):
        try:
            return from_frame(read_frame(target, bbox, match, on_geometries), {}, target)
        except DatasetDocument:
            pass  # a dataset file, however large: read and validated as one, below
    if target.is_dir():
        dataset = _load_directory(target)
    elif target.is_file():
        dataset = _load_file(target)
    else:
        raise UsageError(f"{target}: no such file or directory")
    return filtered(dataset, bbox, match)


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks (memory stays bounded)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})", code="unreadable") from exc
    return digest.hexdigest()


def filtered(dataset: Dataset, bbox: BBox | None = None, match: Match | None = None) -> Dataset:
    """Keep only the features that meet ``bbox`` and ``match`` (see :func:`load`), in place."""
    target = dataset.path
    if bbox is None and match is None:
        return dataset
    if match is not None and all(match[0] not in f.columns for f in dataset.layers.values()):
        raise UsageError(f"{target}: --filter: no layer has a field {match[0]!r}")
    for name, frame in dataset.layers.items():
        has_field = match is not None and match[0] in frame.columns
        dataset.layers[name] = filter_frame(frame, bbox, match if has_field else None)
    return dataset


def _registry(path: Path, keyed: bool, digests: dict[str, str]) -> Any:
    if not path.is_file():
        return {} if keyed else []
    data = read_json(path, digests)
    if not isinstance(data, list):
        raise DataError(f"{path}: expected a JSON array of records")
    if not keyed:
        return data
    out: dict[str, Any] = {}
    for index, record in enumerate(data):
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            raise DataError(f"{path}:#{index} /id: every record needs a string id")
        out[record["id"]] = record
    return out


def _load_directory(root: Path) -> Dataset:
    meta_path = root / META_FILE
    if not meta_path.is_file():
        found = [p.name for p in root.glob("*.geojson")]
        hint = f" (it has {', '.join(sorted(found))})" if found else ""
        raise DataError(f"{root}: not a bordermap dataset: {META_FILE} is missing{hint}", code="missing-file")
    digests: dict[str, str] = {}
    meta = read_json(meta_path, digests)
    if not isinstance(meta, dict):
        raise DataError(f"{meta_path}: expected a JSON object")
    layers = {
        name: read_layer(root / f"{name}.geojson", digests)
        for name in LAYERS
        if (root / f"{name}.geojson").is_file()
    }
    return Dataset(
        meta=meta,
        layers=layers,
        sources=_registry(root / SOURCES_FILE, True, digests),
        figures=_registry(root / FIGURES_FILE, False, digests),
        path=root,
        swaps=_registry(root / SWAPS_FILE, False, digests),
        digests=digests,
    )


def _load_file(path: Path) -> Dataset:
    digests: dict[str, str] = {}
    dataset = from_collection(read_json(path, digests), path)
    dataset.digests = digests
    return dataset


def from_collection(obj: Any, path: Path) -> Dataset:
    """A dataset from one parsed GeoJSON FeatureCollection (the single-file form).

    Features are grouped into layers by their ``layer`` property (default ``boundary``); the
    optional top-level ``bordermap`` member holds ``dataset.json``'s content; pair, countries
    and depictions missing from it are inferred from the boundary features.
    """
    frame = features_to_frame(feature_collection(obj, path), path)
    member = obj.get("bordermap") if isinstance(obj, dict) else None
    if member is not None and not isinstance(member, dict):
        raise DataError(
            f"{path} /bordermap: must be an object (what dataset.json holds), not {type(member).__name__}",
            code="schema",
        )
    dataset = from_frame(frame, dict(member or {}), path)
    dataset.model_file = member is not None
    return dataset


def from_frame(frame: gpd.GeoDataFrame, meta: dict[str, Any], path: Path) -> Dataset:
    """Make a dataset of one file's features, grouped into layers (see :func:`from_collection`)."""
    if "layer" not in frame.columns:
        frame["layer"] = "boundary"
    frame["layer"] = frame["layer"].fillna("boundary")
    named = frame["layer"].map(lambda v: isinstance(v, str))
    if not named.all():
        index = int(named.to_numpy().argmin())
        label = feature_label(frame.iloc[index].to_dict(), index)
        raise DataError(
            f"{path}:{label} /layer: must name a layer (a string such as 'areas'), "
            f"not {json.dumps(frame['layer'].iloc[index], default=str)[:40]}",
            code="unknown-layer",
        )
    layers = {str(name): part.drop(columns="layer").reset_index(drop=True) for name, part in frame.groupby("layer")}
    meta.setdefault("id", path.stem)
    meta.setdefault("title", path.stem)
    _infer_meta(meta, layers)
    return Dataset(meta=meta, layers=layers, path=path)


def _infer_meta(meta: dict[str, Any], layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Fill what a bare GeoJSON file does not say: pair, countries and depictions."""
    boundary = layers.get("boundary")
    codes: list[str] = []
    if boundary is not None and "sides" in boundary.columns:
        for sides in boundary["sides"].dropna():
            if isinstance(sides, list):  # anything else is the schema's to report
                codes += [c for c in sides if isinstance(c, str) and c not in codes]
    if "pair" not in meta and len(codes) >= 2:
        meta["pair"] = codes[:2]
    meta.setdefault("countries", {c: {"name": c} for c in codes})
    if "depictions" not in meta:
        names = []
        if boundary is not None and "depiction" in boundary.columns:
            names = list(dict.fromkeys(d for d in boundary["depiction"] if isinstance(d, str)))
        meta["depictions"] = [{"id": d, "title": d} for d in (names or ["input"])]
        if boundary is not None and "depiction" not in boundary.columns:
            boundary["depiction"] = "input"


def save(dataset: Dataset, root: str | Path) -> Path:
    """Write a dataset as a directory of layers and registries (each file atomically).

    The swap ledger (``swaps.json``) is written when the dataset has one.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    write_text(root / META_FILE, json.dumps(dataset.meta, ensure_ascii=False, indent=2) + "\n")
    for name, frame in dataset.layers.items():
        write_layer(frame, root / f"{name}.geojson")
    write_text(root / SOURCES_FILE, dump_records(list(dataset.sources.values())))
    write_text(root / FIGURES_FILE, dump_records(dataset.figures))
    if dataset.swaps:
        write_text(root / SWAPS_FILE, dump_records(dataset.swaps))
    return root


def dump_records(records: list[dict[str, Any]]) -> str:
    """A registry as JSON text: one record per line (diffs stay readable)."""
    body = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in records)
    return f"[\n{body}\n]\n" if records else "[]\n"
