"""Compute everything the HTML report shows for one actor and period, then render it."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from spm_core.access import Actor
from spm_core.catalog import Catalog
from spm_core.definitions import AchievementRule
from spm_core.domain.period import Period
from spm_core.domain.text import Text
from spm_core.domain.wilayah import WilayahLevel
from spm_core.errors import AccessDenied, UnknownCode
from spm_core.indicators.capaian import DEFAULT_RULE
from spm_core.indicators.report import Report, compute_report, region_of
from spm_core.referrals.monitoring import AgencyPerformance, agency_performance
from spm_core.reporting.html import Section, render_html
from spm_core.store import Store
from spm_core.store.aggregate import ReportLevel
from spm_core.store.declare import aggregates

__all__ = ["html_report"]

_COARSER = {
    ReportLevel.POSYANDU: (ReportLevel.DESA_KELURAHAN, ReportLevel.KECAMATAN),
    ReportLevel.DESA_KELURAHAN: (ReportLevel.KECAMATAN, ReportLevel.KABUPATEN_KOTA),
    ReportLevel.KECAMATAN: (ReportLevel.KABUPATEN_KOTA,),
    ReportLevel.KABUPATEN_KOTA: (ReportLevel.PROVINSI,),
    ReportLevel.PROVINSI: (),
}
_AREA_LEVEL = {
    WilayahLevel.PROVINSI: ReportLevel.PROVINSI,
    WilayahLevel.KABUPATEN_KOTA: ReportLevel.KABUPATEN_KOTA,
    WilayahLevel.KECAMATAN: ReportLevel.KECAMATAN,
    WilayahLevel.DESA_KELURAHAN: ReportLevel.DESA_KELURAHAN,
}
_ORDER = list(ReportLevel)


def _version() -> str:
    try:
        return version("spm-core")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return ""


def _rule(catalog: Catalog, store: Store, actor: Actor, period: Period) -> AchievementRule:
    view = catalog.for_period(region_of(store, actor), period)
    try:
        found = view.get("achievement_rule", "capaian")
    except UnknownCode:
        return DEFAULT_RULE
    return found if isinstance(found, AchievementRule) else DEFAULT_RULE


@aggregates("record")
def html_report(
    store: Store,
    actor: Actor,
    catalog: Catalog,
    period: Period | str,
    *,
    level: ReportLevel | str = ReportLevel.DESA_KELURAHAN,
    lang: str = "id",
    report: Report | None = None,
    rollups: Sequence[Report] | None = None,
    referrals: Sequence[AgencyPerformance] | None = None,
    subtitle: Text | None = None,
    extra_sections: Sequence[Section] = (),
) -> str:
    """Return the HTML report of ``actor``'s scope for ``period`` (counts only, no rows).

    Computes the report at ``level`` and at the coarser levels up to the actor's own
    area (for the summary and the charts), the referral figures per agency for the
    period when the actor may see them, and renders them with the service types and
    achievement rule of the catalog view in force. Small cells are suppressed exactly
    as :func:`~spm_core.indicators.report.compute_report` suppresses them for this
    actor.

    Args:
        store: the store.
        actor: who reads the page; only its scope is counted.
        catalog: the catalog.
        period: the period (``"2025"``, ``"2025-Q2"``).
        level: the finest level shown (kelurahan/desa by default).
        lang: the language shown first (``id`` or ``en``).
        report: the report at ``level`` when already computed (not computed again).
        rollups: the report at the coarser levels when already computed.
        referrals: the referral figures when already computed.
        subtitle: a line under the title.
        extra_sections: sections appended to the page.
    """
    the_period = period if isinstance(period, Period) else Period.parse(period)
    the_level = ReportLevel.parse(level)
    main = report or compute_report(store, catalog, actor, the_period, the_level)
    top = actor.area
    ceiling = _AREA_LEVEL[top.level] if top is not None else ReportLevel.DESA_KELURAHAN
    if rollups is None:
        rollups = [
            compute_report(store, catalog, actor, the_period, coarser)
            for coarser in _COARSER[the_level]
            if _ORDER.index(coarser) <= _ORDER.index(ceiling)
        ]
    if referrals is None:
        try:
            referrals = agency_performance(store, actor, catalog, period=the_period)
        except AccessDenied:
            referrals = ()
    view = catalog.for_period(region_of(store, actor), the_period)
    return render_html(
        main,
        referrals,
        lang=lang,
        rollups=rollups,
        services=view.service_types,
        rule=_rule(catalog, store, actor, the_period),
        subtitle=subtitle,
        version=_version(),
        extra_sections=extra_sections,
    )
