"""The ``spm`` command: flags and environment in, library calls out, nothing more.

Global options (before or after the command):

* ``--db URL`` — the database; default ``$SPM_DATABASE_URL``, else ``sqlite:///spm.db``;
* ``--lang id|en`` — the language of every line a person reads (default ``id``);
* ``--allow NAME`` / ``--deny NAME`` — load only / never load these plugins (repeatable);
  ``$SPM_PLUGINS`` is a comma-separated allow list used when no ``--allow`` is given
  (set but empty, it loads no plugin).

Commands: ``plugins``, ``catalog``, ``schema``, ``init``. An expected error
(:class:`~spm_core.errors.SpmError`) prints ``[code] message`` in the chosen language,
then in the other, to standard error and exits with status 2 — never a traceback.
Colour follows ``NO_COLOR``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from spm_core import __version__
from spm_core.catalog import Catalog
from spm_core.definitions import (
    DEFINITION_KINDS,
    Agency,
    Definition,
    LegalBasis,
    RoutingRule,
    Validator,
)
from spm_core.domain.enums import SpmField
from spm_core.domain.text import Text
from spm_core.errors import InputError, SpmError, StoreError
from spm_core.plugins import SpmPluginManager, list_plugins, make_plugin_manager

__all__ = ["DEFAULT_DB_URL", "main"]

DEFAULT_DB_URL = "sqlite:///spm.db"
"""The database used when neither ``--db`` nor ``$SPM_DATABASE_URL`` is given."""

EXIT_ERROR = 2
"""Exit status of an expected error (bad input, unknown name, failed plugin)."""

_LANGS = ("id", "en")
_PIPE_WIDTH = 200
_KINDS = tuple(cls.kind for cls in DEFINITION_KINDS)
_KIND_LABELS = {cls.kind: cls.kind_label for cls in DEFINITION_KINDS}

# Every line a person reads, in both languages.
_T: dict[str, Text] = {
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
    "cmd_plugins": Text("tampilkan plugin yang dimuat", "list the loaded plugins"),
    "cmd_catalog": Text(
        "tampilkan setiap definisi beserta asal dan dasar hukumnya",
        "list every definition with its provenance and legal basis",
    ),
    "cmd_schema": Text(
        "cetak JSON Schema sebuah model masukan", "print the JSON Schema of an input model"
    ),
    "cmd_init": Text(
        "buat atau tingkatkan basis data ke skema terkini",
        "create or upgrade the database to the current schema",
    ),
    "kind": Text("hanya definisi jenis ini", "only definitions of this kind"),
    "field": Text("hanya definisi bidang SPM ini", "only definitions of this SPM field"),
    "schema_name": Text("nama skema (lihat --list)", "schema name (see --list)"),
    "schema_list": Text("tampilkan nama skema yang tersedia", "list the available schema names"),
    "schema_missing": Text(
        "sebutkan nama skema atau gunakan --list", "name a schema or use --list"
    ),
    "usage_error": Text("kesalahan penggunaan", "usage error"),
    "plugins_title": Text("Plugin yang dimuat", "Loaded plugins"),
    "no_plugins": Text("Tidak ada plugin yang dimuat.", "No plugin is loaded."),
    "catalog_title": Text("Katalog", "Catalog"),
    "no_definitions": Text("Tidak ada definisi yang cocok.", "No definition matches."),
    "overrides_title": Text("Definisi yang diganti", "Overridden definitions"),
    "adjustments_title": Text("Penyesuaian oleh plugin wilayah", "Adjustments by region plugins"),
    "unconfirmed": Text("(BELUM TERKONFIRMASI)", "(UNCONFIRMED)"),
    "unconfirmed_count": Text(
        "{n} definisi memuat dasar hukum yang belum terkonfirmasi pada teks resmi.",
        "{n} definition(s) cite a legal basis not confirmed against the official text.",
    ),
    "total": Text("{n} definisi.", "{n} definition(s)."),
    "init_done": Text("Basis data siap: {where}", "Database ready: {where}"),
    "init_revision": Text("Revisi skema: {revision}", "Schema revision: {revision}"),
    "col_name": Text("nama", "name"),
    "col_title": Text("judul", "title"),
    "col_level": Text("tingkat", "level"),
    "col_region": Text("wilayah", "region"),
    "col_distribution": Text("distribusi", "distribution"),
    "col_version": Text("versi", "version"),
    "col_hooks": Text("hook", "hooks"),
    "col_kind": Text("jenis", "kind"),
    "col_code": Text("kode", "code"),
    "col_field": Text("bidang", "field"),
    "col_provenance": Text("asal", "provenance"),
    "col_legal": Text("dasar hukum", "legal basis"),
    "col_winner": Text("pemenang", "winner"),
    "col_replaced": Text("diganti", "replaced"),
    "col_plugin": Text("plugin", "plugin"),
    "col_action": Text("tindakan", "action"),
    "col_detail": Text("rincian", "detail"),
}


def _t(key: str, lang: str, **values: object) -> str:
    return _T[key].get(lang).format(**values)


# ------------------------------------------------------------------------------ parser


class _Formatter(argparse.HelpFormatter):
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
        label = _t("usage", self.lang) if prefix is None else prefix
        super().add_usage(usage, actions, groups, label)


class _UsageError(Exception):
    """Raised instead of argparse's own exit, so ``main`` can report it in both languages."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.usage = usage


