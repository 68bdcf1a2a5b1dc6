"""A configured region: its agencies, routability checks and the late adjust hook."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pytest

from spm_core.catalog import Catalog
from spm_core.definitions import (
    AgeBetween,
    Agency,
    CatalogAdjuster,
    Definition,
    HasRecord,
    Indicator,
    NeedType,
    PluginInfo,
    PluginLevel,
    RoutingRule,
    SexIs,
)
from spm_core.domain import AgeUnit, KodeWilayah, Sex, SpmField, Subject, Text
from spm_core.errors import (
    InvalidDefinition,
    InvalidValue,
    UnknownCode,
    UnresolvedReference,
    Unroutable,
)
from spm_core.hookspecs import hookimpl
from spm_core.testing.pytest_plugin import CatalogFactory

KOTA_BEKASI = KodeWilayah.parse("32.75")

AGENCIES: dict[str, tuple[str, str]] = {
    # role: (agency code, name); Kota Bekasi's OPD as the domain reference lists them
    "dinas-kesehatan": ("kota-bekasi.dinkes", "Dinas Kesehatan Kota Bekasi"),
    "dinas-pendidikan": ("kota-bekasi.disdik", "Dinas Pendidikan Kota Bekasi"),
    "dinas-pu": ("kota-bekasi.dbmsda", "Dinas Bina Marga dan Sumber Daya Air Kota Bekasi"),
    "air-minum": ("kota-bekasi.tirta-patriot", "Perumda Tirta Patriot"),
    "dinas-perkim": ("kota-bekasi.disperkimtan", "Disperkimtan Kota Bekasi"),
    "satpol-pp": ("kota-bekasi.satpol-pp", "Satpol PP Kota Bekasi"),
    "bpbd": ("kota-bekasi.bpbd", "BPBD Kota Bekasi"),
    "damkar": ("kota-bekasi.disdamkarmat", "Disdamkarmat Kota Bekasi"),
    "dinas-sosial": ("kota-bekasi.dinsos", "Dinas Sosial Kota Bekasi"),
    "dinas-bina-marga": ("kota-bekasi.dbmsda-jalan", "DBMSDA Kota Bekasi (jalan)"),
    "dinas-sda": ("kota-bekasi.dbmsda-drainase", "DBMSDA Kota Bekasi (drainase)"),
    "dinas-tata-ruang": ("kota-bekasi.distaru", "Dinas Tata Ruang Kota Bekasi"),
    "dinas-pendidikan-provinsi": ("jabar.kcd-3", "KCD Pendidikan Wilayah III Jawa Barat"),
    "dppkb": ("kota-bekasi.dppkb", "DPPKB Kota Bekasi"),
    "pembina-posyandu": ("kota-bekasi.dp3a-posyandu", "DP3A Kota Bekasi (posyandu)"),
    "dp3a": ("kota-bekasi.dp3a", "DP3A Kota Bekasi"),
    "disdukcapil": ("kota-bekasi.disdukcapil", "Disdukcapil Kota Bekasi"),
}


def _agencies(*, leave_out: Sequence[str] = (), city_puskesmas: bool = True) -> list[Agency]:
    """Kota Bekasi's agencies; the health office answers for Puskesmas city-wide unless
    ``city_puskesmas`` is false, and Puskesmas Bekasi Jaya serves kecamatan 32.75.01."""
    agencies = [
        Agency(
            code=code,
            title=Text(name, name),
            roles=(role, "puskesmas") if role == "dinas-kesehatan" and city_puskesmas else (role,),
            area=KOTA_BEKASI,
        )
        for role, (code, name) in AGENCIES.items()
        if role not in leave_out
    ]
    if "puskesmas" not in leave_out:
        agencies.append(
            Agency(
                code="kota-bekasi.puskesmas-bekasi-jaya",
                title=Text("Puskesmas Bekasi Jaya", "Bekasi Jaya health centre"),
                roles=("puskesmas",),
                area=KodeWilayah.parse("32.75.01"),
            )
        )
    return agencies


@attrs.define
class KotaBekasi:
    """A kab/kota region plugin built per test: agencies, routes and an adjustment."""

    agencies: list[Agency] = attrs.field(factory=_agencies)
    rules: list[RoutingRule] = attrs.field(factory=list)
    adjust: object = None
    local: list[Definition] = attrs.field(factory=list)

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(
            name="kota-bekasi",
            title=Text("Kota Bekasi", "Bekasi City"),
            level=PluginLevel.REGION,
            region=KOTA_BEKASI,
        )

    @hookimpl
    def spm_definitions(self) -> Sequence[Definition]:
        return [*self.agencies, *self.rules, *self.local]

    @hookimpl
    def spm_adjust_catalog(self, adjuster: CatalogAdjuster) -> None:
        if callable(self.adjust):
            self.adjust(adjuster)


def test_hook_spm_definitions(spm_catalog_factory: CatalogFactory) -> None:
    catalog = spm_catalog_factory(KotaBekasi())
    view = catalog.for_region(KOTA_BEKASI)
    assert len(view.agencies) == len(AGENCIES) + 1
    assert catalog.agencies == ()  # the national view holds no region's agencies
    assert KOTA_BEKASI in catalog.regions
    full, catalog = catalog, view  # type: ignore[assignment]
    dinsos = catalog.agency("kota-bekasi.dinsos")
    assert dinsos.roles == ("dinas-sosial",)
    assert dinsos.provenance is not None
    assert dinsos.provenance.plugin == "kota-bekasi"
    assert dinsos.provenance.level is PluginLevel.REGION
    assert catalog.agency("kota-bekasi.puskesmas-bekasi-jaya").area == KodeWilayah.parse("32.75.01")
    (exported,) = [
        d
        for d in full.to_dict()["definitions"]
        if d["kind"] == "agency" and d["code"] == "kota-bekasi.dinsos"
    ]
    assert (exported["area"], exported["roles"]) == ("32.75", ["dinas-sosial"])
    assert exported["provenance"] == {
        "plugin": "kota-bekasi",
        "level": "region",
        "version": None,
        "region": "32.75",
    }


def test_agency_naming_an_unknown_role_is_unresolved(spm_catalog_factory: CatalogFactory) -> None:
    region = KotaBekasi()
    region.agencies.append(
        Agency(
            code="kota-bekasi.disparbud",
            title=Text("Disparbud", "Disparbud"),
            roles=("dinas-pariwisata",),
            area=KOTA_BEKASI,
        )
    )
    with pytest.raises(UnresolvedReference) as caught:
        spm_catalog_factory(region)
    assert caught.value.value == "dinas-pariwisata"


def test_configured_region_without_an_agency_for_a_role_is_unroutable(
    spm_catalog_factory: CatalogFactory,
) -> None:
    with pytest.raises(Unroutable) as caught:
        spm_catalog_factory(KotaBekasi(agencies=_agencies(leave_out=["dinas-sosial"])))
    err = caught.value
    assert err.code == "unroutable"
    assert err.value.startswith("sosial.")
    assert err.context["region"] == "32.75"
    assert "'dinas-sosial'" in err.message_en
    assert "'dinas-sosial'" in err.message_id


def test_water_utility_is_needed_for_the_piped_water_route(
    spm_catalog_factory: CatalogFactory,
) -> None:
    with pytest.raises(Unroutable) as caught:
        spm_catalog_factory(KotaBekasi(agencies=_agencies(leave_out=["air-minum"])))
    assert caught.value.value == "pupr.air-minum-tidak-layak"
    assert "pupr.air-minum-tidak-layak.perpipaan" in caught.value.message_en


def test_region_rule_replaces_the_national_role_it_outranks(
    spm_catalog_factory: CatalogFactory,
) -> None:
    # Kota Bekasi sends the household public-works needs to its housing office, so it needs no
    # agency for the national roles of those routes (dinas-pu, air-minum).
    rules = [
        RoutingRule(
            code=f"kota-bekasi.{need}",
            title=Text(f"{need} → Disperkimtan", f"{need} → housing office"),
            need_type=need,
            roles="dinas-perkim",
            area=KOTA_BEKASI,
        )
        for need in ("pupr.tanpa-jamban", "pupr.air-minum-tidak-layak", "pupr.penyedotan-tinja")
    ]
    region = KotaBekasi(agencies=_agencies(leave_out=["dinas-pu", "air-minum"]), rules=rules)
    catalog = spm_catalog_factory(region)
    assert catalog.for_region(KOTA_BEKASI).routing_rule("kota-bekasi.pupr.tanpa-jamban").area == (
        KOTA_BEKASI
    )


def test_region_route_outside_its_region_is_invalid(spm_catalog_factory: CatalogFactory) -> None:
    rule = RoutingRule(
        code="kota-bekasi.rtlh",
        title=Text("RTLH", "RTLH"),
        need_type="perkim.rtlh",
        roles="dinas-perkim",
    )
    with pytest.raises(InvalidDefinition) as caught:
        spm_catalog_factory(KotaBekasi(rules=[rule]))
    assert caught.value.value == "kota-bekasi.rtlh"


def test_only_conditional_rules_leave_needs_unroutable(
    spm_catalog_factory: CatalogFactory,
) -> None:
    def drop_default(adjuster: CatalogAdjuster) -> None:
        adjuster.disable(
            RoutingRule,
            "pupr.air-minum-tidak-layak.default",
            reason=Text("uji", "test"),
        )

    with pytest.raises(Unroutable) as caught:
        spm_catalog_factory(KotaBekasi(adjust=drop_default))
    assert caught.value.value == "pupr.air-minum-tidak-layak"
    assert "condition" in caught.value.message_en


def _local_indicator() -> Indicator:
    return Indicator(
        code="kota-bekasi.ibu-hamil-kek",
        title=Text("Ibu hamil diperiksa LiLA", "Pregnant women with arm circumference measured"),
        field=SpmField.KESEHATAN,
        service_type="kesehatan.ibu-hamil",
        subject=Subject.RESIDENT,
        denominator=SexIs(Sex.FEMALE) & AgeBetween(15, 49, AgeUnit.YEARS),
        numerator=HasRecord("kesehatan.penimbangan"),
    )


def test_hook_spm_adjust_catalog(spm_catalog_factory: CatalogFactory) -> None:
    def adjust(adjuster: CatalogAdjuster) -> None:
        assert adjuster.plugin == "kota-bekasi"
        adjuster.rename_agency(
            "kota-bekasi.dinsos",
            Text("Dinas Sosial dan Pemberdayaan", "Social and empowerment office"),
            short_name="Dinsos",
        )
        adjuster.retarget_route("perkim.rumah-rusak-bencana.default", "bpbd")
        adjuster.disable(
            Indicator,
            "kesehatan.usia-produktif",
            reason=Text("diukur Dinkes", "Dinkes measures it"),
        )
        adjuster.set_sla("sosial.alat-bantu-dengar", 14)
        need = adjuster.get(NeedType, "perkim.rtlh")
        adjuster.replace(attrs.evolve(need, title=Text("Rutilahu", "House rehabilitation")))

    catalog: Catalog = spm_catalog_factory(KotaBekasi(adjust=adjust, local=[_local_indicator()]))
    view = catalog.for_region(KOTA_BEKASI)
    dinsos = view.agency("kota-bekasi.dinsos")
    assert (dinsos.title.en, dinsos.short_name) == ("Social and empowerment office", "Dinsos")
    assert view.routing_rule("perkim.rumah-rusak-bencana.default").roles == ("bpbd",)
    with pytest.raises(UnknownCode):
        view.indicator("kesehatan.usia-produktif")
    assert view.origin("indicator", "kesehatan.usia-produktif").disabled
    local = view.indicator("kota-bekasi.ibu-hamil-kek")
    assert local.provenance is not None
    assert local.provenance.plugin == "kota-bekasi"
    assert view.origin("indicator", "kota-bekasi.ibu-hamil-kek").status == "added"
    assert view.need_type("sosial.alat-bantu-dengar").sla_days == 14
    rtlh = view.need_type("perkim.rtlh")
    assert rtlh.title.id == "Rutilahu"
    assert rtlh.provenance is not None
    assert rtlh.provenance.plugin == "kota-bekasi"
    # The national definitions are untouched: other regions see them as they were.
    national = catalog.for_region("32.16")
    assert national.routing_rule("perkim.rumah-rusak-bencana.default").roles == ("dinas-perkim",)
    assert national.indicator("kesehatan.usia-produktif").provenance is not None
    assert national.need_type("perkim.rtlh").title.id != "Rutilahu"
    with pytest.raises(UnknownCode):
        national.indicator("kota-bekasi.ibu-hamil-kek")
    recorded = [
        (a.plugin, a.action, a.kind, a.code, a.scope)
        for a in catalog.adjustments
        if a.plugin == "kota-bekasi"
    ]
    assert recorded == [
        ("kota-bekasi", "rename", "agency", "kota-bekasi.dinsos", "32.75"),
        ("kota-bekasi", "retarget", "routing_rule", "perkim.rumah-rusak-bencana.default", "32.75"),
        ("kota-bekasi", "disable", "indicator", "kesehatan.usia-produktif", "32.75"),
        ("kota-bekasi", "set_sla", "need_type", "sosial.alat-bantu-dengar", "32.75"),
        ("kota-bekasi", "replace", "need_type", "perkim.rtlh", "32.75"),
    ]
    assert catalog.adjustments[1].detail == "dinas-perkim → bpbd"
    assert catalog.to_dict()["adjustments"][2]["detail"] == "diukur Dinkes / Dinkes measures it"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda a: a.rename_agency("kota-bekasi.dinkes-lama", Text("x", "x")), UnresolvedReference),
        (lambda a: a.retarget_route("perkim.rtlh.default", "disperkimtan"), UnresolvedReference),
        (
            lambda a: a.disable(Indicator, "kesehatan.tidak-ada", reason=Text("x", "x")),
            UnresolvedReference,
        ),
        (
            lambda a: a.replace(attrs.evolve(_local_indicator(), code="kesehatan.tidak-ada")),
            UnresolvedReference,
        ),
        (
            lambda a: a.replace(
                Agency(
                    code="kota-bekasi.dinsos",
                    title=Text("Dinsos Kab. Bekasi", "Bekasi Regency social office"),
                    roles=("dinas-sosial",),
                    area=KodeWilayah.parse("32.16"),
                )
            ),
            InvalidDefinition,
        ),
        (
            lambda a: a.replace(
                attrs.evolve(
                    _local_indicator(),
                    code="kesehatan.balita",
                    numerator=HasRecord("kota-bekasi.x"),
                )
            ),
            UnresolvedReference,
        ),
        (lambda a: a.set_sla("perkim.rtlh", 0), InvalidValue),
        (
            lambda a: a.disable(
                RoutingRule, "pupr.air-minum-tidak-layak.default", reason=Text("x", "x")
            ),
            Unroutable,
        ),
    ],
    ids=[
        "rename-unknown",
        "retarget-unknown-role",
        "disable-unknown",
        "replace-unknown",
        "replace-with-foreign-agency",
        "replace-dangling",
        "sla-zero",
        "disable-unconditional-route",
    ],
)
def test_adjustments_are_checked(
    spm_catalog_factory: CatalogFactory, change: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        spm_catalog_factory(KotaBekasi(adjust=change))


def test_national_plugins_adjust_before_regions(spm_catalog_factory: CatalogFactory) -> None:
    order: list[str] = []

    class Nasional:
        @hookimpl
        def spm_adjust_catalog(self, adjuster: CatalogAdjuster) -> None:
            order.append(adjuster.plugin)
            adjuster.set_sla("sosial.alat-bantu-dengar", 30)

    def region_adjust(adjuster: CatalogAdjuster) -> None:
        order.append(adjuster.plugin)
        adjuster.set_sla("sosial.alat-bantu-dengar", 7)

    catalog = spm_catalog_factory(KotaBekasi(adjust=region_adjust), Nasional())
    assert [name for name in order if name in {"nasional", "kota-bekasi"}] == [
        "nasional",
        "kota-bekasi",
    ]
    assert catalog.for_region(KOTA_BEKASI).need_type("sosial.alat-bantu-dengar").sla_days == 7
    assert catalog.for_region("32.16").need_type("sosial.alat-bantu-dengar").sla_days == 30
    assert catalog.need_type("sosial.alat-bantu-dengar").sla_days == 30
    mine = [a.detail for a in catalog.adjustments if a.plugin in {"nasional", "kota-bekasi"}]
    assert mine == ["None → 30", "30 → 7"]


def test_a_mistyped_code_gets_a_did_you_mean_in_both_languages(
    spm_catalog_factory: CatalogFactory,
) -> None:
    with pytest.raises(UnresolvedReference) as caught:
        spm_catalog_factory(KotaBekasi(adjust=lambda a: a.set_sla("perkim.rtl", 60)))
    err = caught.value
    assert err.value == "perkim.rtl"
    assert "Did you mean 'perkim.rtlh'?" in err.message_en
    assert "Mungkin maksudnya 'perkim.rtlh'?" in err.message_id
    with pytest.raises(UnresolvedReference) as role:
        spm_catalog_factory(
            KotaBekasi(adjust=lambda a: a.retarget_route("perkim.rtlh.default", "dinas-perkm"))
        )
    assert "'dinas-perkim'" in role.value.message_en
    view = spm_catalog_factory(KotaBekasi()).for_region(KOTA_BEKASI)
    with pytest.raises(UnknownCode) as lookup:
        view.indicator("kesehatan.balta")
    assert "Did you mean 'kesehatan.balita'?" in lookup.value.message_en
    assert "Mungkin maksudnya 'kesehatan.balita'?" in lookup.value.message_id


def test_a_code_far_from_every_other_gets_no_suggestion(
    spm_catalog_factory: CatalogFactory,
) -> None:
    with pytest.raises(UnresolvedReference) as caught:
        spm_catalog_factory(KotaBekasi(adjust=lambda a: a.set_sla("zzz", 60)))
    assert "Did you mean" not in caught.value.message_en
    assert caught.value.message_en.endswith("which is not defined.")
