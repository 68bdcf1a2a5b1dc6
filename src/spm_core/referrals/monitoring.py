"""Monitoring for the Tim Pembina: how each agency handles the referrals it receives.

Per agency, SPM field and area: how many referrals are open, how many of those are
overdue, how many the agency accepted, rejected and resolved, the median number of days
it took to resolve one, and the share resolved within the deadline. Computed from
counts only (:meth:`~spm_core.store.Store.count_referrals`), so a Tim Pembina or a
researcher sees the figures without ever seeing a referral.

What each figure counts, for the referrals routed in the period (all, without one):

* ``open`` — waiting for the agency, accepted or in progress; ``overdue`` — the open ones
  whose deadline passed before ``on``;
* ``accepted`` — those the agency took on (accepted, in progress or resolved);
  ``rejected`` — those it declined and nobody has rerouted yet; ``resolved``;
  ``cancelled`` — withdrawn by the posyandu;
* ``median_days_to_resolve`` — calendar days from routing to resolution;
* ``resolved_on_time`` — resolved on or before the deadline, as a share of the resolved
  ones that had a deadline.

Example:
    >>> row = AgencyPerformance("kota-bekasi.dinsos", Text("Dinas Sosial", "Social office"),
    ...     SpmField.SOSIAL, KodeWilayah("32.75"), total=4, open=1, overdue=1, accepted=3,
    ...     rejected=0, resolved=2, cancelled=1, escalated=1, median_days_to_resolve=6.5,
    ...     resolved_on_time=0.5)
    >>> row.to_dict()["resolved_on_time"]
    0.5
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from statistics import median
from typing import Any

import attrs

from spm_core.access import Actor
from spm_core.catalog import Catalog
from spm_core.domain.enums import SpmField
from spm_core.domain.period import Period
from spm_core.domain.referral import OPEN, ReferralStatus
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import UnknownCode
from spm_core.store import ReferralCount, Store
from spm_core.store.declare import aggregates

__all__ = ["COLUMNS", "AgencyPerformance", "agency_performance", "summarise"]

_S = ReferralStatus
_ACCEPTED = frozenset({_S.ACCEPTED, _S.IN_PROGRESS, _S.RESOLVED})

COLUMNS: tuple[tuple[str, Text], ...] = (
    ("agency_code", Text("kode perangkat daerah", "agency code")),
    ("agency_name", Text("perangkat daerah", "agency")),
    ("field", Text("bidang", "field")),
    ("area", Text("wilayah", "area")),
    ("total", Text("jumlah", "total")),
    ("open", Text("terbuka", "open")),
    ("overdue", Text("lewat batas", "overdue")),
    ("accepted", Text("diterima", "accepted")),
    ("rejected", Text("ditolak", "rejected")),
    ("resolved", Text("selesai", "resolved")),
    ("cancelled", Text("dibatalkan", "cancelled")),
    ("escalated", Text("dieskalasi", "escalated")),
    ("median_days_to_resolve", Text("median hari selesai", "median days to resolve")),
    ("resolved_on_time", Text("selesai tepat waktu", "resolved on time")),
)
"""The figures in report order, each with its bilingual column label."""


@attrs.frozen
class AgencyPerformance:
    """The referral figures of one agency, in one SPM field, in one area."""

    agency_code: str | None
    agency_name: Text
    field: SpmField
    area: KodeWilayah
    total: int
    open: int
    overdue: int
    accepted: int
    rejected: int
    resolved: int
    cancelled: int
    escalated: int
    median_days_to_resolve: float | None
    resolved_on_time: float | None

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Return the figures as JSON-ready data (the agency name in ``lang``, or both)."""
        out: dict[str, Any] = {name: getattr(self, name) for name, _ in COLUMNS}
        out["agency_name"] = (
            self.agency_name.to_dict() if lang is None else self.agency_name.get(lang)
        )
        out["field"] = self.field.value
        out["area"] = self.area.value
        return out


def _roll_up(code: KodeWilayah, level: WilayahLevel) -> KodeWilayah:
    return code.at_level(level) if code.level > level else code