class _Parser(argparse.ArgumentParser):
    """Argument parser that raises :class:`_UsageError` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        """Raise the usage error for ``main`` to print."""
        raise _UsageError(message, self.format_usage())


def _lang_of(argv: Sequence[str]) -> str:
    """Find ``--lang`` before parsing, so help and usage errors use it too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in _LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in _LANGS:
            return arg.split("=", 1)[1]
    return "id"


def _add_globals(parser: argparse.ArgumentParser, lang: str, *, top: bool) -> None:
    """Add the global options; on subcommands they default to "not given" (SUPPRESS)."""
    default: Any = None if top else argparse.SUPPRESS
    group = parser.add_argument_group(_t("global_options", lang))
    group.add_argument("--db", metavar="URL", default=default, help=_t("db", lang))
    group.add_argument(
        "--lang", choices=_LANGS, default="id" if top else default, help=_t("lang", lang)
    )
    group.add_argument(
        "--allow", metavar="NAME", action="append", default=default, help=_t("allow", lang)
    )
    group.add_argument(
        "--deny", metavar="NAME", action="append", default=default, help=_t("deny", lang)
    )


def _translate(parser: argparse.ArgumentParser, lang: str) -> None:
    """Give a parser translated section titles and its own translated ``-h``."""
    parser._positionals.title = _t("arguments", lang)
    parser._optionals.title = _t("options", lang)
    parser.add_argument("-h", "--help", action="help", help=_t("help", lang))


def _build_parser(lang: str) -> _Parser:
    formatter = partial(_Formatter, lang=lang)
    parser = _Parser(
        prog="spm", description=_t("description", lang), formatter_class=formatter, add_help=False
    )
    _translate(parser, lang)
    parser.add_argument(
        "--version", action="version", version=f"spm-core {__version__}", help=_t("version", lang)
    )
    _add_globals(parser, lang, top=True)
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title=_t("commands", lang), parser_class=_Parser
    )
    commands.required = True

    def command(name: str, handler: Callable[[argparse.Namespace], int]) -> _Parser:
        help_text = _t(f"cmd_{name}", lang)
        sub: _Parser = commands.add_parser(
            name, help=help_text, description=help_text, add_help=False, formatter_class=formatter
        )
        _translate(sub, lang)
        _add_globals(sub, lang, top=False)
        sub.set_defaults(handler=handler)
        return sub

    def with_format(sub: _Parser) -> _Parser:
        sub.add_argument(
            "--format", choices=("table", "json"), default="table", help=_t("format", lang)
        )
        return sub

    with_format(command("plugins", _cmd_plugins))
    catalog = with_format(command("catalog", _cmd_catalog))
    fields = [f.value for f in SpmField]
    catalog.add_argument(
        "--kind", choices=_KINDS, metavar="KIND", help=f"{_t('kind', lang)}: {', '.join(_KINDS)}"
    )
    catalog.add_argument(
        "--field", choices=fields, metavar="FIELD", help=f"{_t('field', lang)}: {', '.join(fields)}"
    )
    schema = command("schema", _cmd_schema)
    schema.add_argument("name", nargs="?", metavar="NAME", help=_t("schema_name", lang))
    schema.add_argument("--list", action="store_true", help=_t("schema_list", lang))
    command("init", _cmd_init)
    return parser


