"""``spm report`` and ``spm explain``: indicators for an area, and why one subject counts.

Both act as an actor given on the command line: ``--role`` (default ``operator``) with
``--area CODE`` (an area role) or ``--posyandu ID`` (a kader). The actor's scope limits
what is counted and what can be explained, exactly as in the library.
"""

from __future__ import annotations

import argparse
import sys

from rich.table import Table
from rich.text import Text as RichText

from spm_core._files import write_file
from spm_core.access import Actor, AreaScope, PosyanduScope, Role
from spm_core.cli._common import (
    Commands,
    Parser,
    UsageError,
    add_purpose,
    allow_list,
    cell,
    console,
    db_url,
    known_posyandu,
    t,
)
from spm_core.cli._output import Column, Output
from spm_core.domain.text import Text, format_number
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InvalidValue

__all__ = ["register"]

TEXTS = {
    "cmd_report": Text(
        "hitung indikator SPM dan capaian untuk satu periode",
        "compute the SPM indicators and achievement for a period",
    ),
    "cmd_explain": Text(
        "jelaskan mengapa seorang warga atau rumah tangga terhitung atau tidak",
        "explain why a resident or household is or is not counted",
    ),
    "opt_period": Text("periode, mis. 2025 atau 2025-Q2", "period, e.g. 2025 or 2025-Q2"),
    "opt_level": Text(
        "tingkat wilayah: posyandu, kelurahan, kecamatan, kabupaten_kota, provinsi",
        "area level: posyandu, kelurahan, kecamatan, kabupaten_kota, provinsi",
    ),
    "opt_field": Text("hanya bidang ini (dapat diulang)", "only this field (repeatable)"),
    "opt_by": Text(
        "rincian: sex, age_group (dapat diulang)", "breakdown: sex, age_group (repeatable)"
    ),
    "opt_engine": Text(
        "mesin hitung: sql (bawaan) atau columnar (polars, cepat untuk satu kota utuh)",
        "counting engine: sql (default) or columnar (polars, fast for a whole city)",
    ),
    "opt_report_format": Text(
        "format keluaran; html: satu halaman mandiri (capaian, grafik, rujukan, dasar hukum)",
        "output format; html: one self-contained page (achievement, charts, referrals, law)",
    ),
    "opt_pembina": Text(
        "html: tambahkan bagian Tim Pembina (rencana aksi yang berlaku di akhir periode)",
        "html: add the Tim Pembina section (the action plans in force at the period's end)",
    ),
    "opt_out": Text(
        "tulis ke berkas ini, bukan ke keluaran standar (json, csv, html)",
        "write to this file instead of standard output (json, csv, html)",
    ),
    "out_table": Text(
        "--out berlaku untuk --format json, csv atau html",
        "--out applies to --format json, csv or html",
    ),
    "written": Text("Laporan ditulis ke {path}", "Report written to {path}"),
    "opt_role": Text("peran pelaku (bawaan: operator)", "the actor's role (default: operator)"),
    "opt_area": Text("kode wilayah lingkup pelaku", "region code of the actor's scope"),
    "opt_posyandu": Text("id posyandu (untuk kader)", "posyandu id (for a kader)"),
    "opt_resident": Text("id warga", "resident id"),
    "opt_household": Text("id rumah tangga", "household id"),
    "opt_indicator": Text("kode indikator", "indicator code"),
    "no_scope": Text("berikan --area KODE atau --posyandu ID", "give --area CODE or --posyandu ID"),
    "no_subject": Text(
        "berikan --resident ID atau --household ID", "give --resident ID or --household ID"
    ),
    "col_indicator": Text("indikator", "indicator"),
    "col_area": Text("wilayah", "area"),
    "col_numerator": Text("terlayani", "served"),
    "col_denominator": Text("sasaran", "to serve"),
    "col_value": Text("%", "%"),
    "col_index": Text("capaian", "index"),
    "col_band": Text("kategori", "band"),
    "withheld": Text("disembunyikan", "withheld"),
    "withheld_note": Text(
        "Jumlah di bawah {n}, dan jumlah yang dapat dipakai menghitungnya, disembunyikan.",
        "Counts below {n}, and counts from which one could be worked out, are withheld.",
    ),
    "col_service": Text("jenis layanan", "service type"),
    "report_title": Text("Indikator SPM {period}", "SPM indicators {period}"),
    "index_title": Text("Capaian SPM {period}", "SPM achievement {period}"),
}


