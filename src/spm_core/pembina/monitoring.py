"""Monitoring and evaluation of action plans: each commitment measured and judged.

For each commitment of a plan the monitoring computes, never reads as typed:

* the **baseline** — the value in the measuring period (a month by default) before the
  plan starts;
* the **trend** — the value in each measuring period from the plan's start to ``as_of``;
* the **latest** value — that of the period containing ``as_of``;
* the **status**, by the rule of :mod:`spm_core.pembina.rule`, with the reason.

Where the values come from:

* an **indicator** commitment — the indicator engine, through an
  :data:`IndicatorSource` the caller passes in (:class:`spm_core.api.Registry` passes the
  reports of :func:`spm_core.indicators.report.compute_report`; the engines are siblings
  and do not import each other);
* a **referral** commitment — the referral counts of the store
  (:meth:`~spm_core.store.Store.count_referrals`): among the referrals routed to the
  agency in the period (of the need type and area, when the commitment names them), the
  share **resolved within the deadline** of those whose outcome is known — resolved
  (with a deadline), or still open past the deadline. A referral's state is its state
  today, so an earlier month's value can rise as late referrals are resolved;
* an **activity** — its due date and the date it was done (entered with a revision).

Per agency (OPD) and field, and per kecamatan and field, a scorecard counts the
commitments in each status.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from spm_core.access import Actor
from spm_core.catalog import Catalog
from spm_core.domain.cells import neutralise_row
from spm_core.domain.enums import SpmField
from spm_core.domain.period import Period, PeriodKind
from spm_core.domain.referral import OPEN, ReferralStatus
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import UnknownCode
from spm_core.pembina.rule import RULE, Judgement, Status, judge_activity, judge_target
from spm_core.store import ActionPlan, Commitment, Store
from spm_core.store.declare import aggregates

__all__ = [
    "AREA_LEVELS",
    "CommitmentStatus",
    "IndicatorSource",
    "Measured",
    "PlanStatus",
    "ScoreRow",
    "TrendPoint",
    "evaluate",
    "referral_share",
]


@attrs.frozen
class Measured:
    """What an engine counted for one indicator, area and period."""

    numerator: float | None
    denominator: float | None
    value: float | None


IndicatorSource = Callable[[Period, str], Mapping[tuple[str, str], Measured]]
"""Given a period and a report level (``posyandu``, ``desa_kelurahan``, ``kecamatan``,
``kabupaten_kota``, ``provinsi``), return the value of every indicator in every area of
that level in the caller's scope, keyed by ``(indicator code, area)``."""

AREA_LEVELS = {
    WilayahLevel.PROVINSI: "provinsi",
    WilayahLevel.KABUPATEN_KOTA: "kabupaten_kota",
    WilayahLevel.KECAMATAN: "kecamatan",
    WilayahLevel.DESA_KELURAHAN: "desa_kelurahan",
}
"""The report level an area of each administrative level is read at."""

_KINDS = {
    "month": PeriodKind.MONTH,
    "quarter": PeriodKind.QUARTER,
    "semester": PeriodKind.SEMESTER,
    "year": PeriodKind.YEAR,
}


@attrs.frozen
class TrendPoint:
    """The value of a commitment in one period, with the counts behind it."""

    period: str
    numerator: float | None
    denominator: float | None
    value: float | None

    def to_dict(self) -> dict[str, Any]:
        """Return the point as JSON-ready data."""
        return attrs.asdict(self)