# ------------------------------------------------------------------------------ context


def _allow_list(args: argparse.Namespace) -> list[str] | None:
    if args.allow:
        return list(args.allow)
    env = os.environ.get("SPM_PLUGINS")
    if env is None:
        return None
    return [name.strip() for name in env.split(",") if name.strip()]


def _db_url(args: argparse.Namespace) -> str:
    """Return ``--db``, else ``$SPM_DATABASE_URL``, else the default.

    A given but empty value is kept (and refused by the store): it never silently
    becomes ``./spm.db``.
    """
    if args.db is not None:
        return str(args.db)
    return os.environ.get("SPM_DATABASE_URL", DEFAULT_DB_URL)


def _plugin_manager(args: argparse.Namespace) -> SpmPluginManager:
    return make_plugin_manager(allow=_allow_list(args), deny=tuple(args.deny or ()))


def _console() -> Console:
    """Return a console on standard output; piped output gets a wide table, never colour."""
    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(
        file=sys.stdout,
        no_color="NO_COLOR" in os.environ,
        highlight=False,
        width=_PIPE_WIDTH if wide else None,
    )


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _cell(value: object) -> str:
    return "" if value is None else str(value)


# ------------------------------------------------------------------------------ commands


def _cmd_plugins(args: argparse.Namespace) -> int:
    lang = args.lang
    plugins = list_plugins(_plugin_manager(args))
    if args.format == "json":
        _print_json([p.to_dict() for p in plugins])
        return 0
    console = _console()
    if not plugins:
        console.print(_t("no_plugins", lang))
        return 0
    table = Table(title=_t("plugins_title", lang))
    for key in ("name", "title", "level", "region", "distribution", "version", "hooks"):
        table.add_column(_t(f"col_{key}", lang), no_wrap=key in {"name", "hooks"})
    for p in plugins:
        table.add_row(
            p.name,
            p.title.get(lang),
            p.level.label.get(lang),
            _cell(p.region),
            _cell(p.distribution),
            _cell(p.version),
            "\n".join(p.hooks),
        )
    console.print(table)
    return 0


def _fields_of(definition: Definition, catalog: Catalog) -> set[str]:
    """Return the SPM field(s) a definition belongs to, following references if needed."""
    own = getattr(definition, "field", None)
    if isinstance(own, SpmField):
        return {own.value}
    if isinstance(definition, RoutingRule):
        return _fields_of(catalog.need_type(definition.need_type), catalog)
    if isinstance(definition, Validator):
        return _fields_of(catalog.record_type(definition.record_type), catalog)
    if isinstance(definition, Agency):
        found: set[str] = set()
        for role in definition.roles:
            found |= _fields_of(catalog.agency_role(role), catalog)
        return found
    return set()


def _cite(basis: LegalBasis, lang: str) -> str:
    text = basis.regulation if basis.article is None else f"{basis.regulation} {basis.article}"
    return text if basis.confirmed else f"{text} {_t('unconfirmed', lang)}"


def _selected(catalog: Catalog, kind: str | None, field: str | None) -> list[Definition]:
    return [
        d
        for d in catalog
        if (kind is None or d.kind == kind) and (field is None or field in _fields_of(d, catalog))
    ]


def _cmd_catalog(args: argparse.Namespace) -> int:
    lang = args.lang
    catalog = Catalog.build(_plugin_manager(args))
    chosen = _selected(catalog, args.kind, args.field)
    if args.format == "json":
        data = catalog.to_dict()
        if args.kind is not None or args.field is not None:
            keep = {(d.kind, d.code) for d in chosen}
            data["definitions"] = [d for d in data["definitions"] if (d["kind"], d["code"]) in keep]
        _print_json(data)
        return 0
    console = _console()
    if not chosen:
        console.print(_t("no_definitions", lang))
    else:
        table = Table(title=_t("catalog_title", lang))
        for key in ("kind", "code", "title", "field", "provenance", "legal"):
            table.add_column(_t(f"col_{key}", lang), no_wrap=key == "code")
        for d in chosen:
            prov = d.provenance
            table.add_row(
                _KIND_LABELS[d.kind].get(lang),
                d.code,
                d.title.get(lang),
                ", ".join(sorted(_fields_of(d, catalog))),
                "" if prov is None else f"{prov.plugin} ({prov.level.label.get(lang)})",
                "; ".join(_cite(b, lang) for b in d.legal_basis),
                style=None if d.confirmed else "yellow",
            )
        console.print(table)
        console.print(_t("total", lang, n=len(chosen)))
        unconfirmed = sum(1 for d in chosen if not d.confirmed)
        if unconfirmed:
            console.print(_t("unconfirmed_count", lang, n=unconfirmed))
    _print_overrides(console, catalog, lang)
    return 0


