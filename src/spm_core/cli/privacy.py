"""``spm subject …`` (a data subject's rights) and ``spm extract`` (research extracts).

The subject commands act as an SPM operator of ``--area`` (the controller's staff);
``spm extract`` as a researcher (or, with ``--role operator``, an operator) of
``--area``. ``--actor-id`` names the person in the processing log.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spm_core._files import write_file
from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.cli._common import (
    Commands,
    Parser,
    UsageError,
    allow_list,
    cell,
    db_url,
    print_json,
    t,
)
from spm_core.cli._output import Column, Output
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah

if TYPE_CHECKING:
    from spm_core.api import Registry

__all__ = ["register"]

TEXTS = {
    "cmd_subject": Text(
        "hak subjek data (UU PDP): ekspor, hapus, batasi, permintaan",
        "a data subject's rights (UU PDP): export, erase, restrict, requests",
    ),
    "cmd_export": Text(
        "ekspor semua data dan log pemrosesan satu warga sebagai JSON",
        "export all data and the processing log of one resident as JSON",
    ),
    "cmd_erase": Text(
        "hapus data satu warga di semua tabel (ditolak bila ada kewajiban simpan)",
        "erase one resident in every table (refused while a retention duty applies)",
    ),
    "cmd_restrict": Text(
        "batasi (atau --lift: lanjutkan) pemrosesan data satu warga",
        "restrict (or --lift: resume) processing of one resident's data",
    ),
    "cmd_requests": Text(
        "daftar permintaan subjek data dan tenggat 3 × 24 jam",
        "list data subjects' requests and their 3 × 24 hour deadline",
    ),
    "cmd_extract": Text(
        "ekstrak penelitian berpseudonim (CSV atau Parquet)",
        "pseudonymised research extract (CSV or Parquet)",
    ),
    "opt_resident": Text("ID warga", "the resident's id"),
    "opt_area": Text("kode wilayah lingkup pelaku (wajib)", "region code of the actor's scope"),
    "opt_actor": Text("ID pelaku di log audit (bawaan: cli)", "the actor's id in the log"),
    "opt_output": Text(
        "tulis ke berkas ini (bawaan: layar)", "write to this file (default: stdout)"
    ),
    "opt_reason": Text(
        "alasan penghapusan (tidak disimpan)", "why the data is erased (not stored)"
    ),
    "opt_lift": Text("cabut pembatasan", "lift the restriction"),
    "opt_overdue": Text(
        "hanya yang melewati tenggat 3 × 24 jam", "only those past their 3 × 24 hour deadline"
    ),
    "opt_role": Text("peran pelaku (bawaan: researcher)", "the actor's role (default: researcher)"),
    "opt_key_file": Text(
        "berkas kunci proyek penelitian (bawaan: $SPM_RESEARCH_KEY)",
        "file holding the research project's key (default: $SPM_RESEARCH_KEY)",
    ),
    "opt_level": Text(
        "tingkat wilayah paling rinci (provinsi … kelurahan; bawaan kelurahan)",
        "finest region level (provinsi … kelurahan; default kelurahan)",
    ),
    "opt_precision": Text("ketelitian tanggal: month atau year", "date precision: month or year"),
    "opt_record_type": Text(
        "hitung catatan jenis ini per warga dan tulis nilainya ke BERKAS.records (boleh berulang)",
        "count records of this type per resident and write their values to FILE.records "
        "(repeatable)",
    ),
    "opt_project": Text("nama proyek penelitian (dicatat)", "research project name (logged)"),
    "opt_on": Text("tanggal populasi (bawaan: hari ini)", "population date (default: today)"),
    "opt_extract_format": Text("format berkas: csv atau parquet", "file format: csv or parquet"),
    "opt_table": Text(
        "cetak tabel wilayah × kolom ini dengan sel kecil disembunyikan",
        "print an area × this column table with small cells hidden",
    ),
    "opt_threshold": Text("ambang sel kecil (bawaan 5)", "small-cell threshold (default 5)"),
    "erased": Text(
        "Data warga {id} dihapus ({rows} baris). Permintaan {request} dicatat.",
        "Resident {id} erased ({rows} rows). Request {request} recorded.",
    ),
    "restricted": Text(
        "Permintaan {kind} untuk warga {id} dicatat dan dilaksanakan ({request}).",
        "Request {kind} for resident {id} recorded and carried out ({request}).",
    ),
    "extracted": Text(
        "{rows} baris ditulis ke {path}; sidik kunci {fingerprint}.",
        "{rows} rows written to {path}; key fingerprint {fingerprint}.",
    ),
    "extracted_records": Text(
        "{records} catatan ditulis ke {path}.", "{records} records written to {path}."
    ),
    "records_need_output": Text(
        "{records} catatan hanya ditulis ke berkas: beri --output BERKAS.",
        "{records} records are written to a file only: give --output FILE.",
    ),
    "dropped": Text("Tidak diekstrak: {field} ({reason}).", "Not extracted: {field} ({reason})."),
    "requests_title": Text("Permintaan subjek data", "Data subjects' requests"),
    "table_title": Text("Warga per wilayah × {column}", "Residents by area × {column}"),
    "col_area": Text("wilayah", "area"),
    "col_total": Text("jumlah", "total"),
    "extracted_table": Text(
        "Tabel dari {rows} baris dicetak; tidak ada berkas yang ditulis; sidik kunci "
        "{fingerprint}.",
        "Table of {rows} rows printed; no file written; key fingerprint {fingerprint}.",
    ),
    "col_id": Text("ID", "ID"),
    "col_resident": Text("Warga", "Resident"),
    "col_kind": Text("Jenis", "Kind"),
    "col_status": Text("Status", "Status"),
    "col_received": Text("Diterima", "Received"),
    "col_due": Text("Tenggat", "Due"),
    "cmd_rls": Text(
        "pasang (atau --remove: lepas) row-level security PostgreSQL sebagai lapis kedua",
        "install (or --remove) PostgreSQL row-level security as a second layer",
    ),
    "opt_app_role": Text(
        "peran basis data aplikasi (sudah ada, tidak memiliki tabel)",
        "the application's database role (must exist and own no table)",
    ),
    "opt_remove": Text("lepas kebijakan RLS", "remove the RLS policies"),
    "rls_done": Text(
        "Row-level security terpasang pada {tables} tabel untuk peran {role}.",
        "Row-level security installed on {tables} tables for role {role}.",
    ),
    "rls_removed": Text("Row-level security dilepas.", "Row-level security removed."),
    "rls_sqlite": Text(
        "SQLite tidak mengenal row-level security; tidak ada yang diubah.",
        "SQLite has no row-level security; nothing changed.",
    ),
    "no_output": Text(
        "ekstrak Parquet butuh --output BERKAS", "a Parquet extract needs --output FILE"
    ),
}


def register(commands: Commands) -> None:
    """Add ``spm subject export|erase|restrict|requests``, ``spm rls`` and ``spm extract``."""
    lang = commands.lang
    subject = commands.add("subject", TEXTS["cmd_subject"], _missing_subcommand)
    group = Commands(
        subject.add_subparsers(
            dest="subject_command", metavar="COMMAND", parser_class=type(subject)
        ),
        lang,
    )
    export = group.add("export", TEXTS["cmd_export"], _cmd_export, database=True)
    export.add_argument("resident", metavar="RESIDENT_ID", help=t("opt_resident", lang, TEXTS))
    export.add_argument("--output", "-o", help=t("opt_output", lang, TEXTS))
    _operator_options(export, lang)
    erase = group.add("erase", TEXTS["cmd_erase"], _cmd_erase, database=True)
    erase.add_argument("resident", metavar="RESIDENT_ID", help=t("opt_resident", lang, TEXTS))
    erase.add_argument("--reason", required=True, help=t("opt_reason", lang, TEXTS))
    _operator_options(erase, lang)
    restrict = group.add("restrict", TEXTS["cmd_restrict"], _cmd_restrict, database=True)
    restrict.add_argument("resident", metavar="RESIDENT_ID", help=t("opt_resident", lang, TEXTS))
    restrict.add_argument("--lift", action="store_true", help=t("opt_lift", lang, TEXTS))
    _operator_options(restrict, lang)
    requests = commands.with_format(
        group.add("requests", TEXTS["cmd_requests"], _cmd_requests, database=True)
    )
    requests.add_argument("--overdue", action="store_true", help=t("opt_overdue", lang, TEXTS))
    _operator_options(requests, lang)

    rls = commands.add("rls", TEXTS["cmd_rls"], _cmd_rls, database=True)
    rls.add_argument("--app-role", help=t("opt_app_role", lang, TEXTS))
    rls.add_argument("--remove", action="store_true", help=t("opt_remove", lang, TEXTS))

    extract = commands.add("extract", TEXTS["cmd_extract"], _cmd_extract, database=True)
    extract.add_argument("--area", required=True, help=t("opt_area", lang, TEXTS))
    extract.add_argument(
        "--role",
        default="researcher",
        choices=(Role.RESEARCHER.value, Role.OPERATOR.value),
        help=t("opt_role", lang, TEXTS),
    )
    extract.add_argument("--actor-id", default="cli", help=t("opt_actor", lang, TEXTS))
    extract.add_argument("--key-file", help=t("opt_key_file", lang, TEXTS))
    extract.add_argument("--level", default="kelurahan", help=t("opt_level", lang, TEXTS))
    extract.add_argument(
        "--date-precision",
        choices=("month", "year"),
        default="month",
        help=t("opt_precision", lang, TEXTS),
    )
    extract.add_argument(
        "--record-type", action="append", default=[], help=t("opt_record_type", lang, TEXTS)
    )
    extract.add_argument("--project", default="-", help=t("opt_project", lang, TEXTS))
    extract.add_argument("--on", help=t("opt_on", lang, TEXTS))
    extract.add_argument(
        "--format",
        choices=("csv", "parquet"),
        default="csv",
        help=t("opt_extract_format", lang, TEXTS),
    )
    extract.add_argument("--output", "-o", help=t("opt_output", lang, TEXTS))
    extract.add_argument(
        "--table", choices=("sex", "birth", "died"), help=t("opt_table", lang, TEXTS)
    )
    extract.add_argument("--threshold", type=int, default=5, help=t("opt_threshold", lang, TEXTS))


def _operator_options(sub: Parser, lang: str) -> None:
    sub.add_argument("--area", required=True, help=t("opt_area", lang, TEXTS))
    sub.add_argument("--actor-id", default="cli", help=t("opt_actor", lang, TEXTS))


def _missing_subcommand(args: argparse.Namespace) -> int:
    raise UsageError(
        t("cmd_subject", args.lang, TEXTS),
        "spm subject export|erase|restrict|requests RESIDENT_ID --area CODE",
    )


def _operator(args: argparse.Namespace) -> Actor:
    return Actor(args.actor_id, Role.OPERATOR, AreaScope(KodeWilayah.parse(args.area)))


def _registry(args: argparse.Namespace) -> Registry:
    from spm_core.api import Registry

    return Registry.open(db_url(args), allow=allow_list(args), deny=tuple(args.deny or ()))


def _cmd_export(args: argparse.Namespace) -> int:
    with _registry(args) as registry:
        exported = registry.export_subject(_operator(args), args.resident)
    text = exported.model_dump_json(indent=2) + "\n"
    if args.output:  # one person's whole file: readable by its owner only
        write_file(args.output, text.encode("utf-8"), private=True)
    else:
        sys.stdout.write(text)
    return 0


def _cmd_erase(args: argparse.Namespace) -> int:
    with _registry(args) as registry:
        outcome = registry.erase_subject(_operator(args), args.resident, args.reason)
    rows = sum(count for _, count in outcome.rows)
    Output().line(
        t("erased", args.lang, TEXTS, id=outcome.resident_id, rows=rows, request=outcome.request_id)
    )
    return 0


def _cmd_restrict(args: argparse.Namespace) -> int:
    with _registry(args) as registry:
        done = registry.restrict_subject(_operator(args), args.resident, lift=args.lift)
    Output().line(
        t("restricted", args.lang, TEXTS, kind=done.kind, id=done.resident_id, request=done.id)
    )
    return 0


def _cmd_requests(args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    with _registry(args) as registry:
        found = registry.subject_requests(
            _operator(args), overdue_at=now if args.overdue else None, purpose=Purpose.HAK_SUBJEK
        )
    if args.format == "json":
        print_json([r.to_dict() for r in found])
        return 0
    lang = args.lang
    columns = [
        Column(t(f"col_{name}", lang, TEXTS), keep=True)
        for name in ("id", "resident", "kind", "status", "received", "due")
    ]
    rows = [
        [
            r.id,
            r.resident_id,
            r.kind,
            r.status + (" !" if r.overdue(now) else ""),
            r.received_at.isoformat(timespec="minutes"),
            r.due_at.isoformat(timespec="minutes"),
        ]
        for r in found
    ]
    Output().table(t("requests_title", lang, TEXTS), columns, rows)
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from spm_core.domain.pseudonym import key_fingerprint
    from spm_core.privacy import DROP_REASONS, load_key

    lang = args.lang
    if args.format == "parquet" and not args.output:
        raise UsageError(t("no_output", lang, TEXTS), "spm extract --format parquet -o FILE")
    key = load_key(None, file=args.key_file)
    actor = Actor(args.actor_id, Role(args.role), AreaScope(KodeWilayah.parse(args.area)))
    on = date.fromisoformat(args.on) if args.on else None
    with _registry(args) as registry:
        extract = registry.research_extract(
            actor,
            key=key,
            level=args.level,
            date_precision=args.date_precision,
            on=on,
            record_types=args.record_type,
            project=args.project,
        )
    out = Output()
    if args.table:
        published = extract.table(args.table, threshold=args.threshold)
        rows = published.to_rows()
        keys = ["area", *published.column_labels, "total"]
        shown_keys = [
            t("col_area", lang, TEXTS),
            *published.column_labels,
            t("col_total", lang, TEXTS),
        ]
        out.table(
            t("table_title", lang, TEXTS, column=args.table),
            [Column(h, keep=True) for h in shown_keys],
            [[_table_cell(row, k, lang) for k in keys] for row in rows],
        )
    records = None
    if args.output:
        path = Path(args.output)
        if args.format == "parquet":
            extract.write_parquet(path)
        else:
            extract.write_csv(path)
        shown = str(path)
        if extract.value_columns:
            records = path.with_name(f"{path.stem}.records{path.suffix}")
            if args.format == "parquet":
                extract.write_records_parquet(records)
            else:
                extract.write_records_csv(records)
    else:
        if not args.table:
            sys.stdout.write(extract.to_csv())
        shown = "-"
    for field, reason in extract.dropped:
        why = DROP_REASONS[reason].id if lang == "id" else DROP_REASONS[reason].en
        out.note(t("dropped", lang, TEXTS, field=field, reason=why))
    if extract.value_columns:
        count = len(extract.record_rows)
        out.note(
            t("extracted_records", lang, TEXTS, records=count, path=records)
            if records is not None
            else t("records_need_output", lang, TEXTS, records=count)
        )
    done = "extracted_table" if args.table and not args.output else "extracted"
    out.note(
        t(done, lang, TEXTS, rows=len(extract.rows), path=shown, fingerprint=key_fingerprint(key))
    )
    return 0


def _table_cell(row: dict[str, Any], key: str, lang: str) -> str:
    """One cell of a published table; the total row is named in the language asked."""
    value = row.get(key)
    if key == "area" and value == "total":
        return t("col_total", lang, TEXTS)
    return cell(value)


def _cmd_rls(args: argparse.Namespace) -> int:
    from spm_core.store import open_store
    from spm_core.store.rls import RLS_TABLES, install_rls, uninstall_rls

    lang = args.lang
    if not args.remove and not args.app_role:
        raise UsageError(t("opt_app_role", lang, TEXTS), "spm rls --app-role NAME [--db URL]")
    store = open_store(db_url(args))
    try:
        engine = store._engine
        if engine.dialect.name != "postgresql":
            Output().line(t("rls_sqlite", lang, TEXTS))
            return 0
        if args.remove:
            uninstall_rls(engine)
            Output().line(t("rls_removed", lang, TEXTS))
            return 0
        install_rls(engine, args.app_role)
    finally:
        store.close()
    Output().line(t("rls_done", lang, TEXTS, tables=len(RLS_TABLES), role=args.app_role))
    return 0