def register(commands: Commands) -> None:
    """Add ``spm report`` and ``spm explain``."""
    lang = commands.lang
    report = commands.add("report", TEXTS["cmd_report"], _cmd_report, database=True)
    report.add_argument("--period", required=True, help=t("opt_period", lang, TEXTS))
    report.add_argument("--level", default="kelurahan", help=t("opt_level", lang, TEXTS))
    report.add_argument("--field", action="append", help=t("opt_field", lang, TEXTS))
    report.add_argument(
        "--by", action="append", choices=("sex", "age_group"), help=t("opt_by", lang, TEXTS)
    )
    report.add_argument(
        "--format",
        choices=("table", "json", "csv", "html"),
        default="table",
        help=t("opt_report_format", lang, TEXTS),
    )
    report.add_argument(
        "--engine", choices=("sql", "columnar"), default="sql", help=t("opt_engine", lang, TEXTS)
    )
    report.add_argument("--out", metavar="FILE", default=None, help=t("opt_out", lang, TEXTS))
    report.add_argument("--pembina", action="store_true", help=t("opt_pembina", lang, TEXTS))
    _actor_options(report, lang)
    explain = commands.add("explain", TEXTS["cmd_explain"], _cmd_explain, database=True)
    explain.add_argument("indicator", metavar="INDICATOR", help=t("opt_indicator", lang, TEXTS))
    explain.add_argument("--period", required=True, help=t("opt_period", lang, TEXTS))
    explain.add_argument("--resident", help=t("opt_resident", lang, TEXTS))
    explain.add_argument("--household", help=t("opt_household", lang, TEXTS))
    _actor_options(explain, lang)
    add_purpose(explain, lang)


def _actor_options(sub: Parser, lang: str) -> None:
    sub.add_argument(
        "--role",
        default="operator",
        choices=[r.value for r in Role if r is not Role.AGENCY_OFFICER],
        help=t("opt_role", lang, TEXTS),
    )
    sub.add_argument("--area", help=t("opt_area", lang, TEXTS))
    sub.add_argument("--posyandu", help=t("opt_posyandu", lang, TEXTS))


def _actor(args: argparse.Namespace) -> Actor:
    if args.posyandu:
        return Actor("cli", Role.KADER, PosyanduScope(args.posyandu))
    if not args.area:
        raise InvalidValue(
            value="--area",
            reason_id=TEXTS["no_scope"].id,
            reason_en=TEXTS["no_scope"].en,
        )
    area = KodeWilayah.parse(args.area, require_known=True)  # 32.99 is not a silent empty report
    return Actor("cli", Role(args.role), AreaScope(area))


