"""The demonstration: a slice of Kota Bekasi from records to the SPM report, by seed.

:func:`run_demo` shows the library's whole job on one embedded SQLite file:

1. a synthetic population of a few kecamatan of Kota Bekasi (:mod:`spm_core.synth`) —
   residents, households and a year of posyandu records for every record type the
   installed plugins declare — loaded on the bulk path;
2. the numbers agencies supply: quality inputs (mutu) per service type and kelurahan,
   and targets (sasaran) for the indicators counted against one;
3. month by month, the needs the records show (:meth:`Registry.suggest_needs`), a
   sample of which the kader confirm and raise; each is routed to the region's agency
   (OPD), or to a generic agency when no region plugin is installed;
4. the agencies' answers, with dates over the year: accepted, started and resolved with
   an outcome (some after their deadline), rejected with a reason and rerouted, or left
   waiting until they are overdue;
5. the six-field SPM report with its achievement index per kelurahan, kecamatan and the
   city, the referral figures per agency, and the self-contained HTML page
   (:func:`spm_core.reporting.html_report`).

The same seed and year give the same data, the same figures and the same page.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

import attrs

from spm_core.access import Actor, AgencyScope, AreaScope, Purpose, Role
from spm_core.api import Registry
from spm_core.catalog import Catalog
from spm_core.definitions import CatalogAdjuster, PluginInfo, PluginLevel
from spm_core.domain.period import Period
from spm_core.domain.referral import ReferralStatus
from spm_core.domain.text import Text, format_number
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel, lookup
from spm_core.errors import Unroutable
from spm_core.hookspecs import hookimpl
from spm_core.indicators.report import IndexRow, Report
from spm_core.indicators.suggest import Suggestion
from spm_core.plugins import make_plugin_manager
from spm_core.referrals import lifecycle
from spm_core.referrals.monitoring import AgencyPerformance, agency_performance
from spm_core.referrals.router import NeedRouter
from spm_core.reporting import html_report
from spm_core.store import Referral
from spm_core.store.aggregate import ReportLevel
from spm_core.synth import synthesize

__all__ = [
    "CITY",
    "DEADLINES",
    "KECAMATAN",
    "STEPS",
    "DemoDeadlines",
    "DemoResult",
    "Steps",
    "run_demo",
]

CITY = KodeWilayah.parse("32.75")
"""Kota Bekasi."""

KECAMATAN: tuple[str, ...] = ("32.75.01", "32.75.05", "32.75.09")
"""The slice of the city the demo makes: Bekasi Timur, Rawalumbu and Jatiasih."""

STEPS: dict[str, Text] = {
    "synth": Text(
        "Membuat warga, keluarga dan catatan setahun",
        "Making residents, households, a year of records",
    ),
    "planning": Text("Mengisi sasaran dan mutu layanan", "Filling in targets and quality inputs"),
    "needs": Text("Menemukan dan mengajukan kebutuhan", "Finding and raising needs"),
    "lifecycle": Text("Perangkat daerah menindaklanjuti rujukan", "Agencies acting on referrals"),
    "report": Text("Menghitung laporan SPM", "Computing the SPM report"),
    "html": Text("Menulis laporan HTML", "Writing the HTML report"),
}  # fmt: skip
"""The demo's steps in order, each with its label."""

_NEEDS_PER_TYPE_AND_QUARTER = 2
_REJECT_REASONS = (
    "Bukan kewenangan kami; mohon diteruskan ke perangkat daerah lain.",
    "Data warga belum lengkap untuk ditindaklanjuti di sini.",
)
_OUTCOMES = (
    "Kunjungan petugas dan layanan diberikan.",
    "Warga didaftarkan ke program dan ditindaklanjuti.",
    "Perbaikan dijadwalkan dan dikerjakan.",
)


DEADLINES: dict[str, int] = {
    "kesehatan": 5,
    "pendidikan": 10,
    "pupr": 20,
    "perkim": 20,
    "trantibum": 3,
    "sosial": 10,
}
"""Working days an agency has to act on a need, per field: the demo's own assumption.

The national field plugins set no deadline (the regulations give none per need); a
region declares its own with ``set_sla``. The demo declares these, as a province-level
plugin for Jawa Barat, so that deadline compliance can be shown; a kab/kota plugin's own
deadlines take precedence over them.
"""


