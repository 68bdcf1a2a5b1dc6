"""Precedence is scope, never registration order; conflicts within one scope name both.

Each definition applies in its plugin's scope (national, a province, a kab/kota). A view
resolves kab/kota → province → national, so two region plugins may override the same
national code, each in its own region, and every other region keeps the national one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spm_kesehatan
from spm_core.catalog import Catalog, Override
from spm_core.definitions import (
    AgeBetween,
    Agency,
    CatalogAdjuster,
    Definition,
    Indicator,
    LegalBasis,
    NeedType,
    PluginInfo,
    PluginLevel,
    RecordCount,
    RoutingRule,
)
from spm_core.domain import AgeUnit, KodeWilayah, Text
from spm_core.errors import ConflictingAdjustment, DuplicateDefinition, OutOfRegion
from spm_core.hookspecs import hookimpl
from spm_core.plugins import make_plugin_manager
from spm_core.testing.pytest_plugin import CatalogFactory

KOTA_BEKASI = KodeWilayah.parse("32.75")
KABUPATEN_BEKASI = KodeWilayah.parse("32.16")
KABUPATEN_BOGOR = KodeWilayah.parse("32.01")
ROUTE = "perkim.rumah-rusak-bencana.default"


def _national_balita() -> Indicator:
    return Catalog.build(make_plugin_manager(allow=["kesehatan"])).indicator("kesehatan.balita")


NATIONAL_BALITA = _national_balita()


def _local_balita(times: int = 10) -> Indicator:
    return attrs.evolve(
        NATIONAL_BALITA,
        title=Text(f"Balita ditimbang {times} kali", f"Children weighed {times} times"),
        numerator=RecordCount("kesehatan.penimbangan", at_least=times),
        legal_basis=(LegalBasis("Perwal (contoh)", confirmed=False, note="test"),),
        provenance=None,
    )


@attrs.define
class RegionPlugin:
    """A kab/kota (or province) plugin that overrides, adjusts and may list agencies."""

    name: str = "kota-bekasi"
    region: KodeWilayah = KOTA_BEKASI
    level: PluginLevel = PluginLevel.REGION
    definitions: Sequence[Definition] = (_local_balita(),)
    adjust: Callable[[CatalogAdjuster], None] | None = None

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(
            name=self.name, title=Text(self.name, self.name), level=self.level, region=self.region
        )

    @hookimpl
    def spm_definitions(self) -> Sequence[Definition]:
        return self.definitions

    @hookimpl
    def spm_adjust_catalog(self, adjuster: CatalogAdjuster) -> None:
        if self.adjust is not None:
            self.adjust(adjuster)


def _tailored(name: str, region: KodeWilayah, times: int, sla: int, roles: tuple[str, ...]) -> Any:
    """A region plugin with its own balita indicator, RTLH deadline and disaster route."""

    def adjust(adjuster: CatalogAdjuster) -> None:
        adjuster.set_sla("perkim.rtlh", sla)
        adjuster.retarget_route(ROUTE, *roles)

    return RegionPlugin(name, region, definitions=(_local_balita(times),), adjust=adjust)


def kota_bekasi() -> Any:
    return _tailored("kota-bekasi", KOTA_BEKASI, 10, 60, ("dinas-perkim", "bpbd"))


def kabupaten_bekasi() -> Any:
    return _tailored("kabupaten-bekasi", KABUPATEN_BEKASI, 8, 45, ("bpbd",))


def _build(*plugins: object, order: Sequence[int] | None = None) -> Catalog:
    named: dict[str, object] = {"kesehatan": spm_kesehatan}
    for plugin in plugins:
        named[getattr(plugin, "name", type(plugin).__name__)] = plugin
    items = list(named.items())
    if order is not None:
        items = [items[i] for i in order]
    pm = make_plugin_manager(allow=["perkim", "trantibum"], extra=dict(items))
    return Catalog.build(pm)


# ----------------------------------------------------------------- one region plugin


def test_region_plugin_overrides_in_its_region_only(spm_catalog_factory: CatalogFactory) -> None:
    catalog = spm_catalog_factory(RegionPlugin())
    local = catalog.for_region(KOTA_BEKASI).indicator("kesehatan.balita")
    assert local.title.en == "Children weighed 10 times"
    assert local.provenance is not None
    assert (local.provenance.plugin, local.provenance.level) == ("kota-bekasi", PluginLevel.REGION)
    assert local.scope == KOTA_BEKASI
    # Inside the region, at any level: a kelurahan of Kota Bekasi uses the city's view.
    assert catalog.for_region("32.75.01.1001").indicator("kesehatan.balita") == local
    # Everywhere else, and in the catalog's own (national) lookups: the national one.
    for elsewhere in (catalog, catalog.for_region(None), catalog.for_region(KABUPATEN_BOGOR)):
        national = elsewhere.indicator("kesehatan.balita")
        assert national.provenance is not None
        assert national.provenance.plugin == "kesehatan"
    (override,) = catalog.overrides
    assert isinstance(override, Override)
    assert (override.kind, override.code, override.region) == (
        "indicator",
        "kesehatan.balita",
        "32.75",
    )
    assert (override.winner.plugin, override.replaced.plugin) == ("kota-bekasi", "kesehatan")
    assert override.replaced.level is PluginLevel.NATIONAL
    assert catalog.to_dict()["overrides"] == [override.to_dict()]
    origin = catalog.for_region(KOTA_BEKASI).origin("indicator", "kesehatan.balita")
    assert origin.status == "replaced"
    assert [p.plugin for p in origin.replaced] == ["kesehatan"]
    levels = [(p.name, p.level) for p in catalog.plugins]
    assert levels.index(("kota-bekasi", PluginLevel.REGION)) > levels.index(
        ("kesehatan", PluginLevel.NATIONAL)
    )


@pytest.mark.parametrize("region_first", [True, False])
def test_override_wins_in_either_registration_order(region_first: bool) -> None:
    plugins: dict[str, object] = {"kesehatan": spm_kesehatan, "kota-bekasi": RegionPlugin()}
    if region_first:
        plugins = dict(reversed(plugins.items()))
    pm = make_plugin_manager(entry_points=False, extra=plugins)
    assert [name for name, _ in pm.list_name_plugin()] == list(plugins)
    catalog = Catalog.build(pm)
    balita = catalog.for_region(KOTA_BEKASI).indicator("kesehatan.balita")
    assert balita.provenance is not None
    assert balita.provenance.plugin == "kota-bekasi"
    assert [(o.code, o.winner.plugin, o.replaced.plugin) for o in catalog.overrides] == [
        ("kesehatan.balita", "kota-bekasi", "kesehatan")
    ]


def test_province_sits_between_national_and_kab_kota(spm_catalog_factory: CatalogFactory) -> None:
    province = RegionPlugin(
        "jawa-barat", KodeWilayah.parse("32"), PluginLevel.PROVINCE, (_local_balita(9),)
    )
    catalog = spm_catalog_factory(province, RegionPlugin())
    assert catalog.for_region(KOTA_BEKASI).indicator("kesehatan.balita").title.en == (
        "Children weighed 10 times"
    )
    # Another kab/kota of the province falls back to the province, one outside it to
    # the national definition.
    assert catalog.for_region(KABUPATEN_BOGOR).indicator("kesehatan.balita").title.en == (
        "Children weighed 9 times"
    )
    assert catalog.for_region("31.71").indicator("kesehatan.balita") == catalog.indicator(
        "kesehatan.balita"
    )
    origin = catalog.for_region(KOTA_BEKASI).origin("indicator", "kesehatan.balita")
    assert [(p.plugin, p.level) for p in origin.replaced] == [
        ("jawa-barat", PluginLevel.PROVINCE),
        ("kesehatan", PluginLevel.NATIONAL),
    ]


# ----------------------------------------------------------------- two region plugins


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 0, 2), (0, 2, 1)])
def test_two_regions_override_the_same_definition_sla_and_route(order: tuple[int, ...]) -> None:
    catalog = _build(kota_bekasi(), kabupaten_bekasi(), order=order)
    kota = catalog.for_region(KOTA_BEKASI)
    kab = catalog.for_region(KABUPATEN_BEKASI)
    bogor = catalog.for_region(KABUPATEN_BOGOR)
    assert kota.indicator("kesehatan.balita").title.en == "Children weighed 10 times"
    assert kab.indicator("kesehatan.balita").title.en == "Children weighed 8 times"
    assert bogor.indicator("kesehatan.balita") == catalog.indicator("kesehatan.balita")
    assert bogor.origin("indicator", "kesehatan.balita").provenance.plugin == "kesehatan"
    assert (kota.need_type("perkim.rtlh").sla_days, kab.need_type("perkim.rtlh").sla_days) == (
        60,
        45,
    )
    assert bogor.need_type("perkim.rtlh").sla_days is None
    assert kota.routing_rule(ROUTE).roles == ("dinas-perkim", "bpbd")
    assert kab.routing_rule(ROUTE).roles == ("bpbd",)
    assert bogor.routing_rule(ROUTE).roles == ("dinas-perkim",)
    assert catalog.routing_rule(ROUTE).roles == ("dinas-perkim",)
    details = sorted((a.plugin, a.scope, a.detail) for a in catalog.adjustments)
    assert details == [
        ("kabupaten-bekasi", "32.16", "None → 45"),
        ("kabupaten-bekasi", "32.16", "dinas-perkim → bpbd"),
        ("kota-bekasi", "32.75", "None → 60"),
        ("kota-bekasi", "32.75", "dinas-perkim → dinas-perkim, bpbd"),
    ]


REGION_POOL: dict[str, Callable[[], Any]] = {
    "kota-bekasi": kota_bekasi,
    "kabupaten-bekasi": kabupaten_bekasi,
    "kabupaten-bogor": lambda: _tailored(
        "kabupaten-bogor", KABUPATEN_BOGOR, 7, 30, ("dinas-perkim", "bpbd")
    ),
    "kota-bandung": lambda: RegionPlugin(
        "kota-bandung", KodeWilayah.parse("32.73"), definitions=(_local_balita(12),)
    ),
    "jawa-barat": lambda: RegionPlugin(
        "jawa-barat",
        KodeWilayah.parse("32"),
        PluginLevel.PROVINCE,
        (_local_balita(9),),
        adjust=lambda a: a.set_sla("perkim.rtlh", 90),
    ),
}
VIEWS = (None, "32", "32.75", "32.16", "32.01", "32.73", "32.04", "31.71")


def _snapshot(catalog: Catalog) -> dict[str, Any]:
    return {
        "catalog": catalog.to_dict(),
        "views": {str(r): catalog.for_region(r).to_dict() for r in VIEWS},
    }


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(REGION_POOL)), unique=True, min_size=1).flatmap(
        lambda names: st.tuples(st.just(names), st.permutations(range(len(names) + 1)))
    )
)
def test_any_set_of_region_plugins_in_any_order_gives_the_same_catalog(
    chosen: tuple[list[str], list[int]],
) -> None:
    names, order = chosen
    canonical = _build(*(REGION_POOL[n]() for n in sorted(names)))
    shuffled = _build(*(REGION_POOL[n]() for n in names), order=order)
    assert _snapshot(shuffled) == _snapshot(canonical)
    # Without a province plugin, each kab/kota sees exactly what it would see were its
    # plugin installed alone: the others cannot reach into its region.
    if "jawa-barat" not in names:
        for name in names:
            region = REGION_POOL[name]().region
            alone = _build(REGION_POOL[name]()).for_region(region).to_dict()
            assert canonical.for_region(region).to_dict() == alone


# ----------------------------------------------------------------- conflicts in one scope


@pytest.mark.parametrize("rival_first", [True, False])
def test_same_scope_definitions_conflict_naming_both(rival_first: bool) -> None:
    rival = RegionPlugin("kota-bekasi-lain", definitions=(_local_balita(12),))
    plugins: list[object] = [RegionPlugin(), rival]
    if rival_first:
        plugins.reverse()
    with pytest.raises(DuplicateDefinition) as caught:
        _build(*plugins)
    err = caught.value
    assert err.code == "duplicate-definition"
    assert err.value == "kesehatan.balita"
    # Named in name order, whatever the registration order.
    assert err.context["first"] == "kota-bekasi"
    assert err.context["second"] == "kota-bekasi-lain"
    for message in (err.message_id, err.message_en):
        assert "'kota-bekasi'" in message
        assert "'kota-bekasi-lain'" in message
        assert "32.75" in message


def test_two_national_plugins_with_one_code_conflict(spm_catalog_factory: CatalogFactory) -> None:
    class NationalRival:
        @hookimpl
        def spm_plugin_info(self) -> PluginInfo:
            return PluginInfo(name="kesehatan-lain", title=Text("Kesehatan lain", "Other health"))

        @hookimpl
        def spm_definitions(self) -> list[Indicator]:
            return [attrs.evolve(_local_balita(), denominator=AgeBetween(0, 23, AgeUnit.MONTHS))]

    with pytest.raises(DuplicateDefinition) as caught:
        spm_catalog_factory(NationalRival())
    err = caught.value
    for message in (err.message_id, err.message_en):
        assert "'kesehatan'" in message
        assert "'kesehatan-lain'" in message
    assert "national" in err.message_en
    assert "nasional" in err.message_id


@pytest.mark.parametrize("rival_first", [True, False])
def test_same_scope_adjustments_conflict_naming_both(rival_first: bool) -> None:
    def sla(days: int) -> Callable[[CatalogAdjuster], None]:
        return lambda adjuster: adjuster.set_sla("perkim.rtlh", days)

    plugins: list[object] = [
        RegionPlugin("kota-bekasi", definitions=(), adjust=sla(60)),
        RegionPlugin("kota-bekasi-perkim", definitions=(), adjust=sla(30)),
    ]
    if rival_first:
        plugins.reverse()
    with pytest.raises(ConflictingAdjustment) as caught:
        _build(*plugins)
    err = caught.value
    assert err.code == "conflicting-adjustment"
    assert err.value == "perkim.rtlh"
    assert (err.context["first"], err.context["second"]) == ("kota-bekasi", "kota-bekasi-perkim")
    for message in (err.message_id, err.message_en):
        assert "'kota-bekasi'" in message
        assert "'kota-bekasi-perkim'" in message
        assert "set_sla" in message


def test_same_definition_adjusted_in_two_scopes_is_no_conflict() -> None:
    catalog = _build(kota_bekasi(), REGION_POOL["jawa-barat"]())
    assert catalog.for_region(KOTA_BEKASI).need_type("perkim.rtlh").sla_days == 60
    assert catalog.for_region(KABUPATEN_BOGOR).need_type("perkim.rtlh").sla_days == 90
    assert catalog.for_region("31.71").need_type("perkim.rtlh").sla_days is None


# ----------------------------------------------------------------- outside the region


def _kab_bekasi_dinsos() -> Agency:
    return Agency(
        code="kabupaten-bekasi.dinsos",
        title=Text("Dinas Sosial Kabupaten Bekasi", "Bekasi Regency social office"),
        roles=("dinas-perkim",),
        area=KABUPATEN_BEKASI,
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda a: a.rename_agency("kabupaten-bekasi.dinsos", Text("x", "x")),
        lambda a: a.disable(Agency, "kabupaten-bekasi.dinsos", reason=Text("x", "x")),
        lambda a: a.retarget_route("kabupaten-bekasi.rtlh", "bpbd"),
        lambda a: a.set_sla("kabupaten-bekasi.sampah", 3),
    ],
    ids=["rename", "disable", "retarget", "set-sla"],
)
def test_region_plugin_cannot_touch_another_regions_definition(change: Any) -> None:
    kab_rule = RoutingRule(
        code="kabupaten-bekasi.rtlh",
        title=Text("RTLH", "RTLH"),
        need_type="perkim.rtlh",
        roles=("dinas-perkim",),
        area=KABUPATEN_BEKASI,
    )
    kab_need = NeedType(
        code="kabupaten-bekasi.sampah",
        title=Text("Sampah", "Waste"),
        field=NATIONAL_BALITA.field,
        subject=NATIONAL_BALITA.subject,
    )
    kab = RegionPlugin(
        "kabupaten-bekasi", KABUPATEN_BEKASI, definitions=(_kab_bekasi_dinsos(), kab_rule, kab_need)
    )
    kota = RegionPlugin("kota-bekasi", definitions=(), adjust=change)
    with pytest.raises(OutOfRegion) as caught:
        _build(kab, kota)
    err = caught.value
    assert err.code == "out-of-region"
    assert err.context["plugin"] == "kota-bekasi"
    assert "32.16" in err.message_en
    assert "32.16" in err.message_id


def test_region_plugin_cannot_touch_a_national_agency_serving_another_region() -> None:
    class NationalAgencies:
        @hookimpl
        def spm_definitions(self) -> list[Agency]:
            return [_kab_bekasi_dinsos()]

    kota = RegionPlugin(
        "kota-bekasi",
        definitions=(),
        adjust=lambda a: a.rename_agency("kabupaten-bekasi.dinsos", Text("x", "x")),
    )
    with pytest.raises(OutOfRegion) as caught:
        _build(NationalAgencies(), kota)
    assert "its area (32.16) lies outside" in caught.value.message_en