def _print_overrides(console: Console, catalog: Catalog, lang: str) -> None:
    if catalog.overrides:
        table = Table(title=_t("overrides_title", lang))
        for key in ("kind", "code", "winner", "replaced"):
            table.add_column(_t(f"col_{key}", lang))
        for o in catalog.overrides:
            table.add_row(
                _KIND_LABELS[o.kind].get(lang) if o.kind in _KIND_LABELS else o.kind,
                o.code,
                f"{o.winner.plugin} ({o.winner.level.label.get(lang)})",
                f"{o.replaced.plugin} ({o.replaced.level.label.get(lang)})",
            )
        console.print(table)
    if catalog.adjustments:
        table = Table(title=_t("adjustments_title", lang))
        for key in ("plugin", "action", "kind", "code", "detail"):
            table.add_column(_t(f"col_{key}", lang))
        for a in catalog.adjustments:
            kind = _KIND_LABELS[a.kind].get(lang) if a.kind in _KIND_LABELS else a.kind
            table.add_row(a.plugin, a.action, kind, a.code, a.detail)
        console.print(table)


def _cmd_schema(args: argparse.Namespace) -> int:
    if not args.list and not args.name:
        raise _UsageError(_t("schema_missing", args.lang), "spm schema [--list] [NAME]")
    from spm_core.schemas import json_schema, schema_names

    catalog = Catalog.build(_plugin_manager(args))
    if args.list:
        for name in schema_names(catalog):
            sys.stdout.write(name + "\n")
        return 0
    _print_json(json_schema(args.name, catalog))
    return 0


def _where(location: str) -> str:
    """Return the database location, with the absolute path of a SQLite file first."""
    try:
        url = make_url(location)
    except ArgumentError:
        return location
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return f"{Path(str(url.database)).resolve()} ({location})"
    return location


def _unreachable(url: str, exc: Exception) -> StoreError:
    """Describe a database that cannot be opened (bad URL, server down, no such file)."""
    from spm_core.store.transactions import shown_url

    shown = shown_url(url)
    detail = type(exc).__name__
    return StoreError(
        value=shown,
        reason_id=f"basis data {shown} tidak dapat dibuka ({detail})",
        reason_en=f"the database {shown} cannot be opened ({detail})",
    )


def _cmd_init(args: argparse.Namespace) -> int:
    from spm_core.api import Registry

    url = _db_url(args)
    try:
        registry = Registry.open(url, allow=_allow_list(args), deny=tuple(args.deny or ()))
    except (ArgumentError, DBAPIError) as exc:
        raise _unreachable(url, exc) from exc
    try:
        where = _where(registry.location)
        revision = registry.schema_revision
    finally:
        registry.close()
    console = _console()
    console.print(_t("init_done", args.lang, where=where), soft_wrap=True)
    console.print(_t("init_revision", args.lang, revision=revision), soft_wrap=True)
    return 0


# ------------------------------------------------------------------------------ errors


def _report_error(error: SpmError, lang: str) -> None:
    other = "en" if lang == "id" else "id"
    lines = [f"[{error.code}] {error.message(lang)}", f"[{error.code}] {error.message(other)}"]
    if isinstance(error, InputError):
        lines.extend(f"  - {issue.describe(lang)}" for issue in error.issues)
    sys.stderr.write("\n".join(lines) + "\n")


def _report_usage(error: _UsageError, lang: str) -> None:
    other = "en" if lang == "id" else "id"
    sys.stderr.write(
        error.usage.rstrip("\n")
        + "\n"
        + f"spm: {_t('usage_error', lang)} / {_t('usage_error', other)}: {error}\n"
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
    lang = _lang_of(arguments)
    parser = _build_parser(lang)
    try:
        args = parser.parse_args(arguments)
        lang = args.lang
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except _UsageError as exc:
        _report_usage(exc, lang)
        return EXIT_ERROR
    except SpmError as exc:
        _report_error(exc, lang)
        return EXIT_ERROR
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else 0
