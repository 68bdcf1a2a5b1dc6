"""Mistakes in plugins fail at load, with the plugin and the offending value named."""

from __future__ import annotations

import types
from collections.abc import Sequence

import pytest

from spm_core.catalog import Catalog
from spm_core.definitions import (
    AgeBetween,
    Agency,
    HasRecord,
    Indicator,
    PluginInfo,
    PluginLevel,
    ServiceType,
)
from spm_core.domain import AgeUnit, KodeWilayah, SpmField, Subject, Text
from spm_core.errors import (
    InvalidDefinition,
    PluginLoadError,
    PluginSpecError,
    UnresolvedReference,
)
from spm_core.hookspecs import hookimpl
from spm_core.plugins import list_plugins, make_plugin_manager
from spm_core.testing.pytest_plugin import CatalogFactory


class TypoPlugin:
    """Implements ``spm_indicator`` (singular): no such hook."""

    @hookimpl
    def spm_indicator(self) -> list[Indicator]:
        return []


class WrongArgumentPlugin:
    """Implements the late hook with an argument the specification does not have."""

    @hookimpl
    def spm_adjust_catalog(self, catalog: object) -> None:
        return None


def test_hookimpl_without_spec_fails_at_load() -> None:
    with pytest.raises(PluginSpecError) as caught:
        make_plugin_manager(extra={"typo": TypoPlugin()})
    err = caught.value
    assert err.code == "plugin-spec-error"
    assert err.context["plugin"] == "typo"
    assert "spm_indicator" in err.message_en
    assert "spm_indicator" in err.message_id


def test_a_hook_of_the_old_per_kind_contract_fails_at_load() -> None:
    class OldContract:
        @hookimpl
        def spm_indicators(self) -> list[Indicator]:
            return []

    with pytest.raises(PluginSpecError) as caught:
        make_plugin_manager(entry_points=False, extra={"lama": OldContract()})
    assert caught.value.context["plugin"] == "lama"
    assert "spm_indicators" in caught.value.message_en


def test_hookimpl_with_unknown_argument_fails_at_load() -> None:
    with pytest.raises(PluginSpecError) as caught:
        make_plugin_manager(entry_points=False, extra=[WrongArgumentPlugin()])
    assert caught.value.context["plugin"] == "WrongArgumentPlugin"
    assert "catalog" in caught.value.message_en


def test_allow_list_loads_only_the_named_plugins() -> None:
    pm = make_plugin_manager(allow=["sosial", "pupr"])
    assert sorted(name for name, _ in pm.list_name_plugin()) == ["pupr", "sosial"]
    assert [f.code for f in Catalog.build(pm).fields] == ["pupr", "sosial"]


def test_deny_list_leaves_plugins_out() -> None:
    pm = make_plugin_manager(deny=["trantibum"])
    names = {d.name for d in list_plugins(pm)}
    assert "trantibum" not in names
    assert {"kesehatan", "pendidikan", "pupr", "perkim", "sosial"} <= names


@pytest.mark.parametrize("option", ["allow", "deny"])
def test_unknown_name_in_allow_or_deny_list_is_a_load_error(option: str) -> None:
    with pytest.raises(PluginLoadError) as caught:
        make_plugin_manager(**{option: ["kesehatan", "kesehatann"]})  # type: ignore[arg-type]
    err = caught.value
    assert err.context["plugin"] == "kesehatann"
    assert f"the {option} list" in err.message_en
    assert f"daftar {dict(allow='izin', deny='tolak')[option]}" in err.message_id
    available = err.message_en.split("available: ", 1)[1].rstrip(".").split(", ")
    assert {"kesehatan", "pendidikan", "sosial"} <= set(available)


def test_plugin_info_of_wrong_type_is_a_load_error(spm_catalog_factory: CatalogFactory) -> None:
    class Confused:
        @hookimpl
        def spm_plugin_info(self) -> str:
            return "kota-bekasi"

    with pytest.raises(PluginLoadError) as caught:
        spm_catalog_factory(Confused())
    assert "PluginInfo" in caught.value.message_en


def test_two_plugins_claiming_one_name_fail(spm_catalog_factory: CatalogFactory) -> None:
    class Impostor:
        @hookimpl
        def spm_plugin_info(self) -> PluginInfo:
            return PluginInfo(name="sosial", title=Text("Sosial", "Social"))

    with pytest.raises(PluginLoadError) as caught:
        spm_catalog_factory(Impostor())
    assert "'sosial'" in caught.value.message_en
    assert "'Impostor'" in caught.value.message_en


@pytest.mark.parametrize(
    "returned",
    [
        "kesehatan.balita",
        {"code": "kesehatan.balita"},
        42,
        [PluginInfo(name="x", title=Text("x", "x"))],
    ],
    ids=["string", "mapping", "number", "not-a-definition"],
)
def test_hook_returning_the_wrong_type_is_invalid(
    spm_catalog_factory: CatalogFactory, returned: object
) -> None:
    class Sloppy:
        @hookimpl
        def spm_definitions(self) -> object:
            return returned

    with pytest.raises(InvalidDefinition) as caught:
        spm_catalog_factory(Sloppy())
    err = caught.value
    assert err.code == "invalid-definition"
    assert err.context["plugin"] == "sloppy"
    assert "spm_definitions" in err.message_en


