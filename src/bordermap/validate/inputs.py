"""What the validator checks: a dataset's files read leniently, or an in-memory Dataset.

Reading for validation differs from :func:`bordermap.load` in one way: a fault in one feature
does not stop the reading. Each fault becomes a :class:`~bordermap.errors.Problem` and the feature
is kept with a null geometry, so that every other rule still runs and every problem is reported
at once. The per-feature and per-geometry rules are those of :mod:`bordermap.io.geojson`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import shape

from bordermap.errors import DataError, Problem
from bordermap.io.dataset import FIGURES_FILE, META_FILE, SOURCES_FILE, SWAPS_FILE, from_collection
from bordermap.io.geojson import (
    feature_collection,
    feature_label,
    feature_properties,
    frame_properties,
    geometry_problems,
    read_json,
)
from bordermap.model import LAYERS, Dataset


@dataclass
class Layer:
    """One layer's features: properties as written, labels for messages, shapely geometries."""

    name: str
    file: str
    props: list[dict[str, Any]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    geoms: list[Any] = field(default_factory=list)
    #: GeoJSON geometry type as written (None for in-memory data), to flag non-standard types.
    raw_types: list[str | None] = field(default_factory=list)

    def geometry_array(self) -> NDArray[np.object_]:
        """The geometries as a numpy object array (None where null)."""
        out = np.empty(len(self.geoms), dtype=object)
        out[:] = self.geoms
        return out


@dataclass
class Inputs:
    """Everything the rules look at, and the problems found while reading it."""

    meta: dict[str, Any]
    meta_file: str
    layers: dict[str, Layer]
    sources: list[Any] | None  # None: no registry (single GeoJSON file), source ids not checked
    sources_file: str
    figures: list[Any]
    figures_file: str
    problems: list[Problem] = field(default_factory=list)
    swaps: list[Any] = field(default_factory=list)
    swaps_file: str = SWAPS_FILE


def _problem(exc: DataError, file: str) -> Problem:
    """A reading error as a Problem, without the file name the message starts with."""
    message = str(exc)
    for prefix in (f"{file}: ", f"{file} "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return Problem(exc.code or "unreadable", message, file)


def _read(path: Path, problems: list[Problem]) -> Any:
    try:
        return read_json(path)
    except DataError as exc:
        problems.append(_problem(exc, str(path)))
        return None


def _layer(name: str, file: str, features: list[Any], problems: list[Problem]) -> Layer:
    layer = Layer(name, file)
    path = Path(file)
    for index, feature in enumerate(features):
        try:
            props = feature_properties(feature, index, path)
        except DataError as exc:
            prop = "/properties" if exc.code == "properties-not-object" else ""
            problems.append(
                Problem(exc.code, str(exc).rsplit(": ", 1)[-1], file, f"#{index}", prop)
            )
            continue
        label = feature_label(props, index)
        raw = feature.get("geometry")
        faults = geometry_problems(raw)
        for pointer, code, message in faults:
            problems.append(Problem(code, message, file, label, pointer))
        geom = None
        if raw is not None and not faults:
            try:
                geom = shape(raw)
            except Exception as exc:  # shapely raises several types for malformed coordinates
                problems.append(
                    Problem(
                        "geometry-coordinates", f"cannot be read ({exc})", file, label, "/geometry"
                    )
                )
        layer.props.append(props)
        layer.labels.append(label)
        layer.geoms.append(geom)
        layer.raw_types.append(raw.get("type") if isinstance(raw, dict) else None)
    return layer


def _features(obj: Any, file: str, problems: list[Problem]) -> list[Any] | None:
    if obj is None:
        return None
    try:
        return feature_collection(obj, Path(file))
    except DataError as exc:
        problems.append(_problem(exc, file))
        return None


def _registry(path: Path, problems: list[Problem]) -> list[Any]:
    if not path.is_file():
        return []
    data = _read(path, problems)
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem("schema", "expected a JSON array of records", str(path)))
        return []
    return data


def from_directory(root: Path) -> Inputs:
    """Read a dataset directory for validation."""
    problems: list[Problem] = []
    meta_path = root / META_FILE
    meta: Any = {}
    if meta_path.is_file():
        meta = _read(meta_path, problems)
        if meta is not None and not isinstance(meta, dict):
            problems.append(Problem("schema", "expected a JSON object", str(meta_path)))
    else:
        problems.append(
            Problem("missing-file", f"{META_FILE} is missing: not a bordermap dataset", str(root))
        )
    layers = {}
    for name in LAYERS:
        path = root / f"{name}.geojson"
        if path.is_file():
            features = _features(_read(path, problems), str(path), problems)
            if features is not None:
                layers[name] = _layer(name, str(path), features, problems)
    return Inputs(
        meta=meta if isinstance(meta, dict) else {},
        # No dataset.json: one missing-file problem, not a missing-property per required member.
        meta_file=str(meta_path) if meta_path.is_file() else str(root),
        layers=layers,
        sources=_registry(root / SOURCES_FILE, problems),
        sources_file=str(root / SOURCES_FILE),
        figures=_registry(root / FIGURES_FILE, problems),
        figures_file=str(root / FIGURES_FILE),
        problems=problems,
        swaps=_registry(root / SWAPS_FILE, problems),
        swaps_file=str(root / SWAPS_FILE),
    )


def from_file(path: Path) -> Inputs:
    """Read a single GeoJSON file (layers grouped by the ``layer`` property) for validation."""
    problems: list[Problem] = []
    file = str(path)
    obj = _read(path, problems)
    features = _features(obj, file, problems)
    empty = Inputs({}, file, {}, None, file, [], file, problems)
    if features is None:
        return empty
    whole = _layer("boundary", file, features, problems)
    # Metadata (pair, countries, depictions) as bordermap.load infers it, from the readable part.
    readable = [
        {"type": "Feature", "properties": p, "geometry": shapely.geometry.mapping(g) if g else None}
        for p, g in zip(whole.props, whole.geoms, strict=True)
    ]
    try:
        meta = from_collection({**obj, "features": readable}, path).meta
    except DataError as exc:
        problems.append(_problem(exc, file))
        return empty
    layers: dict[str, Layer] = {}
    for props, label, geom, raw in zip(
        whole.props, whole.labels, whole.geoms, whole.raw_types, strict=True
    ):
        name = props.get("layer") or "boundary"
        layer = layers.setdefault(str(name), Layer(str(name), file))
        layer.props.append({k: v for k, v in props.items() if k != "layer"})
        layer.labels.append(label)
        layer.geoms.append(geom)
        layer.raw_types.append(raw)
    return Inputs(meta, file, layers, None, file, [], file, problems)


def from_dataset(dataset: Dataset) -> Inputs:
    """Wrap an in-memory Dataset (a null property counts as absent there)."""
    root = dataset.path
    base = root if root is not None and root.is_dir() else None

    def name(file: str) -> str:
        if base is not None:
            return str(base / file)
        return str(root) if root is not None else "<dataset>"

    layers = {}
    for layer_name, frame in dataset.layers.items():
        props = frame_properties(frame)
        layers[layer_name] = Layer(
            layer_name,
            name(f"{layer_name}.geojson"),
            props,
            [feature_label(p, i) for i, p in enumerate(props)],
            list(frame.geometry.values),
            [None] * len(props),
        )
    has_registry = base is not None or bool(dataset.sources)
    return Inputs(
        meta=dict(dataset.meta),
        meta_file=name(META_FILE),
        layers=layers,
        sources=list(dataset.sources.values()) if has_registry else None,
        sources_file=name(SOURCES_FILE),
        figures=list(dataset.figures),
        figures_file=name(FIGURES_FILE),
        swaps=list(dataset.swaps),
        swaps_file=name(SWAPS_FILE),
    )
