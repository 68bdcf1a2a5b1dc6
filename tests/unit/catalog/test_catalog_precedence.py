"""Precedence is data (the declared level), never registration order; conflicts name both."""

from __future__ import annotations

import attrs
import pytest

import spm_kesehatan
from spm_core.catalog import Catalog, Override
from spm_core.definitions import (
    AgeBetween,
    Indicator,
    LegalBasis,
    PluginInfo,
    PluginLevel,
    RecordCount,
)
from spm_core.domain import AgeUnit, KodeWilayah, Text
from spm_core.errors import DuplicateDefinition
from spm_core.hookspecs import hookimpl
from spm_core.plugins import make_plugin_manager
from spm_core.testing.pytest_plugin import CatalogFactory

KOTA_BEKASI = KodeWilayah.parse("32.75")


def _local_balita() -> Indicator:
    national = Catalog.build(make_plugin_manager(allow=["kesehatan"])).indicator("kesehatan.balita")
    return attrs.evolve(
        national,
        title=Text("Balita ditimbang 10 kali", "Children weighed 10 times"),
        numerator=RecordCount("kesehatan.penimbangan", at_least=10),
        legal_basis=(LegalBasis("Perwal Kota Bekasi (contoh)", confirmed=False, note="test"),),
        provenance=None,
    )


class RegionPlugin:
    """A kab/kota plugin that replaces the national balita indicator."""

    def __init__(
        self,
        name: str = "kota-bekasi",
        region: KodeWilayah = KOTA_BEKASI,
        level: PluginLevel = PluginLevel.REGION,
    ) -> None:
        self.info = PluginInfo(name=name, title=Text(name, name), level=level, region=region)

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return self.info

    @hookimpl
    def spm_definitions(self) -> list[Indicator]:
        return [_local_balita()]


class NationalRival:
    """A second national plugin that defines a code the health plugin already defines."""

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(name="kesehatan-lain", title=Text("Kesehatan lain", "Other health"))

    @hookimpl
    def spm_definitions(self) -> list[Indicator]:
        return [attrs.evolve(_local_balita(), denominator=AgeBetween(0, 23, AgeUnit.MONTHS))]


def test_region_plugin_added_at_run_time_overrides_national(
    spm_catalog_factory: CatalogFactory,
) -> None:
    catalog = spm_catalog_factory(RegionPlugin())
    balita = catalog.indicator("kesehatan.balita")
    assert balita.title.en == "Children weighed 10 times"
    assert balita.provenance is not None
    assert balita.provenance.plugin == "kota-bekasi"
    assert balita.provenance.level is PluginLevel.REGION
    (override,) = catalog.overrides
    assert isinstance(override, Override)
    assert (override.kind, override.code) == ("indicator", "kesehatan.balita")
    assert override.winner.plugin == "kota-bekasi"
    assert override.replaced.plugin == "kesehatan"
    assert override.replaced.level is PluginLevel.NATIONAL
    assert catalog.to_dict()["overrides"] == [override.to_dict()]
    assert [p.name for p in catalog.plugins][-1] == "kota-bekasi"


@pytest.mark.parametrize("region_first", [True, False])
def test_override_wins_in_either_registration_order(region_first: bool) -> None:
    plugins: dict[str, object] = {"kesehatan": spm_kesehatan, "kota-bekasi": RegionPlugin()}
    if region_first:
        plugins = dict(reversed(plugins.items()))
    pm = make_plugin_manager(entry_points=False, extra=plugins)
    assert [name for name, _ in pm.list_name_plugin()] == list(plugins)
    catalog = Catalog.build(pm)
    balita = catalog.indicator("kesehatan.balita")
    assert balita.provenance is not None
    assert balita.provenance.plugin == "kota-bekasi"
    assert [(o.code, o.winner.plugin, o.replaced.plugin) for o in catalog.overrides] == [
        ("kesehatan.balita", "kota-bekasi", "kesehatan")
    ]


def test_same_level_duplicate_names_both_plugins(spm_catalog_factory: CatalogFactory) -> None:
    with pytest.raises(DuplicateDefinition) as caught:
        spm_catalog_factory(NationalRival())
    err = caught.value
    assert err.code == "duplicate-definition"
    assert err.value == "kesehatan.balita"
    for message in (err.message_id, err.message_en):
        assert "'kesehatan'" in message
        assert "'kesehatan-lain'" in message
        assert "national" in message


def test_two_region_plugins_with_one_code_conflict(spm_catalog_factory: CatalogFactory) -> None:
    with pytest.raises(DuplicateDefinition) as caught:
        spm_catalog_factory(
            RegionPlugin(), RegionPlugin("kabupaten-bekasi", KodeWilayah.parse("32.16"))
        )
    assert "'kabupaten-bekasi'" in caught.value.message_en
    assert "'kota-bekasi'" in caught.value.message_en
    assert "(region)" in caught.value.message_en


def test_province_level_sits_between_national_and_region(
    spm_catalog_factory: CatalogFactory,
) -> None:
    province = RegionPlugin("jawa-barat", KodeWilayah.parse("32"), PluginLevel.PROVINCE)
    catalog = spm_catalog_factory(province, RegionPlugin())
    balita = catalog.indicator("kesehatan.balita")
    assert balita.provenance is not None
    assert balita.provenance.plugin == "kota-bekasi"
    losers = sorted((o.replaced.plugin, o.replaced.level) for o in catalog.overrides)
    assert losers == [("jawa-barat", PluginLevel.PROVINCE), ("kesehatan", PluginLevel.NATIONAL)]
