"""Routing at run time: need × place × subject → agencies, with a deadline and a reason.

The decision itself is :func:`spm_core.routing.route` — the same function the catalog's
load-time check calls, so a catalog that builds routes every need it promises to. This
module adds what a referral needs around it: the catalog view of the village's region on
the day, the subject's context, the deadline in working days, the agencies that already
rejected the referral, and an explanation stored with the referral.

A generic agency (a role no agency of the kab/kota fills: the deployment has no region
plugin there) is routed to as ``<role>@<kab/kota>`` — ``dinas-sosial@32.75`` — and the
decision says so.

Example:
    >>> from datetime import date
    >>> from spm_core.catalog import Catalog
    >>> from spm_core.plugins import make_plugin_manager
    >>> catalog = Catalog.build(make_plugin_manager())
    >>> decision = route_need(catalog, "sosial.alat-bantu-dengar", "32.01.01.1001",
    ...                       on=date(2025, 3, 3))
    >>> [(t.role, t.generic) for t in decision.targets]
    [('dinas-sosial', True)]
    >>> target_code(decision.targets[0], decision.village)
    'dinas-sosial@32.01'
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from spm_core.access import Actor, Purpose
from spm_core.catalog import Catalog, CatalogView
from spm_core.domain.enums import Sex
from spm_core.domain.wilayah import REGION_LIST_SOURCE, KodeWilayah, WilayahLevel, lookup
from spm_core.errors import UnknownRegion, Unroutable
from spm_core.referrals.deadlines import WorkingCalendar, calendar_for, due_on
from spm_core.routing import AgencyChoice, RouteContext, RoutingDecision, holds, route
from spm_core.schemas import ReferralIn
from spm_core.store import ReferralContext, RouteTarget, Store, Submission
from spm_core.store.declare import writes

__all__ = [
    "NeedRouter",
    "age_to_birth_date",
    "decision_to_dict",
    "route_need",
    "submit",
    "target_code",
    "view_for",
]


_NO_RECORDS: Mapping[str, Mapping[str, Any]] = types.MappingProxyType({})


def _village(place: KodeWilayah | str) -> KodeWilayah:
    return place if isinstance(place, KodeWilayah) else KodeWilayah.parse(place)


@functools.lru_cache(maxsize=4096)
def _known(code: str) -> bool:
    """Whether ``code`` is in the Kemendagri list (cached: the list does not change)."""
    return lookup(KodeWilayah(code)) is not None


@functools.lru_cache(maxsize=1024)
def _view(catalog: Catalog, region: str, on: dt.date) -> CatalogView:
    """The catalog view of a kab/kota on a day (a village sees its kab/kota's view)."""
    return catalog.for_region(region, on=on)


def view_for(catalog: Catalog, village: KodeWilayah, on: dt.date) -> CatalogView:
    """Return the catalog view a need found in ``village`` on ``on`` is routed in.

    Views are cached per catalog, kab/kota and day, so routing many needs of one region
    resolves the region once.
    """
    value = village.value
    return _view(catalog, value[:5] if len(value) > 5 else value, on)


def target_code(choice: AgencyChoice, village: KodeWilayah) -> str:
    """Return the code a referral to ``choice`` is held under.

    A concrete agency's own code; for a generic agency ``<role>@<kab/kota>``, so that an
    officer acting for that role in that kab/kota can still be given a scope.
    """
    if choice.agency is not None:
        return choice.agency.code
    kabkota = (
        village.at_level(WilayahLevel.KABUPATEN_KOTA)
        if village.level >= WilayahLevel.KABUPATEN_KOTA
        else village
    )
    return f"{choice.role}@{kabkota}"


def age_to_birth_date(age: int, on: dt.date) -> dt.date:
    """Return the latest birth date at which someone is ``age`` full years old on ``on``.

    Example:
        >>> age_to_birth_date(7, dt.date(2025, 3, 1))
        datetime.date(2018, 3, 1)
        >>> age_to_birth_date(1, dt.date(2024, 2, 29))
        datetime.date(2023, 2, 28)
    """
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February in a year without one
        return on.replace(year=on.year - age, day=28)


def route_need(
    catalog: Catalog,
    need_type: str,
    place: KodeWilayah | str,
    *,
    on: dt.date,
    birth_date: dt.date | None = None,
    sex: Sex | None = None,
    latest: Mapping[str, Mapping[str, Any]] | None = None,
) -> RoutingDecision:
    """Decide which agencies a need found in ``place`` goes to on ``on``, and why.

    Args:
        catalog: the deployment's catalog; the view of ``place``'s region on ``on`` is
            used (most specific region first).
        need_type: the need type code.
        place: the kelurahan/desa where the subject lives.
        on: the day of the decision (ages are computed on it; dated rules apply).
        birth_date: the subject's birth date, for rules on age.
        sex: the subject's sex, for rules on sex.
        latest: record type → the subject's latest value, for rules on a record's value.

    Raises:
        UnknownCode: no such need type.
        UnknownRegion: ``place`` is not in the Kemendagri list.
        Unroutable: no rule routes the need for this subject in this place (the error
            names the need, the place and what is missing).
    """
    village = _village(place)
    if not _known(village.value):
        raise UnknownRegion(value=village.value, source=REGION_LIST_SOURCE)
    view = view_for(catalog, village, on)
    view.need_type(need_type)
    context = RouteContext(on, birth_date, sex, _NO_RECORDS if latest is None else latest)
    return route(view, need_type, village, context)


def decision_to_dict(
    decision: RoutingDecision, *, choices: Sequence[AgencyChoice] = ()
) -> dict[str, Any]:
    """Return a routing decision as JSON-ready data: the rule, each agency and why.

    ``choices`` narrows the agencies listed (after a rejection); all by default.
    """
    rule = decision.rule
    prov = rule.provenance
    shown = choices or decision.targets
    return {
        "need_type": decision.need_type,
        "village": decision.village.value,
        "rule": rule.code,
        "plugin": None if prov is None else prov.plugin,
        "rule_area": None if rule.area is None else rule.area.value,
        "generic": any(c.generic for c in shown),
        "agencies": [
            {
                "code": target_code(c, decision.village),
                "role": c.role,
                "name": c.name.to_dict(),
                "generic": c.generic,
            }
            for c in shown
        ],
        "considered": [
            {"rule": c.rule.code, "outcome": c.outcome, "reason": c.reason.to_dict()}
            for c in decision.considered
        ],
        "explanation": decision.explain().to_dict(),
    }


def _next_choices(
    catalog: Catalog, decision: RoutingDecision, context: RouteContext, exclude: set[str]
) -> tuple[RoutingDecision, list[AgencyChoice]]:
    """Return the decision's agencies minus ``exclude``; else the next rule's, in rank."""
    village = decision.village
    left = [c for c in decision.targets if target_code(c, village) not in exclude]
    if left:
        return decision, left
    table = view_for(catalog, village, context.on).routing_table
    for considered in decision.considered:
        rule = considered.rule
        if considered.outcome != "outranked":
            continue
        if rule.when is not None and not holds(rule.when, context):
            continue
        choices = [table.agency_for(role, village, rule=rule.code) for role in rule.roles]
        left = [c for c in choices if target_code(c, village) not in exclude]
        if left:
            return attrs.evolve(decision, rule=rule, targets=tuple(choices)), left
    raise Unroutable(
        value=decision.need_type,
        region=str(village),
        reason_id="setiap perangkat daerah yang dapat menerimanya sudah menolak: "
        + ", ".join(sorted(exclude)),
        reason_en="every agency that could take it has already rejected it: "
        + ", ".join(sorted(exclude)),
    )


def _explanation(decision: RoutingDecision, choices: Sequence[AgencyChoice]) -> Mapping[str, Any]:
    """The stored explanation of ``decision`` narrowed to ``choices``, built once.

    Kept with the decision (which the routing table hands out once per need, village and
    deciding rule); a referral's ``routing`` is read-only, so its parts can be shared.
    """
    key = ("routing", tuple(target_code(c, decision.village) for c in choices))
    memo = decision._memo
    found = memo.get(key)
    if found is None:
        found = memo[key] = decision_to_dict(decision, choices=choices)
    return found


@functools.lru_cache(maxsize=4096)
def _calendar(view: CatalogView, village: KodeWilayah) -> WorkingCalendar:
    return calendar_for(view, village)


@attrs.frozen
class NeedRouter:
    """Routes referrals inside the store's write transaction (a ``Router``).

    Pass it as ``route=`` to :meth:`~spm_core.store.Store.submit_referral` or
    :meth:`~spm_core.store.Store.transition_referral`: it routes the need in the
    village's catalog view, sets each referral's deadline in working days and stores
    the decision's explanation. After rejections it skips the agencies that rejected,
    falling back to the next rule in rank.
    """

    catalog: Catalog

    def __call__(self, context: ReferralContext) -> Sequence[RouteTarget]:
        """Return one target per agency the need goes to."""
        village = context.village
        route_context = RouteContext(context.on, birth_date=context.birth_date, sex=context.sex)
        decision = route_need(
            self.catalog,
            context.need_type,
            village,
            on=context.on,
            birth_date=context.birth_date,
            sex=context.sex,
        )
        decision, choices = _next_choices(
            self.catalog, decision, route_context, set(context.exclude)
        )
        view = view_for(self.catalog, village, context.on)
        due = due_on(view.need_type(context.need_type), context.on, _calendar(view, village))
        explanation = dict(_explanation(decision, choices))
        if context.exclude:
            explanation["rerouted_after"] = sorted(context.exclude)
        return [RouteTarget(target_code(c, village), due, explanation) for c in choices]


@writes("referral")
def submit(
    store: Store,
    actor: Actor,
    data: ReferralIn | Mapping[str, Any],
    catalog: Catalog,
    *,
    purpose: Purpose = Purpose.RUJUKAN,
) -> Submission:
    """Raise a need and route it at once: one referral per agency, each with its deadline.

    Idempotent on the submission's ``idempotency_key`` (see
    :meth:`~spm_core.store.Store.submit_referral`).

    Raises:
        InputError: invalid input, unknown need type, a wrong or out-of-scope subject.
        IdempotencyConflict: the key was used before with a different body.
        Unroutable: no rule routes the need there; nothing is written.
    """
    return store.submit_referral(actor, data, purpose, catalog, route=NeedRouter(catalog))
