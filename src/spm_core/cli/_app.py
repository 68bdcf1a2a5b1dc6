"""The ``spm`` parser, its global options and the reporting of errors and exit status."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import partial

from spm_core import __version__
from spm_core.cli._common import (
    Commands,
    Formatter,
    Handler,
    Parser,
    UsageError,
    add_globals,
    lang_of,
    t,
    translate,
)
from spm_core.cli._registry import COMMAND_GROUPS
from spm_core.errors import InputError, SpmError

__all__ = ["EXIT_ERROR", "build_parser", "main"]

EXIT_ERROR = 2
"""Exit status of an expected error (bad input, unknown name, failed plugin)."""


def build_parser(lang: str) -> Parser:
    """Return the ``spm`` parser with its help in ``lang`` and every command group added."""
    parser = Parser(
        prog="spm",
        description=t("description", lang),
        formatter_class=partial(Formatter, lang=lang),
        add_help=False,
    )
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
    other = "en" if lang == "id" else "id"
    lines = [f"[{error.code}] {error.message(lang)}", f"[{error.code}] {error.message(other)}"]
    if isinstance(error, InputError):
        lines.extend(f"  - {issue.describe(lang)}" for issue in error.issues)
    sys.stderr.write("\n".join(lines) + "\n")


def _report_usage(error: UsageError, lang: str) -> None:
    other = "en" if lang == "id" else "id"
    sys.stderr.write(
        error.usage.rstrip("\n")
        + "\n"
        + f"spm: {t('usage_error', lang)} / {t('usage_error', other)}: {error}\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``spm`` command with ``argv`` (default: ``sys.argv[1:]``); return its status.

    Status 0 is success; 2 is an expected error (reported in both languages) or a usage
    error.

    Example:
        >>> status = main(["--lang", "en", "plugins", "--format", "json"])  # doctest: +ELLIPSIS
        [...]
        >>> status
        0
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = lang_of(arguments)
    parser = build_parser(lang)
    try:
        args = parser.parse_args(arguments)
        lang = args.lang
        handler: Handler = args.handler
        return handler(args)
    except UsageError as exc:
        _report_usage(exc, lang)
        return EXIT_ERROR
    except SpmError as exc:
        _report_error(exc, lang)
        return EXIT_ERROR
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else 0
