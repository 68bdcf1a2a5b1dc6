"""``spm load``: bulk-load residents, households, memberships or records from a CSV file."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from spm_core._files import write_file
from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.cli._common import Commands, db_url, os_reason, plugin_manager, print_json, t
from spm_core.cli._output import Column, Output, progress_console
from spm_core.domain.cells import neutralise_row
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import ENTITY_LABELS, InvalidValue
from spm_core.load import KINDS, LoadReport

__all__ = ["operator_for", "register", "show_report"]

TEXTS = {
    "bad_file": Text("berkas tidak dapat dibaca ({error})", "the file cannot be read ({error})"),
    "cmd_load": Text(
        "muat berkas CSV warga, rumah tangga, keanggotaan atau catatan (baris buruk dilaporkan)",
        "load a CSV file of residents, households, memberships or records (bad rows reported)",
    ),
    "kind": Text("apa yang dimuat: {kinds}", "what to load: {kinds}"),
    "file": Text("berkas CSV (UTF-8, baris pertama judul kolom)", "CSV file (UTF-8, header row)"),
    "area": Text(
        "wilayah kab/kota atau provinsi operator yang memuat (mis. 32.75)",
        "kab/kota or province of the operator loading (e.g. 32.75)",
    ),
    "load_id": Text(
        "id muatan (bawaan: SHA-256 berkas); menjalankan ulang tidak menambah apa pun",
        "load id (default: the file's SHA-256); running again adds nothing",
    ),
    "issues": Text(
        "tulis setiap masalah ke berkas CSV ini", "write every problem to this CSV file"
    ),
    "progress": Text("Memuat {kind}", "Loading {kind}"),
    "title": Text("Muatan {load_id}", "Load {load_id}"),
    "col_figure": Text("keterangan", "figure"),
    "col_value": Text("jumlah", "value"),
    "rows": Text("baris dibaca", "rows read"),
    "accepted": Text("baris diterima", "rows accepted"),
    "rejected": Text("baris ditolak", "rows rejected"),
    "inserted": Text("baris {table} baru", "new {table} rows"),
    "seconds": Text("detik", "seconds"),
    "more": Text("… dan {n} masalah lain", "… and {n} more problem(s)"),
}
_SHOWN = 20


def register(commands: Commands) -> None:
    """Add ``spm load``."""
    lang = commands.lang
    sub = commands.with_format(commands.add("load", TEXTS["cmd_load"], _cmd_load, database=True))
    sub.add_argument("kind", choices=KINDS, help=t("kind", lang, TEXTS, kinds=", ".join(KINDS)))
    sub.add_argument("file", type=Path, help=t("file", lang, TEXTS))
    sub.add_argument("--area", default="32.75", help=t("area", lang, TEXTS))
    sub.add_argument("--load-id", default=None, help=t("load_id", lang, TEXTS))
    sub.add_argument("--issues", type=Path, default=None, help=t("issues", lang, TEXTS))


def operator_for(area: str) -> Actor:
    """Return the operator the command acts as: of ``area``'s kab/kota (or province)."""
    code = KodeWilayah.parse(area)
    if code.level > WilayahLevel.KABUPATEN_KOTA:
        code = code.at_level(WilayahLevel.KABUPATEN_KOTA)
    return Actor(f"cli-operator-{code}", Role.OPERATOR, AreaScope(code))


def _lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return max(0, sum(1 for _ in handle) - 1)
    except OSError as error:
        raise InvalidValue(
            value=str(path),
            reason_id=TEXTS["bad_file"].id.format(error=os_reason(error).id),
            reason_en=TEXTS["bad_file"].en.format(error=os_reason(error).en),
        ) from None


def show_report(report: LoadReport, lang: str, fmt: str, issues_file: Path | None) -> int:
    """Print what a load did and its first problems; exit 0 if no row was rejected, else 1."""
    if issues_file is not None:  # quotes the rows' NIKs: readable by its owner only
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(["row", "field", "code", "value", "message_id", "message_en"])
        for i in report.issues:  # values and messages quote the user's cells
            cells = [i.row, i.field, i.code, i.value, i.message_id, i.message_en]
            writer.writerow(neutralise_row(cells))
        write_file(issues_file, buffer.getvalue().encode("utf-8"), private=True)
    if fmt == "json":
        print_json(
            {
                "load_id": report.load_id,
                "kind": report.kind,
                "rows": report.rows,
                "accepted": report.accepted,
                "rejected": report.rejected,
                "inserted": dict(report.inserted),
                "seconds": round(report.seconds, 2),
                "issues": [
                    {"row": i.row, "field": i.field, "code": i.code, "value": i.value,
                     "message": i.message_id if lang == "id" else i.message_en}
                    for i in report.issues
                ],
            }
        )  # fmt: skip
        return 0 if not report.issues else 1
    out = Output()
    rows = [
        [t("rows", lang, TEXTS), str(report.rows)],
        [t("accepted", lang, TEXTS), str(report.accepted)],
        [t("rejected", lang, TEXTS), str(report.rejected)],
    ]
    for name, count in sorted(report.inserted.items()):
        label = ENTITY_LABELS.get(name, (name, name))
        shown = label[0 if lang == "id" else 1]
        rows.append([t("inserted", lang, TEXTS, table=shown), str(count)])
    rows.append([t("seconds", lang, TEXTS), f"{report.seconds:.1f}"])
    out.table(
        t("title", lang, TEXTS, load_id=report.load_id),
        [Column(t("col_figure", lang, TEXTS), keep=True), Column(t("col_value", lang, TEXTS))],
        rows,
    )
    for issue in report.issues[:_SHOWN]:
        out.line(issue.describe(lang))
    if len(report.issues) > _SHOWN:
        out.note(t("more", lang, TEXTS, n=len(report.issues) - _SHOWN))
    return 0 if not report.issues else 1


def _cmd_load(args: argparse.Namespace) -> int:
    from spm_core.catalog import Catalog
    from spm_core.load import load
    from spm_core.store import open_store

    actor = operator_for(args.area)
    total = _lines(args.file)
    catalog = Catalog.build(plugin_manager(args)) if args.kind == "records" else None
    store = open_store(db_url(args))
    purpose = Purpose.PELAYANAN if args.kind == "records" else Purpose.PENDATAAN
    bars = progress_console()
    try:
        with Progress(
            TextColumn(t("progress", args.lang, TEXTS, kind=args.kind)),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=bars,
            transient=True,
            disable=args.format == "json" or not bars.is_terminal,
        ) as bar:
            task = bar.add_task(args.kind, total=total)
            report = load(
                store, actor, args.kind, args.file, purpose, catalog=catalog,
                load_id=args.load_id, progress=lambda n: bar.update(task, completed=n),
            )  # fmt: skip
    finally:
        store.close()
    return show_report(report, args.lang, args.format, args.issues)
