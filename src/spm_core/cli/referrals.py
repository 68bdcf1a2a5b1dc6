"""``spm referrals``: how each agency handles its referrals (for the Tim Pembina).

``spm referrals suggest`` lists the needs the records show in an area and period that
no open referral covers yet, and with ``--raise`` submits them once a kader has
confirmed them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.cli._common import (
    Commands,
    UsageError,
    add_purpose,
    allow_list,
    cell,
    db_url,
    known_posyandu,
    plugin_manager,
    print_json,
    t,
)
from spm_core.cli._output import Column, Output
from spm_core.domain.cells import neutralise_row
from spm_core.domain.period import Period
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.referrals.monitoring import COLUMNS, agency_performance
from spm_core.store import open_store

__all__ = ["register"]

TEXTS = {
    "cmd_referrals": Text(
        "rekap rujukan per perangkat daerah, bidang dan wilayah",
        "referral figures per agency, field and area",
    ),
    "agency": Text("hanya perangkat daerah ini", "only this agency"),
    "period": Text(
        "hanya rujukan yang diteruskan pada periode ini (2025-03, 2025-Q1, 2025-S1, 2025)",
        "only referrals routed in this period (2025-03, 2025-Q1, 2025-S1, 2025)",
    ),
    "wilayah": Text(
        "wilayah Tim Pembina yang direkap (bawaan: $SPM_WILAYAH)",
        "the Tim Pembina's area to report on (default: $SPM_WILAYAH)",
    ),
    "level": Text(
        "tingkat pengelompokan wilayah: kabkota, kecamatan atau desa",
        "area grouping level: kabkota, kecamatan or desa",
    ),
    "format": Text("format keluaran: table, json atau csv", "output format: table, json or csv"),
    "no_wilayah": Text(
        "sebutkan --wilayah (atau $SPM_WILAYAH), mis. 32.75",
        "give --wilayah (or $SPM_WILAYAH), e.g. 32.75",
    ),
    "title": Text("Rujukan per perangkat daerah — {area}", "Referrals per agency — {area}"),
    "none": Text("Tidak ada rujukan.", "No referrals."),
    "cmd_suggest": Text(
        "daftar kebutuhan yang ditunjukkan catatan dan belum dirujuk; --raise mengajukannya",
        "list the needs the records show that are not referred yet; --raise submits them",
    ),
    "s_wilayah": Text(
        "wilayah yang diperiksa, tingkat apa pun (mis. 32.75.01.1001)",
        "the area to look in, any level (e.g. 32.75.01.1001)",
    ),
    "s_period": Text(
        "periode pemicu dibaca (2025-06, 2025-Q2, 2025-S1, 2025)",
        "the period the triggers read (2025-06, 2025-Q2, 2025-S1, 2025)",
    ),
    "s_need": Text(
        "hanya jenis kebutuhan ini (boleh berulang)", "only this need type (repeatable)"
    ),
    "s_subject": Text(
        "hanya warga atau rumah tangga ini (boleh berulang)",
        "only this resident or household (repeatable)",
    ),
    "s_raise": Text(
        "ajukan dan teruskan kebutuhan yang terdaftar (setelah dikonfirmasi kader); "
        "mengulang tidak membuat rujukan baru",
        "submit and route the listed needs (once a kader has confirmed them); running it "
        "again creates no new referral",
    ),
    "s_on": Text(
        "tanggal kebutuhan dikonfirmasi, YYYY-MM-DD (bawaan: hari ini)",
        "the day the needs were confirmed, YYYY-MM-DD (default: today)",
    ),
    "s_posyandu": Text("bertindak sebagai kader posyandu ini", "act as a kader of this posyandu"),
    "s_role": Text(
        "peran pengguna dengan cakupan wilayah (bawaan: operator)",
        "role of an area-scoped user (default: operator)",
    ),
    "s_area": Text(
        "cakupan wilayah pengguna (bawaan: --wilayah)", "the user's area scope (default: --wilayah)"
    ),
    "s_title": Text(
        "Kebutuhan dari catatan — {area}, {period}", "Needs from the records — {area}, {period}"
    ),
    "s_none": Text("Tidak ada kebutuhan yang belum dirujuk.", "No need that is not referred yet."),
    "s_count": Text("{count} kebutuhan.", "{count} needs."),
    "r_title": Text("Rujukan yang diajukan", "Referrals submitted"),
    "col_need": Text("jenis kebutuhan", "need type"),
    "col_subject": Text("subjek", "subject"),
    "col_subject_id": Text("ID subjek", "subject ID"),
    "col_posyandu": Text("posyandu", "posyandu"),
    "col_village": Text("kelurahan/desa", "kelurahan/desa"),
    "col_earlier": Text("rujukan sebelumnya", "earlier referrals"),
    "col_referral": Text("rujukan", "referral"),
    "col_agency": Text("perangkat daerah", "agency"),
    "col_due": Text("batas waktu", "due"),
    "col_new": Text("baru", "new"),
    "yes": Text("ya", "yes"),
    "no": Text("tidak (sudah diajukan)", "no (already submitted)"),
}
_SUGGEST_USAGE = "spm referrals suggest --wilayah CODE --period P [--raise]"
_SUGGEST_COLUMNS = (
    ("need_type", "col_need"),
    ("subject", "col_subject"),
    ("subject_id", "col_subject_id"),
    ("posyandu_id", "col_posyandu"),
    ("wilayah_code", "col_village"),
    ("earlier", "col_earlier"),
)

_LEVELS = {
    "kabkota": WilayahLevel.KABUPATEN_KOTA,
    "kecamatan": WilayahLevel.KECAMATAN,
    "desa": WilayahLevel.DESA_KELURAHAN,
}


def register(commands: Commands) -> None:
    """Add ``spm referrals``."""
    lang = commands.lang
    sub = commands.add("referrals", TEXTS["cmd_referrals"], _cmd_referrals, database=True)
    sub.add_argument("--agency", metavar="CODE", default=None, help=t("agency", lang, TEXTS))
    sub.add_argument("--period", metavar="P", default=None, help=t("period", lang, TEXTS))
    sub.add_argument("--wilayah", metavar="CODE", default=None, help=t("wilayah", lang, TEXTS))
    sub.add_argument(
        "--level", choices=tuple(_LEVELS), default="kabkota", help=t("level", lang, TEXTS)
    )
    sub.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help=t("format", lang, TEXTS),
    )
    group = Commands(
        sub.add_subparsers(dest="referrals_command", metavar="COMMAND", parser_class=type(sub)),
        lang,
    )
    suggest = group.add("suggest", TEXTS["cmd_suggest"], _cmd_suggest, database=True)
    suggest.add_argument(
        "--wilayah", metavar="CODE", required=True, help=t("s_wilayah", lang, TEXTS)
    )
    suggest.add_argument("--period", metavar="P", required=True, help=t("s_period", lang, TEXTS))
    suggest.add_argument(
        "--need", metavar="CODE", action="append", default=None, help=t("s_need", lang, TEXTS)
    )
    suggest.add_argument(
        "--subject", metavar="ID", action="append", default=None, help=t("s_subject", lang, TEXTS)
    )
    suggest.add_argument(
        "--raise", dest="submit", action="store_true", help=t("s_raise", lang, TEXTS)
    )
    suggest.add_argument(
        "--on", metavar="YYYY-MM-DD", type=dt.date.fromisoformat, help=t("s_on", lang, TEXTS)
    )
    suggest.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help=t("format", lang, TEXTS),
    )
    suggest.add_argument("--posyandu", metavar="ID", help=t("s_posyandu", lang, TEXTS))
    suggest.add_argument(
        "--role",
        default=Role.OPERATOR.value,
        choices=[r.value for r in Role if r is not Role.AGENCY_OFFICER],
        help=t("s_role", lang, TEXTS),
    )
    suggest.add_argument("--area", metavar="CODE", help=t("s_area", lang, TEXTS))
    add_purpose(suggest, lang)


def _suggest_actor(args: argparse.Namespace, wilayah: KodeWilayah) -> Actor:
    if args.posyandu:
        return Actor("cli", Role.KADER, PosyanduScope(args.posyandu))
    area = wilayah if args.area is None else KodeWilayah.parse(args.area)
    return Actor("cli", Role(args.role), AreaScope(area))


def _cmd_suggest(args: argparse.Namespace) -> int:
    from spm_core.api import Registry

    lang = args.lang
    wilayah = KodeWilayah.parse(args.wilayah)
    period = Period.parse(args.period)
    actor = _suggest_actor(args, wilayah)
    wanted = None if not args.subject else set(args.subject)
    with Registry.open(
        db_url(args), allow=allow_list(args), deny=tuple(args.deny or ()), upgrade=False
    ) as registry:
        known_posyandu(registry.store, actor)
        found = registry.suggest_needs(
            actor, wilayah, period, need_types=args.need, purpose=args.purpose
        )
        if wanted is not None:
            found = tuple(s for s in found if s.subject_id in wanted)
        submissions = (
            registry.raise_suggested(actor, found, Purpose.RUJUKAN, on=args.on)
            if args.submit
            else ()
        )
    if args.format == "json":
        data = [s.to_dict() for s in found]
        for item, done in zip(data, submissions, strict=False):
            item["referrals"] = [r.id for r in done.referrals]
            item["replayed"] = done.replayed
        print_json(data)
        return 0
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        names = [name for name, _ in _SUGGEST_COLUMNS] + ["idempotency_key"]
        writer.writerow(names + (["referrals", "replayed"] if submissions else []))
        for i, suggestion in enumerate(found):
            row = suggestion.to_dict()
            extra = []
            if submissions:
                done = submissions[i]
                extra = [" ".join(r.id for r in done.referrals), str(done.replayed).lower()]
            writer.writerow(neutralise_row([cell(row[name]) for name in names] + extra))
        return 0
    out = Output()
    if not found:
        out.line(t("s_none", lang, TEXTS))
        return 0
    out.table(
        t("s_title", lang, TEXTS, area=wilayah, period=period),
        [Column(t(key, lang, TEXTS), keep=True) for _, key in _SUGGEST_COLUMNS],
        [[cell(s.to_dict()[name]) for name, _ in _SUGGEST_COLUMNS] for s in found],
    )
    out.note(t("s_count", lang, TEXTS, count=len(found)))
    if submissions:
        rows = []
        for suggestion, done in zip(found, submissions, strict=True):
            for referral in done.referrals:
                rows.append(
                    [
                        suggestion.need_type,
                        suggestion.subject_id,
                        referral.id,
                        cell(referral.agency_code),
                        cell(referral.due_on),
                        t("no" if done.replayed else "yes", lang, TEXTS),
                    ]
                )
        headers = ("col_need", "col_subject_id", "col_referral", "col_agency", "col_due", "col_new")
        out.table(
            t("r_title", lang, TEXTS),
            [Column(t(key, lang, TEXTS), keep=True) for key in headers],
            rows,
        )
    return 0


def _cmd_referrals(args: argparse.Namespace) -> int:
    lang = args.lang
    area = args.wilayah or os.environ.get("SPM_WILAYAH")
    if not area:
        raise UsageError(t("no_wilayah", lang, TEXTS), "spm referrals --wilayah CODE")
    code = KodeWilayah.parse(area)
    period = None if args.period is None else Period.parse(args.period)
    actor = Actor(f"cli-tim-pembina-{code}", Role.TIM_PEMBINA, AreaScope(code))
    catalog = Catalog.build(plugin_manager(args))
    store = open_store(db_url(args), upgrade=False)
    try:
        rows = agency_performance(
            store,
            actor,
            catalog,
            period=period,
            agency_code=args.agency,
            level=_LEVELS[args.level],
        )
    finally:
        store.close()
    if args.format == "json":
        print_json([row.to_dict() for row in rows])
        return 0
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([name for name, _ in COLUMNS])
        for row in rows:
            data = row.to_dict(lang)
            writer.writerow(neutralise_row(cell(data[name]) for name, _ in COLUMNS))
        return 0
    out = Output()
    if not rows:
        out.line(t("none", lang, TEXTS))
        return 0
    shown = [(name, label) for name, label in COLUMNS if name != "agency_name"]
    table_rows = []
    for row in rows:
        data = row.to_dict(lang)
        share = data["resolved_on_time"]
        data["resolved_on_time"] = None if share is None else f"{share:.0%}"
        table_rows.append([cell(data[name]) for name, _ in shown])
    out.table(
        t("title", lang, TEXTS, area=code),
        [Column(label.get(lang), keep=name == "agency_code") for name, label in shown],
        table_rows,
    )
    return 0
