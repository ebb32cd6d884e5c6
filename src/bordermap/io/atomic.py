"""Atomic file writes: a failed or interrupted write never leaves a partial file.

Output is written to a temporary file in the destination directory and renamed over the target
only once it is complete, so an earlier file at that path stays intact until then.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bordermap.errors import DataError, UsageError


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
    if target.exists() and not target.is_file():
        # A FIFO, device or socket: renaming over it would replace /dev/null by a file.
        raise UsageError(f"{path}: not a regular file (a device, FIFO or socket); name a file")
    return target


#: errno values that mean the output cannot be written (disk full, quota, read-only, immutable).
_WRITE_ERRORS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EPERM, errno.EACCES, errno.EIO}
)


def _temporary(target: Path) -> Path:
    """A hidden temporary name next to ``target``, never longer than the name allows.

    It keeps a short suffix (writers such as GDAL pick the format by it) and a prefix of the
    stem, so a legal 255-byte output name still has a legal temporary name.
    """
    suffix = target.suffix if len(target.suffix.encode("utf-8", "surrogateescape")) <= 16 else ""
    stem = target.stem.encode("utf-8", "surrogateescape")[:32].decode("utf-8", "ignore")
    return target.with_name(f".{stem}.{secrets.token_hex(4)}.part{suffix}")


#: Temporary files being written, removed if the process is told to terminate.
_LIVE: set[Path] = set()


def _on_sigterm(signum: int, frame: Any) -> None:
    for tmp in list(_LIVE):
        with contextlib.suppress(OSError):
            tmp.unlink()
    raise SystemExit(128 + signum)


def _guard_sigterm(on: bool) -> None:
    """While temporary files exist, SIGTERM removes them and exits (the default leaves them).

    Only replaces the default handler, only in the main thread, and restores it afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    with contextlib.suppress(ValueError, OSError):
        current = signal.getsignal(signal.SIGTERM)
        if on and current == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _on_sigterm)
        elif not on and current is _on_sigterm and not _LIVE:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


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
    tmp = _temporary(target)
    _LIVE.add(tmp)
    _guard_sigterm(True)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            raise
        raise DataError(f"{path}: cannot write ({exc.strerror or exc})", code="cannot-write") from exc
    finally:
        _LIVE.discard(tmp)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        _guard_sigterm(False)


def write_text(path: Path, text: str, inputs: tuple[Path, ...] = ()) -> Path:
    """Write a text file atomically (UTF-8) and return its resolved path."""
    with atomic_path(path, inputs) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path).resolve()
