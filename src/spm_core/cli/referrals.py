"""``spm referrals``: how each agency handles its referrals (for the Tim Pembina)."""

from __future__ import annotations

import argparse
import csv
import os
import sys

from rich.table import Table

from spm_core.access import Actor, AreaScope, Role
from spm_core.catalog import Catalog
from spm_core.cli._common import (
    Commands,
    UsageError,
    cell,
    console,
    db_url,
    plugin_manager,
    print_json,
    t,
)
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
}

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
            writer.writerow([cell(data[name]) for name, _ in COLUMNS])
        return 0
    out = console()
    if not rows:
        out.print(t("none", lang, TEXTS))
        return 0
    table = Table(title=t("title", lang, TEXTS, area=code))
    for name, label in COLUMNS:
        if name != "agency_name":
            table.add_column(label.get(lang), no_wrap=name == "agency_code")
    for row in rows:
        data = row.to_dict(lang)
        share = data["resolved_on_time"]
        data["resolved_on_time"] = None if share is None else f"{share:.0%}"
        table.add_row(*(cell(data[name]) for name, _ in COLUMNS if name != "agency_name"))
    out.print(table)
    return 0
