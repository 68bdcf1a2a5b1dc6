"""``spm route``: which agency gets a need in a kelurahan/desa, and why."""

from __future__ import annotations

import argparse
import datetime as dt

from spm_core.catalog import Catalog
from spm_core.cli._common import (
    Commands,
    UsageError,
    cell,
    plugin_manager,
    print_json,
    t,
)
from spm_core.cli._output import Column, Output
from spm_core.domain.enums import Sex
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah
from spm_core.referrals.router import age_to_birth_date, decision_to_dict, route_need

__all__ = ["register"]

TEXTS = {
    "cmd_route": Text(
        "tampilkan perangkat daerah tujuan sebuah kebutuhan di suatu kelurahan/desa, "
        "beserta alasannya",
        "show which agency a need goes to in a kelurahan/desa, and why",
    ),
    "need": Text("kode jenis kebutuhan (mis. perkim.rtlh)", "need type code (e.g. perkim.rtlh)"),
    "wilayah": Text(
        "kode kelurahan/desa tempat subjek tinggal (mis. 32.75.01.1001)",
        "code of the kelurahan/desa where the subject lives (e.g. 32.75.01.1001)",
    ),
    "age": Text("usia subjek dalam tahun", "the subject's age in years"),
    "sex": Text(
        "jenis kelamin subjek: F/P (perempuan) atau M/L (laki-laki)",
        "the subject's sex: F/P (female) or M/L (male)",
    ),
    "on": Text("tanggal keputusan, YYYY-MM-DD (bawaan: hari ini)", "day of the decision"),
    "bad_sex": Text("jenis kelamin harus F, M, P atau L", "the sex must be F, M, P or L"),
    "bad_age": Text("usia harus 0 sampai 130", "the age must be 0 to 130"),
    "title": Text("Rujukan {need} di {village}", "Routing of {need} in {village}"),
    "col_agency": Text("kode perangkat daerah", "agency code"),
    "col_name": Text("perangkat daerah", "agency"),
    "col_role": Text("peran", "role"),
    "col_generic": Text("generik", "generic"),
    "yes": Text("ya", "yes"),
    "rule": Text("Aturan: {rule} (plugin {plugin})", "Rule: {rule} (plugin {plugin})"),
}

_SEXES = {"F": Sex.FEMALE, "P": Sex.FEMALE, "M": Sex.MALE, "L": Sex.MALE}


def register(commands: Commands) -> None:
    """Add ``spm route``."""
    lang = commands.lang
    sub = commands.with_format(commands.add("route", TEXTS["cmd_route"], _cmd_route))
    sub.add_argument("need", metavar="NEED", help=t("need", lang, TEXTS))
    sub.add_argument("--wilayah", metavar="CODE", required=True, help=t("wilayah", lang, TEXTS))
    sub.add_argument("--age", metavar="N", type=int, default=None, help=t("age", lang, TEXTS))
    sub.add_argument("--sex", metavar="F|M", default=None, help=t("sex", lang, TEXTS))
    sub.add_argument(
        "--on", metavar="YYYY-MM-DD", type=dt.date.fromisoformat, help=t("on", lang, TEXTS)
    )


def _cmd_route(args: argparse.Namespace) -> int:
    lang = args.lang
    sex = None
    if args.sex is not None:
        sex = _SEXES.get(args.sex.strip().upper())
        if sex is None:
            raise UsageError(t("bad_sex", lang, TEXTS), "spm route NEED --wilayah CODE")
    if args.age is not None and not 0 <= args.age <= 130:
        raise UsageError(t("bad_age", lang, TEXTS), "spm route NEED --wilayah CODE")
    on = args.on or dt.date.today()
    catalog = Catalog.build(plugin_manager(args))
    village = KodeWilayah.parse(args.wilayah)
    birth = None if args.age is None else age_to_birth_date(args.age, on)
    decision = route_need(catalog, args.need, village, on=on, birth_date=birth, sex=sex)
    data = decision_to_dict(decision)
    if args.format == "json":
        print_json(data)
        return 0
    out = Output()
    out.table(
        t("title", lang, TEXTS, need=args.need, village=village),
        [
            Column(t("col_agency", lang, TEXTS), keep=True),
            Column(t("col_name", lang, TEXTS), keep=True),
            Column(t("col_role", lang, TEXTS), keep=True),
            Column(t("col_generic", lang, TEXTS)),
        ],
        [
            [
                agency["code"],
                agency["name"][lang],
                agency["role"],
                t("yes", lang, TEXTS) if agency["generic"] else "",
            ]
            for agency in data["agencies"]
        ],
    )
    out.line(t("rule", lang, TEXTS, rule=data["rule"], plugin=cell(data["plugin"])))
    for line in data["explanation"][lang].splitlines():
        out.line(line)
    return 0
