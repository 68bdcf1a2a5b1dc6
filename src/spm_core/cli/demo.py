"""``spm demo``: a slice of Kota Bekasi from posyandu records to the SPM report, in a minute.

Builds the demonstration of :mod:`spm_core.demo` into a fresh SQLite file
(``spm-demo.db`` unless ``--db`` says otherwise), prints a short summary — the
achievement index per field and kecamatan, the referrals per agency with their deadline
compliance — and writes the self-contained HTML report (``spm-report.html``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import make_url

from spm_core.cli._common import Commands, allow_list, cell, invocation, t
from spm_core.cli._output import Column, Output
from spm_core.domain.enums import SpmField
from spm_core.domain.text import Text, format_number
from spm_core.errors import InvalidValue

if TYPE_CHECKING:
    from spm_core.demo import DemoResult, Steps

__all__ = ["register"]

DEFAULT_DB = "spm-demo.db"
DEFAULT_OUT = "spm-report.html"

TEXTS = {
    "cmd_demo": Text(
        "demo: sebagian Kota Bekasi dari catatan posyandu sampai laporan SPM dan rujukan",
        "demo: a slice of Kota Bekasi from posyandu records to the SPM report and referrals",
    ),
    "db": Text(
        f"berkas SQLite atau URL basis data baru/kosong (bawaan: {DEFAULT_DB}, dibuat ulang "
        "setiap kali)",
        f"SQLite file or URL of a new or empty database (default: {DEFAULT_DB}, made afresh "
        "on every run)",
    ),
    "residents": Text("jumlah warga (bawaan: 20000)", "number of residents (default: 20000)"),
    "seed": Text("benih: benih yang sama, hasil yang sama", "seed: same seed, same results"),
    "year": Text("tahun data (bawaan: tahun lalu)", "year of the data (default: last year)"),
    "out": Text(
        f"berkas laporan HTML (bawaan: {DEFAULT_OUT})",
        f"HTML report file (default: {DEFAULT_OUT})",
    ),
    "not_empty": Text(
        "basis data ini sudah berisi data; demo hanya ditulis ke basis data kosong",
        "this database already holds data; the demo writes to an empty database only",
    ),
    "made": Text(
        "Kota sintetis {year} (benih {seed}): {residents} warga, {households} keluarga, "
        "{records} catatan, {posyandu} posyandu di {villages} kelurahan.",
        "Synthetic city {year} (seed {seed}): {residents} residents, {households} "
        "households, {records} records, {posyandu} posyandu in {villages} kelurahan.",
    ),
    "no_region": Text(
        "Plugin wilayah Kota Bekasi tidak dimuat: rujukan diteruskan ke perangkat daerah "
        "generik (pasang dengan: {pip} install -e regions/kota-bekasi).",
        "The Kota Bekasi region plugin is not loaded: referrals go to generic agencies "
        "(install it with: {pip} install -e regions/kota-bekasi).",
    ),
    "needs": Text(
        "Kebutuhan: {suggested} ditemukan dari catatan, {raised} diajukan kader; "
        "rujukan: {states}.",
        "Needs: {suggested} found in the records, {raised} raised by kader; referrals: {states}.",
    ),
    "index_title": Text(
        "Capaian SPM {year} per bidang dan kecamatan",
        "SPM achievement {year} by field and district",
    ),
    "area": Text("wilayah", "area"),
    "overall": Text("semua", "all"),
    "band": Text("kategori", "band"),
    "referrals_title": Text("Rujukan {year} per perangkat daerah", "Referrals {year} per agency"),
    "agency": Text("perangkat daerah", "agency"),
    "field": Text("bidang", "field"),
    "total": Text("jumlah", "total"),
    "open": Text("terbuka", "open"),
    "overdue": Text("lewat batas", "overdue"),
    "resolved": Text("selesai", "resolved"),
    "on_time": Text("tepat waktu", "on time"),
    "html": Text("Laporan HTML: {path}", "HTML report: {path}"),
    "database": Text(
        "Basis data: {db} — coba: {spm} report --db {url} --area 32.75 --period {year}",
        "Database: {db} — try: {spm} report --db {url} --area 32.75 --period {year}",
    ),
    "done": Text("Demo selesai dalam {seconds} detik.", "Demo finished in {seconds} s."),
}

_STATES = {
    "routed": Text("menunggu", "waiting"),
    "accepted": Text("diterima", "accepted"),
    "in_progress": Text("dikerjakan", "in progress"),
    "resolved": Text("selesai", "resolved"),
    "rejected": Text("ditolak", "rejected"),
    "cancelled": Text("dibatalkan", "cancelled"),
    "overdue": Text("lewat batas", "overdue"),
}


def register(commands: Commands) -> None:
    """Add ``spm demo``."""
    lang = commands.lang
    sub = commands.add("demo", TEXTS["cmd_demo"], _cmd_demo)
    # Its own --db (a file or URL, never $SPM_DATABASE_URL: the demo must not write into
    # a deployment's database), so the command counts as one that opens a database.
    sub.add_argument(
        "--db", metavar="FILE|URL", default=argparse.SUPPRESS, help=t("db", lang, TEXTS)
    )
    sub.set_defaults(database=True)
    sub.add_argument("--residents", type=int, default=20_000, help=t("residents", lang, TEXTS))
    sub.add_argument("--seed", type=int, default=0, help=t("seed", lang, TEXTS))
    sub.add_argument("--year", type=int, default=None, help=t("year", lang, TEXTS))
    sub.add_argument("--out", metavar="FILE", default=DEFAULT_OUT, help=t("out", lang, TEXTS))


def _sqlite_file(target: str) -> Path | None:
    """The file of a SQLite target (a plain path or a ``sqlite:///`` URL), else None."""
    if "://" not in target:
        return Path(target)
    url = make_url(target)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database))
    return None


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _check_empty(url: str) -> None:
    from spm_core.access import Actor, AreaScope, Purpose, Role
    from spm_core.demo import CITY
    from spm_core.store import open_store

    store = open_store(url)
    try:
        operator = Actor("demo-operator", Role.OPERATOR, AreaScope(CITY))
        if store.list_residents(operator, limit=1, purpose=Purpose.ADMINISTRASI):
            raise InvalidValue(
                value=url, reason_id=TEXTS["not_empty"].id, reason_en=TEXTS["not_empty"].en
            )
    finally:
        store.close()


