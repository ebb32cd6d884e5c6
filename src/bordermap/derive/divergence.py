"""Build step: the ``divergence`` layer, between the default depiction and each other one.

Faces narrower than the coarser depiction's stated precision (``precision_m``) are dropped: a
difference smaller than what either line claims to be accurate to is noise, not a divergence.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from bordermap.diverge import divergence
from bordermap.model import CRS, Dataset, empty_layer


def build_divergence(layers: dict[str, gpd.GeoDataFrame], meta: dict[str, Any]) -> gpd.GeoDataFrame:
    """The divergence layer of a dataset under construction.

    Parameters
    ----------
    layers
        Layer name → GeoDataFrame (at least ``boundary``, with each depiction's main line).
    meta
        The dataset's metadata (``dataset.json``): depictions, default depiction.

    Returns
    -------
    GeoDataFrame
        Divergence polygons of (default, other) for every other depiction, in data-model form.

    Examples
    --------
    >>> import bordermap
    >>> ds = bordermap.load("tests/data/mini")
    >>> layer = build_divergence(ds.layers, ds.meta)
    >>> layer["id"].tolist(), layer["assigned_by"].iloc[0]
    (['divergence_alpha_beta_000'], {'alpha': 'TJ', 'beta': 'KG'})
    """
    dataset = Dataset(meta=meta, layers=layers)
    default = dataset.default_depiction
    frames = []
    for other in dataset.depictions:
        if other == default:
            continue
        precision = max(
            float(dataset.depiction(d).get("precision_m") or 0.0) for d in (default, other)
        )
        frames.append(divergence(dataset, default, other, min_offset_m=precision))
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_layer()
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS)
