"""What every command group shares: texts, the parser classes, options and output helpers.

A command group is a module of this package with a ``register(commands)`` function; it
is listed once in :data:`spm_core.cli._registry.COMMAND_GROUPS`. It builds its
sub-parser with :meth:`Commands.add`, reads the plugin manager, database URL and console
from the helpers here, and raises :class:`~spm_core.errors.SpmError` (or
:class:`UsageError`) for ``main`` to report.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any, NoReturn

from rich.console import Console

from spm_core.domain.text import Text
from spm_core.plugins import SpmPluginManager, make_plugin_manager

__all__ = [
    "DEFAULT_DB_URL",
    "LANGS",
    "Commands",
    "Formatter",
    "Handler",
    "Parser",
    "UsageError",
    "add_globals",
    "allow_list",
    "cell",
    "console",
    "db_url",
    "lang_of",
    "plugin_manager",
    "print_json",
    "t",
    "translate",
]

DEFAULT_DB_URL = "sqlite:///spm.db"
"""The database used when neither ``--db`` nor ``$SPM_DATABASE_URL`` is given."""

LANGS = ("id", "en")
_PIPE_WIDTH = 200

Handler = Callable[[argparse.Namespace], int]
"""A command: parsed arguments in, exit status out."""

# The lines every command shares, in both languages. A command group keeps its own
# texts in its module and passes them to :func:`t`.
TEXTS: dict[str, Text] = {
    "description": Text(
        "Posyandu 6 SPM: satu data warga, indikator SPM dan rujukan ke perangkat daerah.",
        "Posyandu 6 SPM: one integrated record, SPM indicators and referrals to agencies.",
    ),
    "help": Text("tampilkan bantuan ini lalu keluar", "show this help and exit"),
    "version": Text("tampilkan versi lalu keluar", "show the version and exit"),
    "usage": Text("penggunaan: ", "usage: "),
    "options": Text("opsi", "options"),
    "global_options": Text("opsi umum", "global options"),
    "arguments": Text("argumen", "arguments"),
    "commands": Text("perintah", "commands"),
    "db": Text(
        "URL basis data (bawaan: $SPM_DATABASE_URL, atau sqlite:///spm.db)",
        "database URL (default: $SPM_DATABASE_URL, else sqlite:///spm.db)",
    ),
    "lang": Text("bahasa keluaran: id atau en (bawaan: id)", "output language: id or en"),
    "allow": Text(
        "muat hanya plugin ini (boleh berulang; bawaan: $SPM_PLUGINS)",
        "load only this plugin (repeatable; default: $SPM_PLUGINS)",
    ),
    "deny": Text("jangan muat plugin ini (boleh berulang)", "never load this plugin (repeatable)"),
    "format": Text("format keluaran: table atau json", "output format: table or json"),
    "usage_error": Text("kesalahan penggunaan", "usage error"),
}


def t(key: str, lang: str, texts: Mapping[str, Text] = TEXTS, **values: object) -> str:
    """Return text ``key`` of ``texts`` in ``lang``, formatted with ``values``."""
    return texts[key].get(lang).format(**values)


# ------------------------------------------------------------------------------ parser


class Formatter(argparse.HelpFormatter):
    """Help formatter whose ``usage:`` prefix follows the chosen language."""

    def __init__(self, prog: str, *, lang: str = "id") -> None:
        super().__init__(prog, max_help_position=32)
        self.lang = lang

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """Add the usage line with a translated prefix."""
        label = t("usage", self.lang) if prefix is None else prefix
        super().add_usage(usage, actions, groups, label)


class UsageError(Exception):
    """Raised instead of argparse's own exit, so ``main`` can report it in both languages."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.usage = usage


class Parser(argparse.ArgumentParser):
    """Argument parser that raises :class:`UsageError` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        """Raise the usage error for ``main`` to print."""
        raise UsageError(message, self.format_usage())


def lang_of(argv: Sequence[str]) -> str:
    """Find ``--lang`` before parsing, so help and usage errors use it too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            return arg.split("=", 1)[1]
    return "id"


def add_globals(parser: argparse.ArgumentParser, lang: str, *, top: bool) -> None:
    """Add the global options; on subcommands they default to "not given" (SUPPRESS)."""
    default: Any = None if top else argparse.SUPPRESS
    group = parser.add_argument_group(t("global_options", lang))
    group.add_argument("--db", metavar="URL", default=default, help=t("db", lang))
    group.add_argument(
        "--lang", choices=LANGS, default="id" if top else default, help=t("lang", lang)
    )
    group.add_argument(
        "--allow", metavar="NAME", action="append", default=default, help=t("allow", lang)
    )
    group.add_argument(
        "--deny", metavar="NAME", action="append", default=default, help=t("deny", lang)
    )


def translate(parser: argparse.ArgumentParser, lang: str) -> None:
    """Give a parser translated section titles and its own translated ``-h``."""
    parser._positionals.title = t("arguments", lang)
    parser._optionals.title = t("options", lang)
    parser.add_argument("-h", "--help", action="help", help=t("help", lang))


class Commands:
    """The ``spm`` sub-commands being built; each command group adds its own to it."""

    def __init__(self, subparsers: argparse._SubParsersAction[Parser], lang: str) -> None:
        self._subparsers = subparsers
        self.lang = lang
        """The language of the help being built (``id`` or ``en``)."""

    def add(self, name: str, help_text: Text, handler: Handler) -> Parser:
        """Add command ``name`` run by ``handler``; return its parser for its own options."""
        text = help_text.get(self.lang)
        sub: Parser = self._subparsers.add_parser(
            name,
            help=text,
            description=text,
            add_help=False,
            formatter_class=partial(Formatter, lang=self.lang),
        )
        translate(sub, self.lang)
        add_globals(sub, self.lang, top=False)
        sub.set_defaults(handler=handler)
        return sub

    def with_format(self, sub: Parser) -> Parser:
        """Give a command ``--format table|json``."""
        sub.add_argument(
            "--format", choices=("table", "json"), default="table", help=t("format", self.lang)
        )
        return sub


# ------------------------------------------------------------------------------ context


def allow_list(args: argparse.Namespace) -> list[str] | None:
    """Return the plugins to load: ``--allow``, else ``$SPM_PLUGINS``, else all (None)."""
    if args.allow:
        return list(args.allow)
    env = os.environ.get("SPM_PLUGINS")
    if env is None:
        return None
    return [name.strip() for name in env.split(",") if name.strip()]


def db_url(args: argparse.Namespace) -> str:
    """Return the database URL: ``--db``, else ``$SPM_DATABASE_URL``, else the default.

    A given but empty value is kept (and refused by the store): it never silently
    becomes ``./spm.db``.
    """
    if getattr(args, "db", None) is not None:
        return str(args.db)
    return os.environ.get("SPM_DATABASE_URL", DEFAULT_DB_URL)


def plugin_manager(args: argparse.Namespace) -> SpmPluginManager:
    """Return a fresh plugin manager honouring ``--allow``/``--deny``/``$SPM_PLUGINS``."""
    return make_plugin_manager(allow=allow_list(args), deny=tuple(args.deny or ()))


def console() -> Console:
    """Return a console on standard output; piped output gets a wide table, never colour."""
    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(
        file=sys.stdout,
        no_color="NO_COLOR" in os.environ,
        highlight=False,
        width=_PIPE_WIDTH if wide else None,
    )


def print_json(data: object) -> None:
    """Write ``data`` as indented JSON (UTF-8 text kept as is) to standard output."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def cell(value: object) -> str:
    """Return a table cell: empty for ``None``, else the value as text."""
    return "" if value is None else str(value)