def _steps(bar: Progress, lang: str) -> Steps:
    @contextmanager
    def step(key: str, label: Text, total: int | None) -> Iterator[Callable[[int], None]]:
        task = bar.add_task(label.get(lang), total=total)

        def advance(n: int) -> None:
            bar.update(task, completed=n)

        yield advance
        bar.update(task, total=total or 1, completed=total or 1)

    return step


def _cmd_demo(args: argparse.Namespace) -> int:
    from spm_core.demo import run_demo

    lang = args.lang
    started = time.monotonic()
    target = getattr(args, "db", None) or DEFAULT_DB
    file = _sqlite_file(target)
    if file is None or (target != DEFAULT_DB and file.exists()):
        _check_empty(target if file is None else f"sqlite:///{file}")
    if file is None:
        url = target
        building = None
    else:
        file = file.resolve()
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
        os.close(handle)
        building = Path(name)
        building.unlink()
        url = f"sqlite:///{building}"
    out = Path(args.out)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    try:
        with progress:
            result = run_demo(
                url, residents=args.residents, seed=args.seed, year=args.year, lang=lang,
                out=out, steps=_steps(progress, lang), allow=allow_list(args),
                deny=tuple(args.deny or ()),
            )  # fmt: skip
    except BaseException:
        if building is not None:
            _remove(building)
        raise
    if building is not None and file is not None:
        _remove(file)
        os.replace(building, file)
        _remove(building)
    _summary(result, lang, file, target, time.monotonic() - started)
    return 0


def _summary(result: DemoResult, lang: str, file: Path | None, target: str, seconds: float) -> None:
    out = Output()

    def n(value: float) -> str:
        return format_number(value, lang)

    out.line(
        t(
            "made",
            lang,
            TEXTS,
            year=result.year,
            seed=result.seed,
            residents=n(result.residents),
            households=n(result.households),
            records=n(result.records),
            posyandu=n(result.posyandu),
            villages=n(result.villages),
        )
    )
    if not result.region_plugin:
        out.line(t("no_region", lang, TEXTS, pip=invocation("pip")))
    states = ", ".join(
        f"{_STATES[key].get(lang)} {n(result.referrals[key])}"
        for key in _STATES
        if result.referrals.get(key)
    )
    out.line(
        t(
            "needs",
            lang,
            TEXTS,
            suggested=n(result.needs_suggested),
            raised=n(result.needs_raised),
            states=states or "0",
        )
    )
    fields = [f.value for f in SpmField]

    def decimal(value: float) -> str:
        # A terminal is read: Indonesian decimals there; a pipe keeps plain numbers.
        return format_number(value, lang, 1) if out.terminal else f"{value:.1f}"

    cells: dict[str, dict[str | None, str]] = {}
    names: dict[str, str] = {}
    bands: dict[str, str] = {}
    for row in result.field_index():
        names[row.area] = row.area_name
        cells.setdefault(row.area, {})[row.field] = "—" if row.index is None else decimal(row.index)
        if row.field is None:
            band = row.band_id if lang == "id" else row.band_en
            bands[row.area] = band or "—"
    columns = [Column(t("area", lang, TEXTS), keep=True)]
    columns += [Column(f, keep=True) for f in fields]
    columns += [Column(t("overall", lang, TEXTS), keep=True), Column(t("band", lang, TEXTS))]
    rows = [
        [
            names[area],
            *(cells[area].get(f, "—") for f in fields),
            cells[area].get(None, "—"),
            bands.get(area, "—"),
        ]
        for area in sorted(cells, key=lambda a: (len(a) < 8, a))
    ]
    out.table(t("index_title", lang, TEXTS, year=result.year), columns, rows)
    agency_columns = [
        Column(t("agency", lang, TEXTS), wrap=True),
        Column(t("field", lang, TEXTS), keep=True),
        *(Column(t(k, lang, TEXTS), keep=True) for k in ("total", "open", "overdue", "resolved")),
        Column(t("on_time", lang, TEXTS), keep=True),
    ]
    agency_rows = [
        [
            p.agency_name.get(lang),
            p.field.value,
            n(p.total),
            n(p.open),
            n(p.overdue),
            n(p.resolved),
            cell(None if p.resolved_on_time is None else f"{p.resolved_on_time:.0%}"),
        ]
        for p in result.performance
    ]
    out.table(t("referrals_title", lang, TEXTS, year=result.year), agency_columns, agency_rows)
    if result.html_path is not None:
        out.line(t("html", lang, TEXTS, path=result.html_path.resolve()))
    shown = str(file) if file is not None else target
    url = f"sqlite:///{file}" if file is not None else target
    out.line(t("database", lang, TEXTS, db=shown, url=url, year=result.year, spm=invocation("spm")))
    out.line(t("done", lang, TEXTS, seconds=n(seconds)))