@attrs.frozen
class CommitmentStatus:
    """One commitment measured and judged on a day."""

    plan_code: str
    plan_version: int
    commitment: Commitment
    title: Text
    field: SpmField | None
    baseline: TrendPoint | None
    latest: TrendPoint | None
    trend: tuple[TrendPoint, ...]
    judgement: Judgement

    @property
    def status(self) -> Status:
        """The status of the commitment."""
        return self.judgement.status

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Return the status as JSON-ready data (texts in ``lang``, or both)."""

        def text(value: Text) -> Any:
            return value.to_dict() if lang is None else value.get(lang)

        c = self.commitment
        return {
            "plan": self.plan_code,
            "plan_version": self.plan_version,
            "commitment": c.code,
            "kind": c.kind,
            "agency_code": c.agency_code,
            "field": None if self.field is None else self.field.value,
            "title": text(self.title),
            "area": None if c.area is None else c.area.value,
            "target": c.target,
            "direction": c.direction,
            "due_on": c.due_on.isoformat(),
            "done_on": None if c.done_on is None else c.done_on.isoformat(),
            "baseline": None if self.baseline is None else self.baseline.value,
            "latest": None if self.latest is None else self.latest.value,
            "latest_period": None if self.latest is None else self.latest.period,
            "expected": self.judgement.expected,
            "status": self.status.value,
            "status_label": text(self.status.label),
            "reason": text(self.judgement.reason),
            "trend": [p.to_dict() for p in self.trend],
        }


@attrs.frozen
class ScoreRow:
    """How many commitments of one agency (or kecamatan) and field stand in each status."""

    group: str
    field: str
    total: int
    met: int
    on_track: int
    at_risk: int
    missed: int
    no_data: int

    def to_dict(self) -> dict[str, Any]:
        """Return the row as JSON-ready data."""
        return attrs.asdict(self)


STATUS_COLUMNS: tuple[tuple[str, Text], ...] = (
    ("plan", Text("rencana", "plan")),
    ("commitment", Text("komitmen", "commitment")),
    ("agency_code", Text("perangkat daerah", "agency")),
    ("field", Text("bidang", "field")),
    ("title", Text("uraian", "what")),
    ("area", Text("wilayah", "area")),
    ("target", Text("target", "target")),
    ("due_on", Text("batas waktu", "due")),
    ("baseline", Text("nilai awal", "baseline")),
    ("latest", Text("nilai terakhir", "latest")),
    ("expected", Text("lintasan", "path")),
    ("status_label", Text("status", "status")),
    ("reason", Text("alasan", "reason")),
)
"""The columns of the status table and CSV, each with its bilingual label."""


@attrs.frozen
class PlanStatus:
    """Every commitment of the plans judged on ``as_of``, with the scorecards."""

    as_of: date
    plans: tuple[ActionPlan, ...]
    commitments: tuple[CommitmentStatus, ...]
    by_agency: tuple[ScoreRow, ...]
    by_kecamatan: tuple[ScoreRow, ...]
    rule: Text = RULE

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Return everything as JSON-ready data (texts in ``lang``, or both)."""
        return {
            "as_of": self.as_of.isoformat(),
            "rule": self.rule.to_dict() if lang is None else self.rule.get(lang),
            "plans": [
                {
                    "code": p.code,
                    "version": p.version,
                    "title": p.title,
                    "region": p.wilayah_code.value,
                }
                for p in self.plans
            ],
            "commitments": [c.to_dict(lang) for c in self.commitments],
            "by_agency": [r.to_dict() for r in self.by_agency],
            "by_kecamatan": [r.to_dict() for r in self.by_kecamatan],
        }

    def to_json(self, lang: str | None = None) -> str:
        """Return everything as JSON text."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2)

    def to_csv(self, lang: str = "id") -> str:
        """Return one CSV line per commitment (the columns of :data:`STATUS_COLUMNS`)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([name for name, _ in STATUS_COLUMNS])
        for c in self.commitments:
            data = c.to_dict(lang)
            writer.writerow(
                neutralise_row("" if data[n] is None else data[n] for n, _ in STATUS_COLUMNS)
            )
        return out.getvalue()


def _measure_kind(commitment: Commitment) -> PeriodKind:
    return _KINDS[commitment.measure_period]