class DemoDeadlines:
    """The demo's plugin: a deadline for every need type (:data:`DEADLINES`)."""

    def __init__(self, need_types: dict[str, str]) -> None:
        self.need_types = dict(need_types)
        """Need type code → its field."""

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        """Name the plugin: province level, Jawa Barat (Kota Bekasi's province)."""
        return PluginInfo(
            name="demo-tenggat",
            title=Text("Batas waktu contoh (demo)", "Example deadlines (demo)"),
            level=PluginLevel.PROVINCE,
            region=CITY.at_level(WilayahLevel.PROVINSI),
        )

    @hookimpl
    def spm_adjust_catalog(self, adjuster: CatalogAdjuster) -> None:
        """Give each need type the deadline of its field."""
        for code, field in sorted(self.need_types.items()):
            if field in DEADLINES:
                adjuster.set_sla(code, DEADLINES[field])


class Steps(Protocol):
    """Shows the demo's progress: one context per step, given a function to advance it."""

    def __call__(
        self, key: str, label: Text, total: int | None
    ) -> AbstractContextManager[Callable[[int], None]]:
        """Enter step ``key`` (of ``total`` units when known); the value advances it."""
        ...


@contextmanager
def _silent(key: str, label: Text, total: int | None) -> Iterator[Callable[[int], None]]:
    yield lambda _n: None


@attrs.frozen
class DemoResult:
    """What the demo made and found: counts, the reports and where the page was written."""

    year: int
    seed: int
    residents: int
    households: int
    records: int
    posyandu: int
    villages: int
    region_plugin: bool
    needs_suggested: int
    needs_raised: int
    referrals: dict[str, int]
    report: Report
    by_kecamatan: Report
    city: Report
    performance: tuple[AgencyPerformance, ...]
    html_path: Path | None

    def field_index(self) -> list[IndexRow]:
        """The index per field (and over all fields) of each kecamatan and the city."""
        rows = [*self.by_kecamatan.index, *self.city.index]
        return [r for r in rows if r.service_type is None]


def _region_plugin_present(registry: Registry, on: dt.date) -> bool:
    view = registry.catalog.for_region(CITY, on=on)
    return any(a.area is not None and CITY.contains(a.area) for a in view.agencies)


def _operator() -> Actor:
    return Actor("demo-operator", Role.OPERATOR, AreaScope(CITY))


