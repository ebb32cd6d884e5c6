"""The ``bordermap`` command group.

Commands live one per module in this package and are imported only when run, so that
``bordermap --help`` and a single command start fast. To add a command, add its module to
``COMMANDS``; the module defines a click command with the same name as the module.
Errors a user can cause are :class:`bordermap.errors.BordermapError`: they are shown as one clear
message with exit status 1 (invalid data) or 2 (usage), with a traceback only under ``--debug``.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Any

import click

from bordermap import __version__
from bordermap.errors import BordermapError
from bordermap.io.textsafe import terminal_safe

#: Command name → module in ``bordermap.cli`` (the module's attribute of the same name).
COMMANDS: dict[str, str] = {
    "atlas": "atlas",
    "check": "check",
    "diverge": "diverge",
    "export": "export",
    "import": "import_",
    "info": "info",
    "init": "init",
    "map": "map",
    "measure": "measure",
    "render": "render",
    "report": "report",
    "scale": "scale",
    "validate": "validate",
    "world": "world",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Names of all commands, sorted, without importing their modules."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the command ``cmd_name``, or None if there is no such command."""
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command: click.Command = getattr(importlib.import_module(f"bordermap.cli.{module}"), module.replace("-", "_"))
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a :class:`BordermapError` becomes a message and its exit status."""
        try:
            return super().invoke(ctx)
        except BordermapError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {terminal_safe(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # disk full, a file vanished or locked mid-run: no traceback
            if ctx.obj and ctx.obj.get("debug"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"Error: {terminal_safe(where + (exc.strerror or str(exc)))}", err=True)
            ctx.exit(1)


class TerminalSafeFormatter(logging.Formatter):
    """Log lines quote data (ids, names, GDAL remarks): show its control characters as escapes."""

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record with terminal control sequences made visible."""
        return terminal_safe(super().format(record))


def configure_logging(verbosity: int) -> None:
    """Map -v/-q counts to logging levels (WARNING by default), as fio and rio do."""
    level = max(logging.DEBUG, logging.WARNING - 10 * verbosity)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TerminalSafeFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", "verbose", count=True, help="More log output (repeatable).")
@click.option("-q", "--quiet", "quiet", count=True, help="Less log output (repeatable).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.version_option(__version__, prog_name="bordermap")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: int, debug: bool) -> None:
    """Map disputed borders, measure them and check the figures quoted about them.

    Every command reads the bundled Kyrgyzstan–Tajikistan dataset unless given a PATH: a dataset
    directory or a GeoJSON file that follows the data model (docs/data-model.md).
    """
    configure_logging(verbose - quiet)
    ctx.obj = {"debug": debug, "verbosity": verbose - quiet}
