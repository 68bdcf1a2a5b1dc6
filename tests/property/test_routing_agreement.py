"""The catalog's load-time check and the referral router agree, on random catalogs.

Random deployments: three agency roles, three need types with a national rule each
(one or two roles), maybe a Kota Bekasi rule (for the whole city or one kecamatan, maybe
only for women), and Kota Bekasi agencies for the whole city, one kecamatan, or none.
Either the catalog builds and the run-time router finds an agency for every need, in
every kelurahan of Kota Bekasi, for women and men (never a generic one where the region
lists its agencies) — or the build fails and the router fails somewhere too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs
from hypothesis import event, given, settings
from hypothesis import strategies as st

from spm_core.catalog import Catalog
from spm_core.definitions import (
    Agency,
    AgencyRole,
    Definition,
    FieldDefinition,
    NeedType,
    PluginInfo,
    PluginLevel,
    RoutingRule,
    SexIs,
)
from spm_core.domain import KodeWilayah, Sex, SpmField, Subject, Text
from spm_core.errors import Unroutable
from spm_core.hookspecs import hookimpl
from spm_core.plugins import make_plugin_manager
from spm_core.referrals.router import route_need
from spm_core.routing import villages_of

KOTA = KodeWilayah("32.75")
KECAMATAN = KodeWilayah("32.75.01")
ROLES = ("r0", "r1", "r2")
NEEDS = ("uji.n0", "uji.n1", "uji.n2")
DAY = date(2025, 3, 3)
T = Text("uji", "test")


@attrs.define
class Plugin:
    info: PluginInfo
    definitions: Sequence[Definition]

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return self.info

    @hookimpl
    def spm_definitions(self) -> Sequence[Definition]:
        return self.definitions


roles = st.lists(st.sampled_from(ROLES), min_size=1, max_size=2, unique=True)


@st.composite
def deployments(draw: st.DrawFn) -> tuple[Plugin, Plugin | None]:
    national: list[Definition] = [
        FieldDefinition(code="sosial", field=SpmField.SOSIAL, title=T),
        *(AgencyRole(code=r, title=Text(f"Peran {r}", f"Role {r}")) for r in ROLES),
    ]
    local: list[Definition] = []
    for i, need in enumerate(NEEDS):
        national.append(
            NeedType(code=need, title=T, field=SpmField.SOSIAL, subject=Subject.RESIDENT)
        )
        national.append(
            RoutingRule(code=f"{need}.default", title=T, need_type=need, roles=draw(roles))
        )
        if draw(st.booleans()):
            local.append(
                RoutingRule(
                    code=f"kota.{i}",
                    title=T,
                    need_type=need,
                    roles=draw(roles),
                    area=draw(st.sampled_from([KOTA, KECAMATAN])),
                    when=SexIs(Sex.FEMALE) if draw(st.booleans()) else None,
                )
            )
    for role in ROLES:
        where = draw(st.sampled_from(["kota", "kecamatan", "none"]))
        if where != "none":
            area = KOTA if where == "kota" else KECAMATAN
            local.append(Agency(code=f"kota.{role}", title=T, roles=(role,), area=area))
    base = Plugin(PluginInfo(name="uji-nasional", title=T), national)
    if not local:
        return base, None
    region = PluginInfo(name="kota", title=T, level=PluginLevel.REGION, region=KOTA)
    return base, Plugin(region, local)


def _runtime_failure(catalog: Catalog, own_agencies: bool) -> str | None:
    """Return a (need, village, sex) the router cannot serve as the check requires."""
    for village in villages_of(KOTA):
        for need in NEEDS:
            for sex in Sex:
                try:
                    decision = route_need(catalog, need, village, on=DAY, sex=sex)
                except Unroutable:
                    return f"{need} {village} {sex}: unroutable"
                if own_agencies and decision.generic:
                    return f"{need} {village} {sex}: generic agency"
    return None


@settings(max_examples=60, deadline=None)
@given(deployments())
def test_the_load_time_check_and_runtime_routing_agree(
    deployment: tuple[Plugin, Plugin | None],
) -> None:
    base, region = deployment
    plugins = [base] if region is None else [base, region]
    own = region is not None and any(isinstance(d, Agency) for d in region.definitions)
    try:
        catalog = Catalog.build(make_plugin_manager(entry_points=False, extra=plugins))
    except Unroutable:
        event("the check refused the catalog")
        # The check refused the catalog: the same rules fail at run time somewhere.
        failing = _runtime_failure_without_check(plugins, own)
        assert failing is not None
        return
    event("the catalog built")
    assert _runtime_failure(catalog, own) is None


def _runtime_failure_without_check(plugins: list[Plugin], own: bool) -> str | None:
    """Route with the same definitions, bypassing the load-time check."""
    from spm_core.routing import RouteContext, RoutingTable

    rules = [d for p in plugins for d in p.definitions if isinstance(d, RoutingRule)]
    agencies = [d for p in plugins for d in p.definitions if isinstance(d, Agency)]
    role_defs = [d for p in plugins for d in p.definitions if isinstance(d, AgencyRole)]
    table = RoutingTable(rules, agencies, role_defs)
    for village in villages_of(KOTA):
        for need in NEEDS:
            for sex in Sex:
                try:
                    decision = table.route(need, village, RouteContext(DAY, sex=sex))
                except Unroutable:
                    return f"{need} {village} {sex}"
                if own and decision.generic:
                    return f"{need} {village} {sex}: generic"
    return None
