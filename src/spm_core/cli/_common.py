"""What every command group shares: texts, the parser classes, options and output helpers.

A command group is a module of this package with a ``register(commands)`` function; it
is listed once in :data:`spm_core.cli._registry.COMMAND_GROUPS`. It builds its
sub-parser with :meth:`Commands.add`, reads the plugin manager, database URL and console
from the helpers here, and raises :class:`~spm_core.errors.SpmError` (or
:class:`UsageError`) for ``main`` to report.
"""

from __future__ import annotations

import argparse
import difflib
import errno
import os
import shlex
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from spm_core.access import Actor, PosyanduScope
from spm_core.cli._output import cell, console, print_json
from spm_core.domain.text import Text
from spm_core.plugins import SpmPluginManager, make_plugin_manager

if TYPE_CHECKING:
    from spm_core.store import Store

__all__ = [
    "DEFAULT_DB_URL",
    "EXIT_ACCESS",
    "EXIT_BROKEN_PIPE",
    "EXIT_DATA",
    "EXIT_ENVIRONMENT",
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_PLUGIN",
    "EXIT_USAGE",
    "LANGS",
    "Commands",
    "Formatter",
    "Handler",
    "Parser",
    "UsageError",
    "add_globals",
    "add_purpose",
    "allow_list",
    "argparse_in",
    "cell",
    "console",
    "db_url",
    "invocation",
    "lang_of",
    "plugin_manager",
    "print_json",
    "t",
    "translate",
]

DEFAULT_DB_URL = "sqlite:///spm.db"
"""The database used when neither ``--db`` nor ``$SPM_DATABASE_URL`` is given."""

LANGS = ("id", "en")

# Exit status, documented in docs/cli.md (section "Exit status").
EXIT_OK = 0
"""Success."""
EXIT_ERROR = 1
"""An expected error of no more specific kind below."""
EXIT_USAGE = 2
"""The command line itself is wrong: unknown command or option, missing argument."""
EXIT_DATA = 3
"""The data is wrong: invalid input, an unknown code or name, a row that is not there,
a row changed by someone else meanwhile."""
EXIT_PLUGIN = 4
"""The installed plugins are wrong: one fails to load, or the catalog they assemble is
inconsistent."""
EXIT_ENVIRONMENT = 5
"""The environment is wrong: the database cannot be opened or is at another schema."""
EXIT_ACCESS = 6
"""The actor's role may not do this at all."""
EXIT_BROKEN_PIPE = 141
"""The reader of standard output went away (``spm catalog | head``): 128 + SIGPIPE, as a
Unix tool killed by the signal reports, and nothing is printed."""

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
    "database_options": Text("opsi basis data", "database options"),
    "purpose": Text(
        "tujuan membaca data pribadi, mis. pelaporan; wajib kecuali untuk kader posyandu "
        "warga itu sendiri, dan pembacaan dicatat di log pemrosesan",
        "why personal data is read, e.g. pelaporan (a purpose of UU PDP Ps. 16(2)); "
        "required except of the resident's own posyandu kader, and the read is recorded "
        "in the processing log",
    ),
    "db_not_here": Text(
        "perintah {command} tidak membuka basis data; --db tidak berlaku",
        "the {command} command opens no database; --db does not apply",
    ),
    "lang": Text(
        "bahasa keluaran: id atau en (bawaan: id)", "output language: id or en (default: id)"
    ),
    "allow": Text(
        "muat hanya plugin ini (boleh berulang; bawaan: $SPM_PLUGINS)",
        "load only this plugin (repeatable; default: $SPM_PLUGINS)",
    ),
    "deny": Text("jangan muat plugin ini (boleh berulang)", "never load this plugin (repeatable)"),
    "format": Text("format keluaran: table atau json", "output format: table or json"),
    "usage_error": Text("kesalahan penggunaan", "usage error"),
    "invalid_choice": Text(
        "pilihan tidak valid: {value!r} (pilih dari {choices})",
        "invalid choice: {value!r} (choose from {choices})",
    ),
    "did_you_mean": Text("mungkin maksudnya {guess!r}?", "did you mean {guess!r}?"),
}

# argparse builds its messages with gettext; these are its texts in Bahasa Indonesia.
_ARGPARSE_ID: dict[str, str] = {
    "usage: ": "penggunaan: ",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "nilai %r diabaikan",
    "the following arguments are required: %s": "argumen berikut wajib diberikan: %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diberikan",
    "expected one argument": "memerlukan satu nilai",
    "expected at most one argument": "memerlukan paling banyak satu nilai",
    "expected at least one argument": "memerlukan paling sedikit satu nilai",
    "expected %s argument": "memerlukan %s nilai",
    "expected %s arguments": "memerlukan %s nilai",
    "ambiguous option: %(option)s could match %(matches)s": (
        "opsi ambigu: %(option)s bisa berarti %(matches)s"
    ),
    "unexpected option string: %s": "opsi tidak terduga: %s",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak valid: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "pilihan tidak valid: %(value)r (pilih dari %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)"
    ),
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "options": "opsi",
    "positional arguments": "argumen",
}


