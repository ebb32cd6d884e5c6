"""Atomic file writes: a failed or interrupted write never leaves a partial file.

Output is written to a temporary file in the destination directory and renamed over the target
only once it is complete, so an earlier file at that path stays intact until then.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from bordermap.errors import UsageError


def check_output_path(path: Path, inputs: tuple[Path, ...] = ()) -> Path:
    """Refuse outputs that cannot be written or that would overwrite an input.

    Parameters
    ----------
    path
        The output path.
    inputs
        Paths of the inputs; the output must be none of them.

    Returns
    -------
    Path
        The output path, resolved.
    """
    target = Path(path).expanduser().resolve()
    for source in inputs:
        source = Path(source).expanduser().resolve()
        if target == source or (source.is_dir() and source in target.parents):
            raise UsageError(f"{path}: output would overwrite the input {source}")
    parent = target.parent
    if not parent.is_dir():
        raise UsageError(f"{path}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{path}: directory {parent} is not writable")
    if target.is_dir():
        raise UsageError(f"{path}: is a directory")
    return target


@contextlib.contextmanager
def atomic_path(path: Path, inputs: tuple[Path, ...] = ()) -> Iterator[Path]:
    """Yield a temporary path to write to; rename it onto ``path`` on success.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("hello")
    >>> (d / "a.txt").read_text()
    'hello'
    """
    target = check_output_path(path, inputs)
    # The temporary name keeps the target's suffix: writers such as GDAL pick a format by it.
    tmp = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.part{target.suffix}")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text(path: Path, text: str, inputs: tuple[Path, ...] = ()) -> Path:
    """Write a text file atomically (UTF-8) and return its resolved path."""
    with atomic_path(path, inputs) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path).resolve()
