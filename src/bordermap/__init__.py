"""bordermap: map disputed borders, measure them and check the figures quoted about them.

The public API is small: load a dataset, validate it, measure it, draw it.

>>> import bordermap
>>> ds = bordermap.load()
>>> ds.meta["pair"]
['KG', 'TJ']
"""

from __future__ import annotations

__version__ = "0.1.0"

from bordermap import settings

settings.prefer_system_allocator()  # before anything loads pyarrow

from bordermap.datasets import bundled_path  # noqa: E402
from bordermap.io.dataset import load  # noqa: E402
from bordermap.model import Dataset  # noqa: E402

__all__ = ["Dataset", "__version__", "bundled_path", "load"]