@contextmanager
def argparse_in(lang: str) -> Iterator[None]:
    """Let argparse speak ``lang`` while parsing: its gettext lookups go through our table.

    argparse calls ``gettext`` (and ``ngettext``) when it builds a message, so swapping
    the two names it imported is enough; they are put back afterwards.
    """
    if lang != "id":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return _ARGPARSE_ID.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


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
    """Argument parser that raises :class:`UsageError` instead of exiting.

    A value outside an option's choices is reported in the parser's language with the
    closest choice as a suggestion.
    """

    lang = "id"

    def error(self, message: str) -> NoReturn:
        """Raise the usage error for ``main`` to print."""
        raise UsageError(message, self.format_usage())

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        names = [str(choice) for choice in choices]
        message = t("invalid_choice", self.lang, value=value, choices=", ".join(names))
        guesses = difflib.get_close_matches(str(value), names, n=1)
        if guesses:
            message += " " + t("did_you_mean", self.lang, guess=guesses[0])
        raise argparse.ArgumentError(action, message)


def lang_of(argv: Sequence[str]) -> str:
    """Find ``--lang`` before parsing, so help and usage errors use it too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            return arg.split("=", 1)[1]
    return "id"


def add_globals(parser: argparse.ArgumentParser, lang: str, *, top: bool) -> None:
    """Add the global options; on subcommands they default to "not given" (SUPPRESS).

    ``--db`` belongs to the commands that open a database (:meth:`Commands.add` with
    ``database=True``). The top-level parser still accepts it before the command name,
    hidden from the help, for ``spm --db URL init``; a command that opens no database
    refuses it.
    """
    default: Any = None if top else argparse.SUPPRESS
    if top:
        parser.add_argument("--db", metavar="URL", default=None, help=argparse.SUPPRESS)
    group = parser.add_argument_group(t("global_options", lang))
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

    def add(
        self, name: str, help_text: Text, handler: Handler, *, database: bool = False
    ) -> Parser:
        """Add command ``name`` run by ``handler``; return its parser for its own options.

        ``database=True`` gives the command ``--db`` (and ``$SPM_DATABASE_URL``); read the
        URL with :func:`db_url`.
        """
        text = help_text.get(self.lang)
        sub: Parser = self._subparsers.add_parser(
            name,
            help=text,
            description=text,
            add_help=False,
            formatter_class=partial(Formatter, lang=self.lang),
        )
        sub.lang = self.lang
        translate(sub, self.lang)
        if database:
            group = sub.add_argument_group(t("database_options", self.lang))
            group.add_argument(
                "--db", metavar="URL", default=argparse.SUPPRESS, help=t("db", self.lang)
            )
        add_globals(sub, self.lang, top=False)
        sub.set_defaults(handler=handler, database=database)
        return sub

    def with_format(self, sub: Parser) -> Parser:
        """Give a command ``--format table|json``."""
        sub.add_argument(
            "--format", choices=("table", "json"), default="table", help=t("format", self.lang)
        )
        return sub


# ------------------------------------------------------------------------------ context


def add_purpose(sub: argparse.ArgumentParser, lang: str) -> None:
    """Add ``--purpose``: why a command that prints personal rows reads them."""
    sub.add_argument("--purpose", default=None, help=t("purpose", lang, TEXTS))


def known_posyandu(store: Store, actor: Actor) -> None:
    """Refuse a kader's ``--posyandu ID`` that names no posyandu of the database.

    Without this a mistyped id gives an empty export or report and exit code 0, which
    reads as "this posyandu has no one".

    Raises:
        NotFound: the database has no posyandu with that id.
    """
    if isinstance(actor.scope, PosyanduScope):
        store.get_posyandu(actor, actor.scope.posyandu_id)


_OS_ERRORS = {
    errno.ENOENT: Text("berkas tidak ada", "no such file"),
    errno.EACCES: Text("tidak ada izin membacanya", "permission denied"),
    errno.EPERM: Text("tidak ada izin membacanya", "permission denied"),
    errno.EISDIR: Text("itu sebuah direktori, bukan berkas", "it is a directory, not a file"),
    errno.ENOTDIR: Text(
        "salah satu bagian jalurnya bukan direktori", "a part of its path is not a directory"
    ),
}


def os_reason(error: OSError) -> Text:
    """Return why a file could not be read, in both languages (the OS says it in English)."""
    known = _OS_ERRORS.get(error.errno or 0)
    if known is not None:
        return known
    detail = error.strerror or type(error).__name__
    return Text(detail, detail)


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


def _same_file(a: str | None, b: str | Path) -> bool:
    """Whether the paths ``a`` and ``b`` name the same file."""
    try:
        return a is not None and Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _shown(path: str | Path) -> str:
    """Return ``path`` as a person in the current directory would type it."""
    text = str(path)
    if Path(text).is_absolute():
        try:
            relative = os.path.relpath(text)
        except ValueError:  # another drive
            relative = text
        if not relative.startswith(".."):
            text = relative if os.sep in relative else os.path.join(".", relative)
    return shlex.quote(text)


def invocation(program: str) -> str:
    """Return how to run ``program`` (``spm`` or ``pip``) here, for a hint to copy and paste.

    The bare name when the shell finds this installation's program by it; else the
    path to it — ``.venv/bin/spm`` after the README's quick start, where the virtual
    environment was made but not activated; ``python -m spm_core`` when the command
    was started that way.
    """
    if program == "spm":
        started = sys.argv[0] if sys.argv else ""
        if Path(started).name == "__main__.py":
            return f"{_shown(sys.executable)} -m spm_core"
        if Path(started).name != "spm" or _same_file(shutil.which("spm"), started):
            return "spm"
        return _shown(started)
    beside = Path(sys.executable).with_name(program)
    if not beside.exists():
        return f"{_shown(sys.executable)} -m {program}"
    if _same_file(shutil.which(program), beside):
        return program
    return _shown(beside)