def _agency_name(catalog: Catalog, code: str | None, area: KodeWilayah, on: dt.date) -> Text:
    if code is None:
        return Text("(belum diteruskan)", "(not routed yet)")
    view = catalog.for_region(area, on=on)
    if "@" in code:
        role, _, kabkota = code.partition("@")
        try:
            title = view.agency_role(role).title
        except UnknownCode:
            title = Text(role, role)
        return Text(f"{title.id} ({kabkota}, generik)", f"{title.en} ({kabkota}, generic)")
    try:
        return view.agency(code).title
    except UnknownCode:
        return Text(code, code)


def summarise(
    counts: Iterable[ReferralCount],
    catalog: Catalog,
    *,
    on: dt.date,
    level: WilayahLevel = WilayahLevel.KABUPATEN_KOTA,
) -> list[AgencyPerformance]:
    """Turn counts into one :class:`AgencyPerformance` per agency, field and area."""
    groups: dict[tuple[str | None, SpmField, KodeWilayah], list[ReferralCount]] = defaultdict(list)
    for count in counts:
        area = _roll_up(count.wilayah_code, level)
        groups[(count.agency_code, count.field, area)].append(count)
    out = []
    for (agency, field, area), group in sorted(
        groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1].value, kv[0][2].value)
    ):

        def number(*states: ReferralStatus, group: list[ReferralCount] = group) -> int:
            return sum(c.count for c in group if c.status in states)

        days = [c.days_to_close for c in group if c.status is _S.RESOLVED for _ in range(c.count)]
        timed = [c for c in group if c.status is _S.RESOLVED and c.met_deadline is not None]
        timed_total = sum(c.count for c in timed)
        on_time = sum(c.count for c in timed if c.met_deadline)
        known_days = [d for d in days if d is not None]
        out.append(
            AgencyPerformance(
                agency_code=agency,
                agency_name=_agency_name(catalog, agency, area, on),
                field=field,
                area=area,
                total=sum(c.count for c in group),
                open=number(*OPEN),
                overdue=sum(c.count for c in group if c.overdue),
                accepted=number(*_ACCEPTED),
                rejected=number(_S.REJECTED),
                resolved=number(_S.RESOLVED),
                cancelled=number(_S.CANCELLED),
                escalated=sum(c.count for c in group if c.escalated),
                median_days_to_resolve=float(median(known_days)) if known_days else None,
                resolved_on_time=round(on_time / timed_total, 4) if timed_total else None,
            )
        )
    return out


@aggregates("referral")
def agency_performance(
    store: Store,
    actor: Actor,
    catalog: Catalog,
    *,
    on: dt.date | None = None,
    period: Period | str | None = None,
    agency_code: str | None = None,
    area: KodeWilayah | str | None = None,
    level: WilayahLevel = WilayahLevel.KABUPATEN_KOTA,
) -> list[AgencyPerformance]:
    """Return the referral figures per agency, field and area within ``actor``'s scope.

    Args:
        store: the store.
        actor: who asks (a Tim Pembina, an operator, an agency officer for its own
            agency …); only referrals in its scope are counted.
        catalog: the catalog, for agency names.
        on: the day overdue is judged on (today by default; at most the period's end).
        period: count the referrals routed in this period (``"2025-Q1"``, a
            :class:`~spm_core.domain.Period`); all when ``None``.
        agency_code: one agency only.
        area: one area only.
        level: the level areas are grouped at (kab/kota by default; kecamatan or
            kelurahan/desa for a closer look).
    """
    chosen = Period.parse(period) if isinstance(period, str) else period
    day = on or dt.date.today()
    if chosen is not None and on is None:
        day = min(day, chosen.end)
    counts = store.count_referrals(
        actor,
        on=day,
        agency_code=agency_code,
        area=area,
        routed_from=None if chosen is None else chosen.start,
        routed_until=None if chosen is None else chosen.end,
    )
    return summarise(counts, catalog, on=day, level=level)
