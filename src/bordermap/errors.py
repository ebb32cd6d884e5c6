"""Exceptions raised by bordermap.

Every error a user can see is a :class:`BordermapError`. The CLI turns them into a message and an
exit status (1 for invalid data, 2 for usage errors) and prints a traceback only with ``--debug``.
"""

from __future__ import annotations

from dataclasses import dataclass


class BordermapError(Exception):
    """Base class of every error bordermap reports to a user."""

    exit_code = 1
    #: Stable name of the broken rule (docs/errors.md), or "" when no rule applies.
    code = ""

    def __init__(self, message: str = "", code: str = "") -> None:
        super().__init__(message)
        if code:
            self.code = code


class DataError(BordermapError):
    """Input data cannot be read or used (exit status 1)."""


class UsageError(BordermapError):
    """The request itself is wrong: bad option value, unwritable output path (exit status 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One problem found in a dataset.

    Parameters
    ----------
    code
        Stable machine-readable name of the rule, e.g. ``"unknown-country"``.
    message
        What is wrong, in words.
    file
        The file the problem is in.
    feature
        The feature id, or ``#index`` when the feature has no usable id.
    prop
        The property (JSON Pointer style, e.g. ``/sides/1``) the problem is about.
    """

    code: str
    message: str
    file: str = ""
    feature: str = ""
    prop: str = ""

    def __str__(self) -> str:
        where = ":".join(p for p in (self.file, self.feature) if p)
        prop = f" {self.prop}" if self.prop else ""
        return f"{where}{prop}: {self.message} [{self.code}]" if where else f"{self.message} [{self.code}]"


class ValidationError(DataError):
    """A dataset breaks one or more rules; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) found:\n{lines}")
