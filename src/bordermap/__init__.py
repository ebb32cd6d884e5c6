"""bordermap: map disputed borders, measure them and check the figures quoted about them.

The public API is small: load a dataset, validate it, measure it, draw it.

>>> import bordermap
>>> ds = bordermap.load()
>>> ds.meta["pair"]
['KG', 'TJ']
"""

from __future__ import annotations

__version__ = "0.1.0"

from bordermap.datasets import bundled_path
from bordermap.io.dataset import load
from bordermap.model import Dataset

__all__ = ["Dataset", "__version__", "bundled_path", "load"]
