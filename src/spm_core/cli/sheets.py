"""``spm import``, ``spm export`` and ``spm template``: spreadsheets in and out.

``spm import`` loads a CSV or Excel file on the bulk path (as ``spm load`` does) and
writes every rejected row to an error file a kader can fix and import again.
``spm export`` writes the rows an actor may read, or a report, as CSV, Excel, JSON or
Parquet, with formula cells neutralised. ``spm template`` writes an empty workbook for
each kind of import file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from spm_core.access import Purpose
from spm_core.cli._common import (
    Commands,
    UsageError,
    add_purpose,
    allow_list,
    console,
    db_url,
    known_posyandu,
    t,
)
from spm_core.cli.load import operator_for, show_report
from spm_core.cli.report import _actor, _actor_options
from spm_core.domain.text import Text
from spm_core.load import KINDS

if TYPE_CHECKING:
    from spm_core.store import ExportTable

__all__ = ["register"]

EXPORT_KINDS = (*KINDS, "report")

TEXTS = {
    "cmd_import": Text(
        "impor berkas CSV atau Excel; baris bermasalah ditulis ke berkas perbaikan",
        "import a CSV or Excel file; rejected rows go to a file to fix and import again",
    ),
    "cmd_export": Text(
        "ekspor data dalam lingkup pelaku, atau laporan, ke CSV, Excel, JSON atau Parquet",
        "export the data in the actor's scope, or a report, as CSV, Excel, JSON or Parquet",
    ),
    "cmd_template": Text(
        "tulis templat berkas impor (kolom, artinya, kolom NIK/KK berformat teks)",
        "write an import template (columns, their meaning, NIK/KK columns as text)",
    ),
    "kind": Text("apa yang diimpor: {kinds}", "what to import: {kinds}"),
    "export_kind": Text("apa yang diekspor: {kinds}", "what to export: {kinds}"),
    "file": Text("berkas .csv atau .xlsx", "a .csv or .xlsx file"),
    "errors": Text(
        "berkas baris bermasalah (bawaan: NAMA-perbaiki.EKST di samping berkas)",
        "file of rejected rows (default: NAME-perbaiki.EXT next to the file)",
    ),
    "area": Text(
        "wilayah kab/kota atau provinsi operator yang mengimpor (mis. 32.75)",
        "kab/kota or province of the operator importing (e.g. 32.75)",
    ),
    "load_id": Text(
        "id muatan (bawaan: SHA-256 berkas); mengimpor ulang tidak menambah apa pun",
        "load id (default: the file's SHA-256); importing again adds nothing",
    ),
    "format": Text("format berkas", "file format"),
    "out": Text(
        "berkas keluaran (bawaan: keluaran standar untuk csv/json)",
        "output file (default: standard output for csv/json)",
    ),
    "needs_out": Text(
        "format {fmt} ditulis ke berkas: berikan --out BERKAS",
        "the {fmt} format is written to a file: give --out FILE",
    ),
    "period": Text("periode laporan, mis. 2025 (untuk report)", "report period, e.g. 2025"),
    "level": Text("tingkat wilayah laporan", "area level of the report"),
    "written": Text(
        "{n} baris bermasalah ditulis ke {path}", "{n} rejected row(s) written to {path}"
    ),
    "exported": Text("{n} baris diekspor ke {path}", "{n} row(s) exported to {path}"),
    "template": Text("Templat {kind} ditulis ke {path}", "Template for {kind} written to {path}"),
    "no_period": Text("ekspor report membutuhkan --period", "exporting a report needs --period"),
}


def register(commands: Commands) -> None:
    """Add ``spm import``, ``spm export`` and ``spm template``."""
    lang = commands.lang
    sub = commands.with_format(commands.add("import", TEXTS["cmd_import"], _cmd_import,
                                            database=True))  # fmt: skip
    sub.add_argument("kind", choices=KINDS, help=t("kind", lang, TEXTS, kinds=", ".join(KINDS)))
    sub.add_argument("file", type=Path, help=t("file", lang, TEXTS))
    sub.add_argument("--errors", type=Path, default=None, help=t("errors", lang, TEXTS))
    sub.add_argument("--area", default="32.75", help=t("area", lang, TEXTS))
    sub.add_argument("--load-id", default=None, help=t("load_id", lang, TEXTS))

    out = commands.add("export", TEXTS["cmd_export"], _cmd_export, database=True)
    out.add_argument(
        "kind", choices=EXPORT_KINDS,
        help=t("export_kind", lang, TEXTS, kinds=", ".join(EXPORT_KINDS)),
    )  # fmt: skip
    out.add_argument(
        "--format", choices=("csv", "xlsx", "json", "parquet"), default="csv",
        help=t("format", lang, TEXTS),
    )  # fmt: skip
    out.add_argument("--out", type=Path, default=None, help=t("out", lang, TEXTS))
    out.add_argument("--period", default=None, help=t("period", lang, TEXTS))
    out.add_argument("--level", default="kelurahan", help=t("level", lang, TEXTS))
    _actor_options(out, lang)
    add_purpose(out, lang)

    template = commands.add("template", TEXTS["cmd_template"], _cmd_template)
    template.add_argument(
        "kind", choices=KINDS, help=t("kind", lang, TEXTS, kinds=", ".join(KINDS))
    )
    template.add_argument(
        "--format", choices=("xlsx", "csv"), default="xlsx", help=t("format", lang, TEXTS)
    )
    template.add_argument("--out", type=Path, default=None, help=t("out", lang, TEXTS))


def _errors_file(source: Path, given: Path | None) -> Path:
    if given is not None:
        return given
    suffix = ".xlsx" if source.suffix.lower() in (".xlsx", ".xlsm") else ".csv"
    return source.with_name(f"{source.stem}-perbaiki{suffix}")


def _cmd_import(args: argparse.Namespace) -> int:
    from spm_core.catalog import Catalog
    from spm_core.cli._common import plugin_manager
    from spm_core.load import load
    from spm_core.sheets import write_rejects
    from spm_core.store import open_store

    actor = operator_for(args.area)
    catalog = Catalog.build(plugin_manager(args)) if args.kind == "records" else None
    purpose = Purpose.PELAYANAN if args.kind == "records" else Purpose.PENDATAAN
    store = open_store(db_url(args))
    try:
        report = load(
            store, actor, args.kind, args.file, purpose, catalog=catalog, load_id=args.load_id
        )
    finally:
        store.close()
    status = show_report(report, args.lang, args.format, None)
    if report.rejected:
        path = _errors_file(args.file, args.errors)
        count = write_rejects(args.file, report, path)
        sys.stderr.write(t("written", args.lang, TEXTS, n=count, path=path) + "\n")
    return status


def _cmd_export(args: argparse.Namespace) -> int:
    from spm_core.sheets import write_table

    if args.format in ("xlsx", "parquet") and args.out is None:
        raise UsageError(
            t("needs_out", args.lang, TEXTS, fmt=args.format), f"spm export {args.kind}\n"
        )
    actor = _actor(args)
    table: ExportTable
    if args.kind == "report":
        if not args.period:
            raise UsageError(t("no_period", args.lang, TEXTS), "spm export report\n")
        from spm_core.api import Registry

        with Registry.open(
            db_url(args), allow=allow_list(args), deny=tuple(args.deny or ())
        ) as registry:
            known_posyandu(registry.store, actor)
            table = registry.export_report(
                actor, args.period, args.level, args.purpose or Purpose.PELAPORAN
            )
    else:
        from spm_core.store import open_store

        with open_store(db_url(args)) as store:
            known_posyandu(store, actor)
            exporter = getattr(store, f"export_{args.kind}")
            table = exporter(actor, args.purpose)
    columns, rows = table.columns, table.rows
    target = args.out if args.out is not None else sys.stdout.buffer
    count = write_table(columns, rows, args.format, target)
    if args.out is not None:
        console().print(t("exported", args.lang, TEXTS, n=count, path=args.out), markup=False)
    else:
        sys.stdout.flush()
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from spm_core.sheets import write_template

    if args.out is None and args.format == "xlsx":
        args.out = Path(f"templat-{args.kind}.xlsx")
    if args.out is None:
        write_template(args.kind, args.format, sys.stdout.buffer, lang=args.lang)
        sys.stdout.flush()
        return 0
    write_template(args.kind, args.format, args.out, lang=args.lang)
    console().print(t("template", args.lang, TEXTS, kind=args.kind, path=args.out), markup=False)
    return 0