def _periods(start: date, on: date, kind: PeriodKind) -> tuple[Period, list[Period]]:
    """Return the baseline period and the complete periods from the plan's start to ``on``.

    A period is complete when it ends on or before ``on``; the one still running is
    left out, so a month just begun never reads as a fall.
    """
    first = Period.containing(start, kind)
    out = []
    current = first
    while current.end <= on:
        out.append(current)
        current = current.next()
    return first.previous(), out


def referral_share(
    store: Store,
    actor: Actor,
    commitment: Commitment,
    routed_from: date,
    routed_until: date,
    on: date,
) -> TrendPoint:
    """Return the share of the commitment's referrals resolved within their deadline.

    Counted among the referrals routed from ``routed_from`` to ``routed_until`` to the
    commitment's agency (and need type and area, when it names them) whose outcome is
    known on ``on``: resolved (with a deadline), or open past the deadline.
    """
    counts = store.count_referrals(
        actor,
        on=on,
        agency_code=commitment.agency_code,
        area=commitment.area,
        routed_from=routed_from,
        routed_until=routed_until,
    )
    on_time = decided = 0
    for count in counts:
        if commitment.need_type is not None and count.need_type != commitment.need_type:
            continue
        if commitment.field is not None and count.field is not commitment.field:
            continue
        if count.status is ReferralStatus.RESOLVED and count.met_deadline is not None:
            decided += count.count
            on_time += count.count if count.met_deadline else 0
        elif count.status in OPEN and count.overdue:
            decided += count.count
    label = f"{routed_from.isoformat()}/{routed_until.isoformat()}"
    value = None if decided == 0 else round(100 * on_time / decided, 6)
    return TrendPoint(label, float(on_time), float(decided), value)


class _Indicators:
    """Indicator values per period and level, each report computed once."""

    def __init__(self, source: IndicatorSource) -> None:
        self._source = source
        self._cache: dict[tuple[str, str], Mapping[tuple[str, str], Measured]] = {}

    def point(self, indicator: str, area: KodeWilayah, period: Period) -> TrendPoint:
        level = AREA_LEVELS[area.level]
        key = (str(period), level)
        if key not in self._cache:
            self._cache[key] = self._source(period, level)
        found = self._cache[key].get((indicator, area.value))
        if found is None:
            return TrendPoint(str(period), None, None, None)
        return TrendPoint(str(period), found.numerator, found.denominator, found.value)


def _indicator_meta(
    catalog: Catalog, plan: ActionPlan, commitment: Commitment
) -> tuple[Text, SpmField | None]:
    code = commitment.indicator or ""
    try:
        indicator = catalog.for_region(plan.wilayah_code, on=plan.end).indicator(code)
    except UnknownCode:
        return Text(code, code), commitment.field
    return indicator.title, commitment.field or indicator.field


def _referral_meta(
    catalog: Catalog, plan: ActionPlan, commitment: Commitment
) -> tuple[Text, SpmField | None]:
    need = commitment.need_type
    if commitment.title is not None:
        title = Text(commitment.title, commitment.title)
    elif need is None:
        title = Text("rujukan selesai tepat waktu", "referrals resolved on time")
    else:
        try:
            found = catalog.for_region(plan.wilayah_code, on=plan.end).need_type(need)
            name = found.title
        except UnknownCode:
            name = Text(need, need)
        title = Text(
            f"rujukan {name.id} selesai tepat waktu", f"{name.en} referrals resolved on time"
        )
    field = commitment.field
    if field is None and need is not None:
        try:
            field = catalog.for_region(plan.wilayah_code, on=plan.end).need_type(need).field
        except UnknownCode:
            field = None
    return title, field