def _split(total: int, parts: int) -> list[int]:
    base = [total // parts] * parts
    for k in range(total - sum(base)):
        base[k] += 1
    return base


def _planning(
    registry: Registry, actor: Actor, villages: Sequence[str], year: int, seed: int, report: Report
) -> int:
    """Quality inputs for every service type and village; targets for target indicators."""
    view = registry.catalog.for_period(CITY, Period.parse(str(year)))
    services = sorted({i.service_type for i in view.indicators if i.service_type})
    rng = random.Random(f"{seed}:planning")
    items = []
    for village in villages:
        level = rng.uniform(0.55, 0.95)
        for service in services:
            for item, category in (("sarana-prasarana", "barang_jasa"), ("tenaga", "sdm")):
                required = rng.randint(4, 12)
                met = round(required * rng.uniform(level - 0.15, level + 0.1))
                items.append(
                    {
                        "service_type": service, "wilayah_code": village, "year": year,
                        "item": item, "category": category, "required": required,
                        "met": max(0, min(required, met)),
                    }
                )  # fmt: skip
    written = len(registry.store.set_quality_inputs(actor, items, Purpose.PELAPORAN))
    served = {(r.indicator, r.area): r.numerator for r in report.rows}
    for indicator in sorted(
        (i for i in view.indicators if i.target is not None), key=lambda i: i.code
    ):
        for village in villages:
            count = served.get((indicator.code, village)) or 0
            coverage = rng.uniform(0.55, 0.98)
            registry.store.set_target(
                actor,
                {
                    "code": indicator.target, "wilayah_code": village, "year": year,
                    "value": max(1, math.ceil(count / coverage)),
                    "source": "Estimasi sintetis demo / synthetic demo estimate",
                },
                Purpose.PELAPORAN,
            )  # fmt: skip
            written += 1
    return written


def _officer(agency: str) -> Actor:
    return Actor(f"demo-{agency}", Role.AGENCY_OFFICER, AgencyScope(agency, CITY))


def _later(day: dt.date, days: int, last: dt.date) -> dt.date:
    return min(last, day + dt.timedelta(days=days))


def _act(
    registry: Registry,
    operator: Actor,
    referral: Referral,
    rng: random.Random,
    last: dt.date,
    router: NeedRouter,
) -> None:
    """Take a referral through a plausible history, every step dated within the year."""
    if referral.agency_code is None or referral.routed_on is None:
        return
    store = registry.store
    officer = _officer(referral.agency_code)
    routed = referral.routed_on
    due = referral.due_on or routed + dt.timedelta(days=14)
    allowed = (due - routed).days
    draw = rng.random()
    if draw < 0.10 and not referral.rejected_by:
        reason = rng.choice(_REJECT_REASONS)
        on = _later(routed, rng.randint(1, 4), last)
        rejected = lifecycle.reject(store, officer, referral.id, reason, on=on)
        try:
            moved = lifecycle.reroute(store, operator, rejected.id, router, on=on)
        except Unroutable:
            return
        for again in moved:
            if again.status is ReferralStatus.ROUTED:
                _act(registry, operator, again, rng, last, router)
        return
    if draw < 0.22:
        return  # waiting for the agency: overdue once its deadline passes
    on = _later(routed, rng.randint(0, 3), last)
    lifecycle.accept(store, officer, referral.id, on=on)
    on = _later(on, rng.randint(0, 3), last)
    lifecycle.start(store, officer, referral.id, on=on)
    if draw < 0.35:
        return  # still in progress
    late = rng.random() < 0.25
    span = rng.randint(allowed + 1, allowed + 20) if late else rng.randint(1, max(1, allowed))
    closed = _later(routed, span, last)
    closed = max(closed, on)
    lifecycle.resolve(store, officer, referral.id, rng.choice(_OUTCOMES), on=closed)


def run_demo(
    db_url: str,
    *,
    residents: int = 20_000,
    seed: int = 0,
    year: int | None = None,
    lang: str = "id",
    out: Path | None = Path("spm-report.html"),
    steps: Steps = _silent,
    allow: Collection[str] | None = None,
    deny: Collection[str] = (),
) -> DemoResult:
    """Build the demo into the (empty) database at ``db_url`` and write the HTML report.

    Args:
        db_url: an empty database (a new SQLite file for the command).
        residents: how many residents the slice has (split over :data:`KECAMATAN`).
        seed: the seed; the same seed and year give the same data and report.
        year: the year of the records (default: the last full calendar year).
        lang: the language the HTML page shows first.
        out: where to write the page (``None``: do not write it).
        steps: shows progress, one context per step of :data:`STEPS`.
        allow: load only these entry-point plugins (all when ``None``).
        deny: never load these entry-point plugins (``kota-bekasi`` to see the demo with
            generic agencies).

    Raises:
        InputError: ``residents`` is not positive.
    """
    the_year = year or dt.date.today().year - 1
    period = Period.parse(str(the_year))
    last = period.end
    operator = _operator()
    base = Catalog.build(make_plugin_manager(allow=allow, deny=deny))
    deadlines = DemoDeadlines({n.code: n.field.value for n in base.need_types})
    with Registry.open(db_url, allow=allow, deny=deny, extra_plugins=[deadlines]) as registry:
        region_plugin = _region_plugin_present(registry, last)
        store = registry.store
        made = [0, 0, 0]
        cities = []
        shares = _split(residents, len(KECAMATAN))
        with steps("synth", STEPS["synth"], len(KECAMATAN)) as advance:
            for k, (kecamatan, share) in enumerate(zip(KECAMATAN, shares, strict=True)):
                if share < 1:
                    continue
                city, people, records = synthesize(
                    store, operator, registry.catalog, residents=share, wilayah=kecamatan,
                    seed=seed * len(KECAMATAN) + k, year=the_year,
                )  # fmt: skip
                advance(k + 1)
                cities.append(city)
                made[0] += people.accepted
                made[1] += people.inserted.get("household", 0)
                made[2] += records.inserted.get("record", 0)
        villages = sorted({p.village for c in cities for p in c.posyandu})
        posyandu = sum(len(c.posyandu) for c in cities)

        with steps("planning", STEPS["planning"], None) as advance:
            view = registry.catalog.for_period(CITY, period)
            counted = {i.field for i in view.indicators if i.target is not None}
            first = registry.compute_report(
                operator, period, ReportLevel.DESA_KELURAHAN, fields=counted
            )
            advance(_planning(registry, operator, villages, the_year, seed, first))

        router = NeedRouter(registry.catalog)
        rng = random.Random(f"{seed}:needs")
        raised = 0
        referrals: list[Referral] = []
        seen: set[tuple[str, str]] = set()
        with steps("needs", STEPS["needs"], 4) as advance:
            for quarter in range(1, 5):
                found = registry.suggest_needs(
                    operator, CITY, f"{the_year}-Q{quarter}", purpose=Purpose.RUJUKAN
                )
                seen.update((s.need_type, s.subject_id) for s in found)
                by_type: dict[str, list[Suggestion]] = {}
                for suggestion in found:
                    by_type.setdefault(suggestion.need_type, []).append(suggestion)
                chosen: list[Suggestion] = []
                for need in sorted(by_type):
                    items = sorted(by_type[need], key=lambda s: s.idempotency_key)
                    chosen += rng.sample(items, min(_NEEDS_PER_TYPE_AND_QUARTER, len(items)))
                for k in range(3):  # confirmed at the posyandu day of each month
                    month = 3 * (quarter - 1) + k + 1
                    day = dt.date(the_year, month, rng.randint(1, 28))
                    for submission in registry.raise_suggested(operator, chosen[k::3], on=day):
                        if not submission.replayed:
                            raised += 1
                            referrals.extend(submission.referrals)
                advance(quarter)
        suggested = len(seen)

        with steps("lifecycle", STEPS["lifecycle"], len(referrals)) as advance:
            for k, referral in enumerate(referrals, start=1):
                _act(registry, operator, referral, rng, last, router)
                advance(k)

        with steps("report", STEPS["report"], None) as advance:
            report = registry.compute_report(operator, period, ReportLevel.DESA_KELURAHAN)
            by_kecamatan = registry.compute_report(operator, period, ReportLevel.KECAMATAN)
            city_report = registry.compute_report(operator, period, ReportLevel.KABUPATEN_KOTA)
            tim_pembina = Actor("demo-tim-pembina", Role.TIM_PEMBINA, AreaScope(CITY))
            performance = tuple(
                agency_performance(store, tim_pembina, registry.catalog, period=period, on=last)
            )
            statuses: dict[str, int] = {}
            for referral in store.list_referrals(operator, purpose=Purpose.RUJUKAN):
                statuses[referral.status.value] = statuses.get(referral.status.value, 0) + 1
                if referral.overdue(last):
                    statuses["overdue"] = statuses.get("overdue", 0) + 1
            advance(1)

        html_path = None
        if out is not None:
            with steps("html", STEPS["html"], None) as advance:
                page = html_report(
                    store, operator, registry.catalog, period, lang=lang, report=report,
                    rollups=(by_kecamatan, city_report), referrals=performance,
                    subtitle=_subtitle(the_year, made[0], region_plugin),
                )  # fmt: skip
                out.write_text(page, encoding="utf-8")
                html_path = out
                advance(1)
    return DemoResult(
        year=the_year,
        seed=seed,
        residents=made[0],
        households=made[1],
        records=made[2],
        posyandu=posyandu,
        villages=len(villages),
        region_plugin=region_plugin,
        needs_suggested=suggested,
        needs_raised=raised,
        referrals=statuses,
        report=report,
        by_kecamatan=by_kecamatan,
        city=city_report,
        performance=performance,
        html_path=html_path,
    )


def _subtitle(year: int, residents: int, region_plugin: bool) -> Text:
    names = ", ".join(
        found.name for code in KECAMATAN if (found := lookup(KodeWilayah.parse(code))) is not None
    )
    agencies = Text(
        "perangkat daerah Kota Bekasi" if region_plugin else "perangkat daerah generik",
        "Kota Bekasi's agencies" if region_plugin else "generic agencies",
    )
    warga, people = format_number(residents, "id"), format_number(residents, "en")
    return Text(
        f"Data sintetis (demo): {warga} warga di Kecamatan {names}, Kota Bekasi, "
        f"tahun {year}; rujukan ke {agencies.id}.",
        f"Synthetic data (demo): {people} residents in the {names} districts of Kota "
        f"Bekasi, {year}; referrals to {agencies.en}.",
    )
