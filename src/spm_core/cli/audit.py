"""``spm audit verify``: recompute the audit log's hash chain and name the first break."""

from __future__ import annotations

import argparse

from spm_core.cli._common import Commands, UsageError, console, db_url, print_json, t
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
    "verify_head": Text(
        "Hash kepala (catat di luar basis data sebagai jangkar): {last}:{head}",
        "Head hash (record it outside the database as an anchor): {last}:{head}",
    ),
}


def register(commands: Commands) -> None:
    """Add ``spm audit verify``."""
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