def _evaluate_one(
    store: Store,
    actor: Actor,
    catalog: Catalog,
    plan: ActionPlan,
    commitment: Commitment,
    indicators: _Indicators,
    on: date,
) -> CommitmentStatus:
    if commitment.kind == "activity":
        what = commitment.title or commitment.code
        return CommitmentStatus(
            plan.code,
            plan.version,
            commitment,
            Text(what, what),
            commitment.field,
            None,
            None,
            (),
            judge_activity(commitment.due_on, commitment.done_on, on),
        )
    before, periods = _periods(plan.start, on, _measure_kind(commitment))
    if commitment.kind == "indicator":
        assert commitment.indicator is not None
        assert commitment.area is not None
        code, area = commitment.indicator, commitment.area
        title, field = _indicator_meta(catalog, plan, commitment)
        baseline = indicators.point(code, area, before)
        trend = tuple(indicators.point(code, area, p) for p in periods)
    else:
        title, field = _referral_meta(catalog, plan, commitment)
        baseline = referral_share(
            store, actor, commitment, before.start, before.end, min(before.end, on)
        )
        baseline = attrs.evolve(baseline, period=str(before))
        trend = tuple(
            attrs.evolve(
                referral_share(store, actor, commitment, p.start, p.end, on), period=str(p)
            )
            for p in periods
        )
    known = [(p, point) for p, point in zip(periods, trend, strict=True) if point.value is not None]
    latest_period, latest = known[-1] if known else (None, None)
    assert commitment.target is not None
    judgement = judge_target(
        baseline.value,
        None if latest is None else latest.value,
        commitment.target,
        commitment.direction,
        plan.start,
        commitment.due_on,
        on if latest_period is None else min(on, latest_period.end),
        plan.margin,
        passed=on > commitment.due_on,
    )
    return CommitmentStatus(
        plan.code, plan.version, commitment, title, field, baseline, latest, trend, judgement
    )


def _kecamatan(commitment: Commitment, plan: ActionPlan) -> str:
    area = commitment.area or plan.wilayah_code
    if area.level >= WilayahLevel.KECAMATAN:
        return area.at_level(WilayahLevel.KECAMATAN).value
    return area.value


def _scorecard(items: Iterable[tuple[str, CommitmentStatus]]) -> tuple[ScoreRow, ...]:
    groups: dict[tuple[str, str], Counter[Status]] = defaultdict(Counter)
    for group, item in items:
        field = "-" if item.field is None else item.field.value
        groups[(group, field)][item.status] += 1
    return tuple(
        ScoreRow(
            group=group,
            field=field,
            total=sum(counts.values()),
            met=counts[Status.MET],
            on_track=counts[Status.ON_TRACK],
            at_risk=counts[Status.AT_RISK],
            missed=counts[Status.MISSED],
            no_data=counts[Status.NO_DATA],
        )
        for (group, field), counts in sorted(groups.items())
    )


@aggregates("referral")
def evaluate(
    store: Store,
    actor: Actor,
    catalog: Catalog,
    plans: Sequence[ActionPlan],
    indicators: IndicatorSource,
    *,
    as_of: date | None = None,
    agency_code: str | None = None,
) -> PlanStatus:
    """Measure and judge every commitment of ``plans`` on ``as_of`` (today by default).

    Args:
        store: the store (referral counts).
        actor: who asks; only what lies in its scope is counted.
        catalog: the catalog (indicator and need type names and fields).
        plans: the plans (each at the version to judge).
        indicators: where indicator values come from (see :data:`IndicatorSource`).
        as_of: the day judged.
        agency_code: judge only the commitments of this agency.
    """
    on = as_of or date.today()
    source = _Indicators(indicators)
    judged = [
        _evaluate_one(store, actor, catalog, plan, commitment, source, on)
        for plan in plans
        for commitment in plan.commitments
        if agency_code is None or commitment.agency_code == agency_code
    ]
    plan_of = {p.code: p for p in plans}
    return PlanStatus(
        as_of=on,
        plans=tuple(plans),
        commitments=tuple(judged),
        by_agency=_scorecard((c.commitment.agency_code, c) for c in judged),
        by_kecamatan=_scorecard(
            (_kecamatan(c.commitment, plan_of[c.plan_code]), c) for c in judged
        ),
    )
