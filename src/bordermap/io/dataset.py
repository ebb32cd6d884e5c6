"""Load and save whole datasets: a directory of layers, or a single GeoJSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from bordermap.datasets import bundled_path
from bordermap.errors import DataError, UsageError
from bordermap.io.atomic import write_text
from bordermap.io.geojson import feature_collection, features_to_frame, read_json, read_layer, write_layer
from bordermap.io.readers import BBox, Match, filter_frame, is_large_input, read_frame
from bordermap.model import LAYERS, Dataset

META_FILE = "dataset.json"
SOURCES_FILE = "sources.json"
FIGURES_FILE = "figures.json"
SWAPS_FILE = "swaps.json"


def load(
    path: str | Path | None = None, bbox: BBox | None = None, match: Match | None = None
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
        return from_frame(read_frame(target, bbox, match), {}, target)
    if target.is_dir():
        dataset = _load_directory(target)
    elif target.is_file():
        dataset = _load_file(target)
    else:
        raise UsageError(f"{target}: no such file or directory")
    if bbox is None and match is None:
        return dataset
    if match is not None and all(match[0] not in f.columns for f in dataset.layers.values()):
        raise UsageError(f"{target}: --filter: no layer has a field {match[0]!r}")
    for name, frame in dataset.layers.items():
        has_field = match is not None and match[0] in frame.columns
        dataset.layers[name] = filter_frame(frame, bbox, match if has_field else None)
    return dataset


def _registry(path: Path, keyed: bool) -> Any:
    if not path.is_file():
        return {} if keyed else []
    data = read_json(path)
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
        layers = [p.name for p in root.glob("*.geojson")]
        hint = f" (it has {', '.join(sorted(layers))})" if layers else ""
        raise DataError(f"{root}: not a bordermap dataset: {META_FILE} is missing{hint}")
    meta = read_json(meta_path)
    if not isinstance(meta, dict):
        raise DataError(f"{meta_path}: expected a JSON object")
    layers = {name: read_layer(root / f"{name}.geojson") for name in LAYERS if (root / f"{name}.geojson").is_file()}
    return Dataset(
        meta=meta,
        layers=layers,
        sources=_registry(root / SOURCES_FILE, keyed=True),
        figures=_registry(root / FIGURES_FILE, keyed=False),
        path=root,
        swaps=_registry(root / SWAPS_FILE, keyed=False),
    )


def _load_file(path: Path) -> Dataset:
    return from_collection(read_json(path), path)


def from_collection(obj: Any, path: Path) -> Dataset:
    """A dataset from one parsed GeoJSON FeatureCollection (the single-file form).

    Features are grouped into layers by their ``layer`` property (default ``boundary``); the
    optional top-level ``bordermap`` member holds ``dataset.json``'s content; pair, countries
    and depictions missing from it are inferred from the boundary features.
    """
    frame = features_to_frame(feature_collection(obj, path), path)
    meta = dict(obj.get("bordermap") or {}) if isinstance(obj, dict) else {}
    return from_frame(frame, meta, path)


def from_frame(frame: gpd.GeoDataFrame, meta: dict[str, Any], path: Path) -> Dataset:
    """Make a dataset of one file's features, grouped into layers (see :func:`from_collection`)."""
    if "layer" not in frame.columns:
        frame["layer"] = "boundary"
    frame["layer"] = frame["layer"].fillna("boundary")
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
            codes += [c for c in sides if isinstance(c, str) and c not in codes]
    if "pair" not in meta and len(codes) >= 2:
        meta["pair"] = codes[:2]
    meta.setdefault("countries", {c: {"name": c} for c in codes})
    if "depictions" not in meta:
        names = []
        if boundary is not None and "depiction" in boundary.columns:
            names = [str(d) for d in pd.unique(boundary["depiction"].dropna())]
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
    write_text(root / SOURCES_FILE, _dump_records(list(dataset.sources.values())))
    write_text(root / FIGURES_FILE, _dump_records(dataset.figures))
    if dataset.swaps:
        write_text(root / SWAPS_FILE, _dump_records(dataset.swaps))
    return root


def _dump_records(records: list[dict[str, Any]]) -> str:
    body = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in records)
    return f"[\n{body}\n]\n" if records else "[]\n"