def _emit(text: str, out: str | None, lang: str) -> int:
    if out is None:
        sys.stdout.write(text)
        return 0
    path = write_file(out, text.encode("utf-8"), private=False)
    sys.stderr.write(t("written", lang, TEXTS, path=path) + "\n")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from spm_core.api import Registry
    from spm_core.reporting import html_report

    lang = args.lang
    if args.out is not None and args.format == "table":
        raise UsageError(t("out_table", lang, TEXTS), "spm report --format html --out FILE")
    actor = _actor(args)
    with Registry.open(
        db_url(args), allow=allow_list(args), deny=tuple(args.deny or ())
    ) as registry:
        known_posyandu(registry.store, actor)
        report = registry.compute_report(
            actor,
            args.period,
            args.level,
            fields=args.field,
            disaggregate=args.by or (),
            engine=args.engine,
        )
        if args.format == "html":
            extra = (
                (registry.pembina_section(actor, as_of=report.period.end),) if args.pembina else ()
            )
            page = html_report(
                registry.store, actor, registry.catalog, report.period, level=report.level,
                lang=lang, report=report, extra_sections=extra,
            )  # fmt: skip
            return _emit(page, args.out, lang)
    if args.format == "json":
        return _emit(report.to_json() + "\n", args.out, lang)
    if args.format == "csv":
        return _emit(report.to_csv(), args.out, lang)
    keys = ("indicator", "area", "numerator", "denominator", "value")
    plain = Output()

    def number(value: float | None, decimals: int = 0) -> str:
        # A terminal is read: Indonesian digit grouping and decimals there (1.190; 62,0);
        # a pipe keeps plain numbers for grep, cut and sort.
        if value is None:
            return ""
        if plain.terminal:
            return format_number(value, lang, decimals)
        if decimals:
            return f"{value:.{decimals}f}"
        # whole counts as integers: "{:g}" wrote a denominator of 1,700,000 as 1.7e+06
        return str(int(value)) if float(value).is_integer() else str(value)

    withheld = t("withheld", lang, TEXTS)
    rows = [
        [
            row.indicator + (f" [{group}]" if group else ""),
            row.area_name,
            withheld if row.numerator is None and row.suppressed else number(row.numerator),
            withheld if row.denominator is None and row.suppressed else number(row.denominator),
            number(row.value, 1),
        ]
        for row in report.rows
        for group in [" ".join(v for v in (row.sex, row.age_group) if v)]
    ]
    index_keys = ("area", "service", "index", "band")
    index_rows = [
        [
            item.area_name,
            item.service_type or item.field or "—",
            number(item.index, 1),
            cell(item.band_id if lang == "id" else item.band_en),
        ]
        for item in report.index
    ]
    title = t("report_title", lang, TEXTS, period=report.period)
    index_title = t("index_title", lang, TEXTS, period=report.period)
    if report.suppressed_below is not None:
        plain.note(t("withheld_note", lang, TEXTS, n=report.suppressed_below))
    if not plain.terminal:
        # In a pipe or a file: tab-separated rows, as every other command prints.
        plain.table(title, [Column(t(f"col_{k}", lang, TEXTS)) for k in keys], rows)
        if index_rows:
            plain.table(
                index_title, [Column(t(f"col_{k}", lang, TEXTS)) for k in index_keys], index_rows
            )
        return 0
    out = console()
    table = Table(title=title)
    for key in keys:
        table.add_column(
            t(f"col_{key}", lang, TEXTS), justify="right" if key in keys[2:] else "left"
        )
    for values in rows:
        # Text, not markup: a breakdown such as "[l 0-4]" must print as written.
        table.add_row(*(RichText(v) for v in values))
    out.print(table)
    if index_rows:
        index = Table(title=index_title)
        for key in index_keys:
            index.add_column(t(f"col_{key}", lang, TEXTS))
        for values in index_rows:
            index.add_row(*(RichText(v) for v in values))
        out.print(index)
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from spm_core.api import Registry

    subject = args.resident or args.household
    if not subject:
        raise InvalidValue(
            value="--resident",
            reason_id=TEXTS["no_subject"].id,
            reason_en=TEXTS["no_subject"].en,
        )
    actor = _actor(args)
    with Registry.open(
        db_url(args), allow=allow_list(args), deny=tuple(args.deny or ())
    ) as registry:
        known_posyandu(registry.store, actor)
        found = registry.explain(actor, args.indicator, subject, args.period, purpose=args.purpose)
    console().print("\n".join(found.lines(args.lang)), soft_wrap=True, markup=False)
    return 0