def test_unresolved_record_type_is_reported(spm_catalog_factory: CatalogFactory) -> None:
    class Dangling:
        @hookimpl
        def spm_definitions(self) -> Sequence[Indicator]:
            return [
                Indicator(
                    code="kesehatan.remaja-ditimbang",
                    title=Text("Remaja ditimbang", "Adolescents weighed"),
                    field=SpmField.KESEHATAN,
                    service_type="kesehatan.usia-pendidikan-dasar",
                    subject=Subject.RESIDENT,
                    denominator=AgeBetween(10, 18, AgeUnit.YEARS),
                    numerator=HasRecord("kesehatan.timbang-remaja"),
                )
            ]

    with pytest.raises(UnresolvedReference) as caught:
        spm_catalog_factory(Dangling())
    err = caught.value
    assert err.value == "kesehatan.timbang-remaja"
    assert err.context["owner"] == "kesehatan.remaja-ditimbang"
    assert err.context["plugin"] == "dangling"
    assert "record type" in err.message_en


def test_unresolved_service_type_is_reported(spm_catalog_factory: CatalogFactory) -> None:
    class NoSuchService:
        @hookimpl
        def spm_definitions(self) -> Sequence[ServiceType]:
            return [
                ServiceType(
                    code="kesehatan.gigi",
                    field=SpmField.KESEHATAN,
                    title=Text("Kesehatan gigi", "Dental care"),
                    recipients=Text("Semua warga", "Every resident"),
                )
            ]

    catalog = spm_catalog_factory(NoSuchService())
    assert catalog.service_type("kesehatan.gigi").provenance is not None
    with pytest.raises(UnresolvedReference) as caught:
        spm_catalog_factory(NoSuchService(), entry_points=False)
    assert caught.value.value == "kesehatan"
    assert caught.value.context["target_kind"].en == "field"
    assert "merujuk bidang 'kesehatan'" in caught.value.message_id


def test_region_agency_outside_its_region_is_invalid(spm_catalog_factory: CatalogFactory) -> None:
    class KotaBekasi:
        @hookimpl
        def spm_plugin_info(self) -> PluginInfo:
            return PluginInfo(
                name="kota-bekasi",
                title=Text("Kota Bekasi", "Bekasi City"),
                level=PluginLevel.REGION,
                region=KodeWilayah.parse("32.75"),
            )

        @hookimpl
        def spm_definitions(self) -> Sequence[Agency]:
            return [
                Agency(
                    code="kota-bekasi.dinsos",
                    title=Text("Dinas Sosial Kabupaten Bekasi", "Bekasi Regency social office"),
                    roles=("dinas-sosial",),
                    area=KodeWilayah.parse("32.16"),
                )
            ]

    with pytest.raises(InvalidDefinition) as caught:
        spm_catalog_factory(KotaBekasi())
    err = caught.value
    assert err.value == "kota-bekasi.dinsos"
    assert err.context["plugin"] == "kota-bekasi"
    assert "32.75" in err.message_en
    assert "32.75" in err.message_id


def test_entry_point_that_fails_to_import_is_a_load_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.metadata as md

    broken = md.EntryPoint(name="rusak", value="spm_tidak_ada", group="spm")
    real = md.entry_points

    def entry_points(**kwargs: str) -> object:
        found = real(**kwargs)
        return (*found, broken) if kwargs.get("group") == "spm" else found

    monkeypatch.setattr(md, "entry_points", entry_points)
    with pytest.raises(PluginLoadError) as caught:
        make_plugin_manager()
    assert caught.value.context["plugin"] == "rusak"
    assert "ModuleNotFoundError" in caught.value.message_en
    assert make_plugin_manager(deny=["rusak"]).has_plugin("sosial")


def test_plugin_managers_are_independent() -> None:
    first = make_plugin_manager(allow=["sosial"])
    second = make_plugin_manager(allow=["pupr"])
    assert first is not second
    assert first.has_plugin("sosial")
    assert not second.has_plugin("sosial")
    module = types.ModuleType("spm_kosong")
    third = make_plugin_manager(entry_points=False, extra=[module])
    assert [d.name for d in list_plugins(third)] == ["spm_kosong"]
    assert len(Catalog.build(third)) == 0


def test_an_installed_plugin_passed_again_is_registered_once() -> None:
    # What a region author's test does once the plugin is installed with pip install -e:
    # the entry point loads the module, and the test passes the same module in.
    import spm_sosial

    pm = make_plugin_manager(allow=["sosial"], extra=[spm_sosial])
    assert [name for name, _ in pm.list_name_plugin()] == ["sosial"]
    assert Catalog.build(pm).field("sosial").provenance is not None


def test_another_plugin_under_a_taken_name_is_a_bilingual_load_error() -> None:
    class Impostor:
        pass

    with pytest.raises(PluginLoadError) as caught:
        make_plugin_manager(allow=["sosial"], extra={"sosial": Impostor()})
    assert caught.value.message_id.endswith("nama itu sudah dipakai plugin lain yang terdaftar.")
    assert caught.value.message_en.endswith("another registered plugin already has that name.")


def test_a_misspelt_hook_gets_a_suggestion_in_each_language() -> None:
    class Typo:
        @hookimpl
        def spm_adjust_catalgo(self, adjuster: object) -> None:
            return None

    with pytest.raises(PluginSpecError) as caught:
        make_plugin_manager(entry_points=False, extra={"typo": Typo()})
    err = caught.value
    assert err.value == "spm_adjust_catalgo"
    assert err.message_id == (
        "Plugin 'typo' mengimplementasikan hook 'spm_adjust_catalgo' yang menyalahi kontrak: "
        "tidak ada hook dengan nama itu; mungkin maksudnya 'spm_adjust_catalog'."
    )
    assert err.message_en == (
        "Plugin 'typo' implements hook 'spm_adjust_catalgo' against the contract: "
        "no hook has that name; did you mean 'spm_adjust_catalog'."
    )
