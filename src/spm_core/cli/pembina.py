"""``spm pembina``: the Tim Pembina Posyandu's action plan, monitoring, roll-out, mentoring.

Every command acts as the Tim Pembina of ``--wilayah`` (or ``$SPM_WILAYAH``; for
``plan --file``, the plan's own region by default): it writes plans of that region and
sees counts of it, never rows about residents.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.cli._common import Commands, UsageError, allow_list, db_url, os_reason, print_json, t
from spm_core.cli._output import Column, Output, cell
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InvalidValue

__all__ = ["register"]

TEXTS = {
    "cmd_pembina": Text(
        "Tim Pembina Posyandu: rencana aksi, pemantauan, peluasan bertahap, pendampingan kader",
        "Tim Pembina Posyandu: action plan, monitoring, phased roll-out, kader mentoring",
    ),
    "cmd_plan": Text(
        "simpan rencana aksi (atau revisinya) dari berkas JSON/YAML, atau tampilkan",
        "store an action plan (or a revision) from a JSON/YAML file, or show one",
    ),
    "cmd_status": Text(
        "nilai tiap komitmen: nilai awal, terakhir, tren, status, rekap per OPD",
        "judge each commitment: baseline, latest, trend, status, scorecards per agency",
    ),
    "cmd_rollout": Text(
        "peluasan enam bidang per tahap: posyandu, kelurahan, warga, indikator sebelum/sesudah",
        "the six-field roll-out by phase: posyandu, kelurahan, residents, indicators before/after",
    ),
    "cmd_mentoring": Text(
        "sinyal pendampingan kader per posyandu, yang paling perlu dikunjungi lebih dulu",
        "kader mentoring signals per posyandu, those most in need of a visit first",
    ),
    "file": Text("berkas rencana (.json, .yaml)", "plan file (.json, .yaml)"),
    "show": Text("tampilkan rencana dengan kode ini", "show the plan with this code"),
    "history": Text("tampilkan semua versi rencana", "show every version of the plan"),
    "expected_version": Text(
        "versi yang direvisi (menolak bila sudah ada revisi lain)",
        "the version revised (refused when another revision came first)",
    ),
    "purpose": Text(
        "tujuan: administrasi, pelaporan, koreksi", "purpose: administrasi, pelaporan, koreksi"
    ),
    "wilayah": Text(
        "wilayah Tim Pembina (bawaan: $SPM_WILAYAH)",
        "the Tim Pembina's region (default: $SPM_WILAYAH)",
    ),
    "plan_code": Text("hanya rencana ini", "only this plan"),
    "agency": Text("hanya komitmen perangkat daerah ini", "only this agency's commitments"),
    "as_of": Text("tanggal penilaian (bawaan: hari ini)", "the day judged (default: today)"),
    "top": Text("hanya N posyandu teratas", "only the top N posyandu"),
    "format": Text("format keluaran", "output format"),
    "no_wilayah": Text(
        "sebutkan --wilayah (atau $SPM_WILAYAH), mis. 32.75",
        "give --wilayah (or $SPM_WILAYAH), e.g. 32.75",
    ),
    "no_plan": Text("sebutkan --file atau --show", "give --file or --show"),
    "no_yaml": Text(
        "membaca YAML membutuhkan PyYAML: pasang spm-core[yaml], atau pakai JSON",
        "reading YAML needs PyYAML: install spm-core[yaml], or use JSON",
    ),
    "bad_file": Text(
        "berkas rencana tidak terbaca: {error}", "the plan file cannot be read: {error}"
    ),
    "saved": Text(
        "Rencana {code} versi {version} tersimpan ({count} komitmen).",
        "Plan {code} version {version} stored ({count} commitments).",
    ),
    "plan_title": Text(
        "Rencana {code} versi {version}: {title}", "Plan {code} version {version}: {title}"
    ),
    "history_title": Text("Riwayat rencana {code}", "History of plan {code}"),
    "status_title": Text("Komitmen pada {day}", "Commitments as of {day}"),
    "agency_title": Text("Rekap per perangkat daerah", "Scorecard per agency"),
    "kecamatan_title": Text("Rekap per kecamatan", "Scorecard per kecamatan"),
    "rule": Text("Aturan: {rule}", "Rule: {rule}"),
    "rollout_title": Text("Peluasan bertahap pada {day}", "Phased roll-out as of {day}"),
    "change_title": Text(
        "Indikator sebelum dan sesudah tahap", "Indicators before and after each phase"
    ),
    "mentoring_title": Text(
        "Posyandu yang perlu pendampingan ({start} – {day})",
        "Posyandu in need of mentoring ({start} – {day})",
    ),
    "none": Text("Tidak ada.", "None."),
}

_H = {
    "code": Text("kode", "code"),
    "version": Text("versi", "version"),
    "agreed_on": Text("disepakati", "agreed"),
    "note": Text("catatan", "note"),
    "commitments": Text("komitmen", "commitments"),
    "kind": Text("jenis", "kind"),
    "agency": Text("perangkat daerah", "agency"),
    "measure": Text("ukuran", "measure"),
    "target": Text("target", "target"),
    "due": Text("batas waktu", "due"),
    "group": Text("kelompok", "group"),
    "field": Text("bidang", "field"),
    "total": Text("jumlah", "total"),
    "met": Text("tercapai", "met"),
    "on_track": Text("sesuai jalur", "on track"),
    "at_risk": Text("berisiko", "at risk"),
    "missed": Text("tidak tercapai", "missed"),
    "no_data": Text("belum ada data", "no data"),
    "phase": Text("tahap", "phase"),
    "posyandu": Text("posyandu", "posyandu"),
    "kelurahan": Text("kelurahan", "kelurahan"),
    "fields": Text("bidang baru", "fields taken on"),
    "covered_posyandu": Text("posyandu aktif", "posyandu live"),
    "covered_kelurahan": Text("kelurahan aktif", "kelurahan live"),
    "fields_live": Text("pasangan posyandu-bidang", "posyandu-field pairs"),
    "residents": Text("warga tercakup", "residents covered"),
    "indicator": Text("indikator", "indicator"),
    "before": Text("sebelum", "before"),
    "after": Text("sesudah", "after"),
}


def register(commands: Commands) -> None:
    """Add ``spm pembina plan|status|rollout|mentoring``."""
    lang = commands.lang
    top = commands.add("pembina", TEXTS["cmd_pembina"], _missing_subcommand)
    group = Commands(
        top.add_subparsers(dest="pembina_command", metavar="COMMAND", parser_class=type(top)),
        lang,
    )
    plan = group.add("plan", TEXTS["cmd_plan"], _cmd_plan, database=True)
    plan.add_argument("--file", type=Path, help=t("file", lang, TEXTS))
    plan.add_argument("--show", metavar="CODE", help=t("show", lang, TEXTS))
    plan.add_argument("--history", action="store_true", help=t("history", lang, TEXTS))
    plan.add_argument(
        "--expected-version", type=int, default=None, help=t("expected_version", lang, TEXTS)
    )
    plan.add_argument(
        "--purpose",
        choices=("administrasi", "pelaporan", "koreksi"),
        default="administrasi",
        help=t("purpose", lang, TEXTS),
    )
    plan.add_argument("--wilayah", metavar="CODE", help=t("wilayah", lang, TEXTS))
    plan.add_argument(
        "--format", choices=("table", "json"), default="table", help=t("format", lang, TEXTS)
    )

    status = group.add("status", TEXTS["cmd_status"], _cmd_status, database=True)
    _area(status, lang)
    status.add_argument("--plan", metavar="CODE", help=t("plan_code", lang, TEXTS))
    status.add_argument("--agency", metavar="CODE", help=t("agency", lang, TEXTS))
    status.add_argument(
        "--format",
        choices=("table", "json", "csv", "html"),
        default="table",
        help=t("format", lang, TEXTS),
    )

    rollout = group.add("rollout", TEXTS["cmd_rollout"], _cmd_rollout, database=True)
    _area(rollout, lang)
    rollout.add_argument(
        "--format", choices=("table", "json"), default="table", help=t("format", lang, TEXTS)
    )

    mentoring = group.add("mentoring", TEXTS["cmd_mentoring"], _cmd_mentoring, database=True)
    _area(mentoring, lang)
    mentoring.add_argument("--top", type=int, default=None, metavar="N", help=t("top", lang, TEXTS))
    mentoring.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help=t("format", lang, TEXTS)
    )


def _area(sub: argparse.ArgumentParser, lang: str) -> None:
    sub.add_argument("--wilayah", metavar="CODE", help=t("wilayah", lang, TEXTS))
    sub.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help=t("as_of", lang, TEXTS),
    )


def _missing_subcommand(args: argparse.Namespace) -> int:
    raise UsageError(
        t("cmd_pembina", args.lang, TEXTS), "spm pembina plan|status|rollout|mentoring"
    )


def _team(args: argparse.Namespace, default: str | None = None) -> Actor:
    area = args.wilayah or os.environ.get("SPM_WILAYAH") or default
    if not area:
        raise UsageError(
            t("no_wilayah", args.lang, TEXTS), f"spm pembina {args.pembina_command} --wilayah CODE"
        )
    code = KodeWilayah.parse(area)
    return Actor(f"cli-tim-pembina-{code}", Role.TIM_PEMBINA, AreaScope(code))


def _registry(args: argparse.Namespace) -> Any:
    from spm_core.api import Registry

    return Registry.open(
        db_url(args), allow=allow_list(args), deny=tuple(args.deny or ()), upgrade=False
    )


def _read(path: Path, lang: str) -> Any:
    try:
        body = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidValue(
            value=str(path),
            reason_id=TEXTS["bad_file"].id.format(error=os_reason(error).id),
            reason_en=TEXTS["bad_file"].en.format(error=os_reason(error).en),
        ) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            yaml = importlib.import_module("yaml")
        except ImportError:
            raise InvalidValue(
                value=str(path), reason_id=TEXTS["no_yaml"].id, reason_en=TEXTS["no_yaml"].en
            ) from None
        try:
            return yaml.safe_load(body)
        except yaml.YAMLError as error:
            raise InvalidValue(
                value=str(path),
                reason_id=TEXTS["bad_file"].id.format(error=error),
                reason_en=TEXTS["bad_file"].en.format(error=error),
            ) from None
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise InvalidValue(
            value=str(path),
            reason_id=TEXTS["bad_file"].id.format(error=error),
            reason_en=TEXTS["bad_file"].en.format(error=error),
        ) from None


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _cmd_plan(args: argparse.Namespace) -> int:
    lang = args.lang
    if args.file is None and args.show is None:
        raise UsageError(
            t("no_plan", lang, TEXTS), "spm pembina plan --file PLAN.yaml | --show CODE"
        )
    out = Output()
    if args.file is not None:
        data = _read(args.file, lang)
        region = data.get("wilayah_code") if isinstance(data, dict) else None
        team = _team(args, str(region) if region else None)
        with _registry(args) as registry:
            plan = registry.save_action_plan(
                team, data, Purpose.parse(args.purpose), expected_version=args.expected_version
            )
        if args.format == "json":
            print_json(plan.to_dict())
        else:
            out.line(
                t(
                    "saved",
                    lang,
                    TEXTS,
                    code=plan.code,
                    version=plan.version,
                    count=len(plan.commitments),
                )
            )
        return 0
    team = _team(args)
    with _registry(args) as registry:
        versions = (
            registry.action_plan_history(team, args.show)
            if args.history
            else [registry.action_plan(team, args.show)]
        )
    if args.format == "json":
        print_json([p.to_dict() for p in versions] if args.history else versions[0].to_dict())
        return 0
    if args.history:
        columns = [
            Column(_H[k].get(lang), keep=True) for k in ("version", "agreed_on", "commitments")
        ]
        columns.append(Column(_H["note"].get(lang), wrap=True))
        rows = [
            [str(p.version), p.agreed_on.isoformat(), str(len(p.commitments)), p.note or ""]
            for p in versions
        ]
        out.table(t("history_title", lang, TEXTS, code=args.show), columns, rows)
        return 0
    plan = versions[0]
    columns = [
        Column(_H[k].get(lang), keep=k in ("code", "agency"))
        for k in ("code", "kind", "agency", "measure", "target", "due")
    ]
    rows = [
        [
            c.code,
            c.kind,
            c.agency_code,
            c.indicator or c.need_type or c.title or "",
            "" if c.target is None else f"{c.target:g}",
            c.due_on.isoformat(),
        ]
        for c in plan.commitments
    ]
    out.table(
        t("plan_title", lang, TEXTS, code=plan.code, version=plan.version, title=plan.title),
        columns,
        rows,
    )
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    from spm_core.pembina.html import status_page
    from spm_core.pembina.monitoring import STATUS_COLUMNS

    lang = args.lang
    team = _team(args)
    with _registry(args) as registry:
        status = registry.pembina_status(
            team, plan=args.plan, as_of=args.as_of, agency_code=args.agency
        )
    if args.format == "json":
        sys.stdout.write(status.to_json(lang) + "\n")
        return 0
    if args.format == "csv":
        sys.stdout.write(status.to_csv(lang))
        return 0
    if args.format == "html":
        sys.stdout.write(status_page(status, lang))
        return 0
    out = Output()
    shown = [n for n, _ in STATUS_COLUMNS if n not in ("plan", "title")]
    labels = dict(STATUS_COLUMNS)
    columns = [
        Column(labels[n].get(lang), keep=n in ("commitment", "agency_code"), wrap=n == "reason")
        for n in shown
    ]
    rows = []
    for item in status.commitments:
        data = item.to_dict(lang)
        rows.append([_num(data[n]) if isinstance(data[n], float) else cell(data[n]) for n in shown])
    if rows:
        out.table(t("status_title", lang, TEXTS, day=status.as_of.isoformat()), columns, rows)
    else:
        out.line(t("none", lang, TEXTS))
    for key, scores in (
        ("agency_title", status.by_agency),
        ("kecamatan_title", status.by_kecamatan),
    ):
        if not scores:
            continue
        names = ("group", "field", "total", "met", "on_track", "at_risk", "missed", "no_data")
        out.table(
            t(key, lang, TEXTS),
            [Column(_H[n].get(lang), keep=n == "group") for n in names],
            [[str(getattr(r, n)) for n in names] for r in scores],
        )
    out.note(t("rule", lang, TEXTS, rule=status.rule.get(lang)))
    return 0


def _cmd_rollout(args: argparse.Namespace) -> int:
    lang = args.lang
    team = _team(args)
    with _registry(args) as registry:
        result = registry.pembina_rollout(team, as_of=args.as_of)
    if args.format == "json":
        sys.stdout.write(result.to_json() + "\n")
        return 0
    out = Output()
    if not result.phases:
        out.line(t("none", lang, TEXTS))
        return 0
    names = (
        "phase",
        "posyandu",
        "kelurahan",
        "fields",
        "covered_posyandu",
        "covered_kelurahan",
        "fields_live",
        "residents",
    )
    rows = [
        [
            p.period,
            str(len(p.posyandu)),
            str(len(p.kelurahan)),
            ", ".join(f"{f} {n}" for f, n in p.fields.items()),
            str(p.covered_posyandu),
            str(p.covered_kelurahan),
            str(p.fields_live),
            cell(p.residents_covered),
        ]
        for p in result.phases
    ]
    out.table(
        t("rollout_title", lang, TEXTS, day=result.as_of.isoformat()),
        [Column(_H[n].get(lang), keep=n == "phase") for n in names],
        rows,
    )
    heads = ("phase", "field", "indicator", "posyandu", "before", "after")
    changes = [
        [
            p.period,
            c.field,
            c.indicator,
            str(c.posyandu),
            f"{c.before_period} {_num(c.before)}",
            f"{c.after_period} {_num(c.after)}",
        ]
        for p in result.phases
        for c in p.indicators
    ]
    out.table(
        t("change_title", lang, TEXTS),
        [Column(_H[n].get(lang), keep=n == "indicator") for n in heads],
        changes,
    )
    return 0


def _cmd_mentoring(args: argparse.Namespace) -> int:
    from spm_core.pembina.mentoring import SIGNAL_COLUMNS

    lang = args.lang
    team = _team(args)
    with _registry(args) as registry:
        result = registry.pembina_mentoring(team, as_of=args.as_of)
    if args.top is not None:
        result = attrs.evolve(result, posyandu=result.posyandu[: max(0, args.top)])
    if args.format == "json":
        sys.stdout.write(result.to_json(lang) + "\n")
        return 0
    if args.format == "csv":
        sys.stdout.write(result.to_csv(lang))
        return 0
    out = Output()
    if not result.posyandu:
        out.line(t("none", lang, TEXTS))
        return 0
    rows = []
    for p in result.posyandu:
        data = p.to_dict(lang)
        share = data["completeness"]
        data["completeness"] = None if share is None else f"{share:.0%}"
        data["score"] = f"{p.score:.1f}"
        rows.append([cell(data[n]) for n, _ in SIGNAL_COLUMNS])
    columns = [
        Column(label.get(lang), keep=n in ("rank", "name"), wrap=n == "reason")
        for n, label in SIGNAL_COLUMNS
    ]
    out.table(
        t(
            "mentoring_title",
            lang,
            TEXTS,
            start=result.window_start.isoformat(),
            day=result.as_of.isoformat(),
        ),
        columns,
        rows,
    )
    return 0
