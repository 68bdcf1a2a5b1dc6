"""``spm audit verify`` and ``spm audit incident``: the chain, and what an actor touched.

``verify`` recomputes the audit log's hash chain and names the first break;
``incident`` lists the residents and data categories an actor, a research key or an
export touched in a time window (UU PDP 27/2022 Ps. 46), as an operator of ``--area``.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from spm_core.cli._common import (
    Commands,
    UsageError,
    allow_list,
    console,
    db_url,
    print_json,
    t,
)
from spm_core.cli._output import Column, Output
from spm_core.domain.text import Text

__all__ = ["register"]

TEXTS = {
    "cmd_audit": Text("periksa log audit", "check the audit log"),
    "cmd_verify": Text(
        "hitung ulang rantai hash log audit dan sebutkan baris pertama yang rusak",
        "recompute the audit log's hash chain and name the first broken row",
    ),
    "anchor": Text(
        "ID:HASH yang dicatat sebelumnya (boleh berulang): menangkap log yang ditulis ulang "
        "atau dipotong",
        "ID:HASH recorded earlier (repeatable): catches a log rewritten or cut short",
    ),
    "bad_anchor": Text(
        "jangkar {value!r} harus berbentuk ID:HASH (contoh 1200:3f5a…)",
        "anchor {value!r} must look like ID:HASH (for example 1200:3f5a…)",
    ),
    "verify_ok": Text(
        "Rantai log audit utuh: {checked} baris diperiksa.",
        "The audit log's chain is intact: {checked} rows checked.",
    ),
    "verify_broken": Text(
        "Rantai log audit RUSAK pada baris {row} ({checked} baris diperiksa).",
        "The audit log's chain is BROKEN at row {row} ({checked} rows checked).",
    ),
    "cmd_incident": Text(
        "warga dan kategori data yang disentuh pelaku, kunci atau ekspor (UU PDP Ps. 46)",
        "residents and data categories an actor, key or export touched (UU PDP Ps. 46)",
    ),
    "opt_area": Text("kode wilayah operator (wajib)", "region code of the operator (required)"),
    "opt_who": Text("ID pelaku yang diperiksa", "id of the actor to look into"),
    "opt_key": Text("sidik kunci penelitian (dari spm extract)", "research key fingerprint"),
    "opt_export": Text("nomor baris log ekspor/ekstrak", "log line id of an export or extract"),
    "opt_since": Text("mulai (ISO 8601, termasuk)", "from (ISO 8601, inclusive)"),
    "opt_until": Text("sampai (ISO 8601, tidak termasuk)", "until (ISO 8601, exclusive)"),
    "incident_title": Text(
        "Insiden: {residents} warga, {lines} baris log",
        "Incident: {residents} residents, {lines} log lines",
    ),
    "incident_categories": Text("Kategori data: {value}", "Data categories: {value}"),
    "incident_specific": Text("Data spesifik: {value}", "Specific data: {value}"),
    "col_entity": Text("Entitas", "Entity"),
    "col_action": Text("Tindakan", "Action"),
    "col_fields": Text("Kolom", "Fields"),
    "col_lines": Text("Baris log", "Log lines"),
    "col_rows": Text("Baris data", "Rows"),
    "verify_empty": Text(
        "Log audit masih kosong: belum ada hash kepala untuk dicatat sebagai jangkar.",
        "The audit log is empty: there is no head hash to record as an anchor yet.",
    ),
    "verify_head": Text(
        "Hash kepala (catat di luar basis data sebagai jangkar): {last}:{head}",
        "Head hash (record it outside the database as an anchor): {last}:{head}",
    ),
}


def register(commands: Commands) -> None:
    """Add ``spm audit verify`` and ``spm audit incident``."""
    lang = commands.lang
    audit = commands.add("audit", TEXTS["cmd_audit"], _missing_subcommand)
    group = Commands(
        audit.add_subparsers(dest="audit_command", metavar="COMMAND", parser_class=type(audit)),
        lang,
    )
    verify = commands.with_format(
        group.add("verify", TEXTS["cmd_verify"], _cmd_verify, database=True)
    )
    verify.add_argument(
        "--anchor", metavar="ID:HASH", action="append", default=[], help=t("anchor", lang, TEXTS)
    )
    incident = commands.with_format(
        group.add("incident", TEXTS["cmd_incident"], _cmd_incident, database=True)
    )
    incident.add_argument("--area", required=True, help=t("opt_area", lang, TEXTS))
    which = incident.add_mutually_exclusive_group(required=True)
    which.add_argument("--who", help=t("opt_who", lang, TEXTS))
    which.add_argument("--key-fingerprint", help=t("opt_key", lang, TEXTS))
    which.add_argument("--export-id", type=int, help=t("opt_export", lang, TEXTS))
    incident.add_argument("--since", type=datetime.fromisoformat, help=t("opt_since", lang, TEXTS))
    incident.add_argument("--until", type=datetime.fromisoformat, help=t("opt_until", lang, TEXTS))


def _missing_subcommand(args: argparse.Namespace) -> int:
    raise UsageError(t("cmd_verify", args.lang, TEXTS), "spm audit verify [--db URL]")


def _anchors(given: list[str], lang: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for text in given:
        row, _, digest = text.partition(":")
        if not row.strip().isdigit() or len(digest.strip()) != 64:
            raise UsageError(t("bad_anchor", lang, TEXTS, value=text), "spm audit verify")
        out[int(row)] = digest.strip().lower()
    return out


def _cmd_verify(args: argparse.Namespace) -> int:
    from spm_core.store import open_store

    anchors = _anchors(args.anchor, args.lang)
    store = open_store(db_url(args), upgrade=False)
    try:
        report = store.verify_audit(anchors)
    finally:
        store.close()
    if args.format == "json":
        print_json(
            {
                "ok": report.ok,
                "checked": report.checked,
                "head": report.head,
                "last_id": report.last_id,
                "broken_at": report.broken_at,
                "reason_id": report.reason_id or None,
                "reason_en": report.reason_en or None,
            }
        )
    out = console()
    error = report.error()
    if args.format != "json":
        if error is None:
            out.print(t("verify_ok", args.lang, TEXTS, checked=report.checked), soft_wrap=True)
            if report.last_id is None:  # "None:0000…" is no anchor to keep
                out.print(t("verify_empty", args.lang, TEXTS), soft_wrap=True)
            else:
                out.print(
                    t("verify_head", args.lang, TEXTS, last=report.last_id, head=report.head),
                    soft_wrap=True,
                )
        else:
            out.print(
                t("verify_broken", args.lang, TEXTS, row=report.broken_at, checked=report.checked),
                soft_wrap=True,
            )
    if error is not None:
        raise error
    return 0


def _cmd_incident(args: argparse.Namespace) -> int:
    from spm_core.access import Actor, AreaScope, Role
    from spm_core.api import Registry
    from spm_core.domain.wilayah import KodeWilayah

    lang = args.lang
    operator = Actor("cli", Role.OPERATOR, AreaScope(KodeWilayah.parse(args.area)))
    with Registry.open(
        db_url(args), allow=allow_list(args), deny=tuple(args.deny or ())
    ) as registry:
        report = registry.incident_report(
            operator,
            who=args.who,
            key_fingerprint=args.key_fingerprint,
            export_id=args.export_id,
            since=args.since,
            until=args.until,
        )
    if args.format == "json":
        print_json(report.to_dict())
        return 0
    out = Output()
    out.note(t("incident_categories", lang, TEXTS, value=", ".join(report.categories) or "-"))
    out.note(t("incident_specific", lang, TEXTS, value=", ".join(report.specific) or "-"))
    columns = [
        Column(t(f"col_{name}", lang, TEXTS), keep=name != "fields", wrap=name == "fields")
        for name in ("entity", "action", "fields", "lines", "rows")
    ]
    rows = [
        [entity, action, ", ".join(fields), str(lines), str(count)]
        for entity, action, fields, lines, count in report.touches
    ]
    title = t("incident_title", lang, TEXTS, residents=len(report.residents), lines=report.lines)
    out.table(title, columns, rows)
    for resident in report.residents:
        out.line(resident)
    return 0
