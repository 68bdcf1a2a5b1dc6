"""Routing properties over random rules, agencies and subjects.

The router picks the best-ranked rule that applies, sends to the most specific agency of
each role, and never fails where the load-time check passed: the check and the router
are one truth.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from spm_core.definitions import AgeBetween, Agency, AgencyRole, Expr, RoutingRule, SexIs
from spm_core.domain import AgeUnit, KodeWilayah, Sex, Text
from spm_core.errors import Unroutable
from spm_core.routing import RouteContext, RoutingTable, check_routable, holds, villages_of

NEED = "uji.kebutuhan"
ROLES = ("peran-a", "peran-b")
KOTA = KodeWilayah("32.75")
VILLAGES = (
    KodeWilayah("32.75.01.1001"),
    KodeWilayah("32.75.01.1002"),
    KodeWilayah("32.75.02.1001"),
)
AREAS = (None, KodeWilayah("32"), KOTA, KodeWilayah("32.75.01"), *VILLAGES, KodeWilayah("32.16"))
CONDITIONS: tuple[Expr | None, ...] = (None, SexIs(Sex.FEMALE), AgeBetween(0, 4, AgeUnit.YEARS))
DAY = date(2025, 6, 30)


def _level(area: KodeWilayah | None) -> int:
    return 0 if area is None else int(area.level)


@st.composite
def rules(draw: st.DrawFn) -> list[RoutingRule]:
    count = draw(st.integers(1, 6))
    out = []
    for i in range(count):
        roles = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=2, unique=True))
        out.append(
            RoutingRule(
                code=f"uji.aturan-{i}",
                title=Text("aturan", "rule"),
                need_type=NEED,
                roles=tuple(roles),
                area=draw(st.sampled_from(AREAS)),
                when=None if i == 0 else draw(st.sampled_from(CONDITIONS)),
                priority=draw(st.integers(0, 2)),
            )
        )
    return out


@st.composite
def agencies(draw: st.DrawFn) -> list[Agency]:
    # Mostly a city-wide agency per role (as a configured city has), plus local ones.
    city_wide = [(role, KOTA) for role in ROLES if draw(st.sampled_from((True, True, True, False)))]
    areas = (KodeWilayah("32.75.01"), KodeWilayah("32.75.02"), *VILLAGES)
    local = draw(
        st.lists(st.tuples(st.sampled_from(ROLES), st.sampled_from(areas)), max_size=5, unique=True)
    )
    picked = city_wide + local
    return [
        Agency(code=f"uji.opd-{i}", title=Text("opd", "agency"), roles=(role,), area=area)
        for i, (role, area) in enumerate(picked)
    ]


contexts = st.builds(
    RouteContext,
    st.just(DAY),
    birth_date=st.one_of(st.none(), st.dates(date(1950, 1, 1), DAY)),
    sex=st.one_of(st.none(), st.sampled_from(Sex)),
)


def _table(rule_list: list[RoutingRule], agency_list: list[Agency]) -> RoutingTable:
    roles = [AgencyRole(code=r, title=Text(r, r)) for r in ROLES]
    return RoutingTable(rule_list, agency_list, roles)


@settings(max_examples=300, deadline=None)
@given(rules(), agencies(), contexts, st.sampled_from(VILLAGES))
def test_the_best_ranked_applicable_rule_decides(
    rule_list: list[RoutingRule],
    agency_list: list[Agency],
    context: RouteContext,
    village: KodeWilayah,
) -> None:
    table = _table(rule_list, agency_list)
    applicable = [
        r
        for r in rule_list
        if (r.area is None or r.area.contains(village))
        and (r.when is None or holds(r.when, context))
    ]
    try:
        decision = table.route(NEED, village, context)
    except Unroutable:
        # Either nothing applies, or a role is filled for part of the city / ambiguously.
        if applicable:
            best = min(applicable, key=lambda r: (-_level(r.area), -r.priority, r.code))
            covering = {
                role: [a for a in agency_list if role in a.roles and a.area.contains(village)]
                for role in best.roles
            }
            assert any(
                (
                    not covering[role]
                    and any(role in a.roles and KOTA.contains(a.area) for a in agency_list)
                )
                or len({a.area.level for a in covering[role]}) < len(covering[role])
                for role in best.roles
            )
        return
    chosen = decision.rule
    assert chosen in applicable
    assert (-_level(chosen.area), -chosen.priority, chosen.code) == min(
        (-_level(r.area), -r.priority, r.code) for r in applicable
    )
    for target, role in zip(decision.targets, chosen.roles, strict=True):
        assert target.role == role
        covering = [a for a in agency_list if role in a.roles and a.area.contains(village)]
        if target.generic:
            assert not covering
            assert not any(role in a.roles and KOTA.contains(a.area) for a in agency_list)
        else:
            assert target.agency in covering
            assert target.agency is not None
            assert target.agency.area.level == max(a.area.level for a in covering)


@settings(max_examples=200, deadline=None)
@given(rules(), agencies(), contexts)
def test_where_the_check_passes_the_router_never_fails(
    rule_list: list[RoutingRule], agency_list: list[Agency], context: RouteContext
) -> None:
    table = _table(rule_list, agency_list)
    try:
        check_routable(table, [NEED], KOTA, allow_generic=False)
    except Unroutable:
        return
    for village in villages_of(KOTA):
        decision = table.route(NEED, village, context)
        assert decision.targets
        assert not decision.generic


def _answer(table: RoutingTable, village: KodeWilayah, context: RouteContext) -> object:
    try:
        decision = table.route(NEED, village, context)
    except Unroutable as error:
        return ("unroutable", error.message_en)
    return (decision, decision.explain())


@settings(max_examples=200, deadline=None)
@given(
    rules(),
    agencies(),
    st.lists(st.tuples(contexts, st.sampled_from(VILLAGES)), min_size=1, max_size=12),
)
def test_a_table_that_remembers_decides_as_a_fresh_one(
    rule_list: list[RoutingRule],
    agency_list: list[Agency],
    asked: list[tuple[RouteContext, KodeWilayah]],
) -> None:
    """A table keeps candidates, agencies and decisions; reused, it answers the same."""
    kept = _table(rule_list, agency_list)
    for context, village in asked:
        assert _answer(kept, village, context) == _answer(
            _table(rule_list, agency_list), village, context
        )
