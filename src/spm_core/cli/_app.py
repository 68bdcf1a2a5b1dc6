"""The ``spm`` parser, its global options and the reporting of errors and exit status."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import partial

from spm_core import __version__
from spm_core.cli._common import (
    EXIT_ACCESS,
    EXIT_BROKEN_PIPE,
    EXIT_DATA,
    EXIT_ENVIRONMENT,
    EXIT_ERROR,
    EXIT_PLUGIN,
    EXIT_USAGE,
    Commands,
    Formatter,
    Handler,
    Parser,
    UsageError,
    add_globals,
    argparse_in,
    lang_of,
    t,
    translate,
)
from spm_core.cli._registry import COMMAND_GROUPS
from spm_core.errors import (
    AccessDenied,
    AuditChainBroken,
    CatalogError,
    ConcurrentUpdate,
    ErasureRefused,
    InputError,
    InvalidValue,
    NotFound,
    PluginError,
    SpmError,
    StoreError,
    UnknownCode,
)

__all__ = ["build_parser", "exit_status", "main"]

# The exit status of each kind of error; a subclass takes its nearest listed ancestor's.
_EXIT_STATUS: dict[type[SpmError], int] = {
    InputError: EXIT_DATA,
    InvalidValue: EXIT_DATA,
    UnknownCode: EXIT_DATA,
    NotFound: EXIT_DATA,
    ConcurrentUpdate: EXIT_DATA,
    AuditChainBroken: EXIT_DATA,
    ErasureRefused: EXIT_DATA,
    AccessDenied: EXIT_ACCESS,
    PluginError: EXIT_PLUGIN,
    CatalogError: EXIT_PLUGIN,
    StoreError: EXIT_ENVIRONMENT,
}


def exit_status(error: SpmError) -> int:
    """Return the exit status for ``error``: that of the nearest class in its ancestry.

    Example:
        >>> exit_status(NotFound(entity="resident", value="r-1"))
        3
        >>> exit_status(StoreError(reason_id="x", reason_en="x"))
        5
    """
    for cls in type(error).__mro__:
        if cls in _EXIT_STATUS:
            return _EXIT_STATUS[cls]
    return EXIT_ERROR


def build_parser(lang: str) -> Parser:
    """Return the ``spm`` parser with its help in ``lang`` and every command group added."""
    parser = Parser(
        prog="spm",
        description=t("description", lang),
        formatter_class=partial(Formatter, lang=lang),
        add_help=False,
    )
    parser.lang = lang
    translate(parser, lang)
    parser.add_argument(
        "--version", action="version", version=f"spm-core {__version__}", help=t("version", lang)
    )
    add_globals(parser, lang, top=True)
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", title=t("commands", lang), parser_class=Parser
    )
    subparsers.required = True
    commands = Commands(subparsers, lang)
    for register in COMMAND_GROUPS:
        register(commands)
    return parser


def _report_error(error: SpmError, lang: str) -> None:
    lines = [f"[{error.code}] {error.message(lang)}"]
    if isinstance(error, InputError) and len(error.issues) > 1:
        # One problem is already the whole first line; several are listed one a line.
        lines.extend(f"  - {issue.describe(lang)}" for issue in error.issues)
    sys.stderr.write("\n".join(lines) + "\n")


def _report_usage(error: UsageError, lang: str) -> None:
    sys.stderr.write(error.usage.rstrip("\n") + "\n" + f"spm: {t('usage_error', lang)}: {error}\n")


def _quiet_stdout() -> None:
    """Point standard output at the null device, so the final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file (a test's capture): nothing to flush
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``spm`` command with ``argv`` (default: ``sys.argv[1:]``); return its status.

    Status 0 is success; 2 a usage error; 3 bad data (invalid input, unknown code, a
    row not found); 4 a plugin or catalog problem; 5 the environment (a database that
    cannot be opened); 6 access denied; 1 any other expected error; 141 when the reader
    of standard output goes away. Errors are reported on standard error in the chosen
    language only, never with a traceback.

    Example:
        >>> status = main(["--lang", "en", "plugins", "--format", "json"])  # doctest: +ELLIPSIS
        [...]
        >>> status
        0
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = lang_of(arguments)
    try:
        with argparse_in(lang):
            parser = build_parser(lang)
            args = parser.parse_args(arguments)
            if args.db is not None and not args.database:
                parser.error(t("db_not_here", lang, command=args.command))
        lang = args.lang
        handler: Handler = args.handler
        status = handler(args)
        sys.stdout.flush()
        return status
    except UsageError as exc:
        _report_usage(exc, lang)
        return EXIT_USAGE
    except SpmError as exc:
        _report_error(exc, lang)
        return exit_status(exc)
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else 0
