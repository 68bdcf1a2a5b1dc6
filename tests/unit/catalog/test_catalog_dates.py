"""Dated versions: a report uses the version in force on its period's last day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs
import pytest

from spm_core.catalog import Catalog
from spm_core.definitions import (
    Definition,
    NeedType,
    PluginInfo,
    PluginLevel,
    RoutingRule,
    Validity,
)
from spm_core.domain import KodeWilayah, Period, Text
from spm_core.errors import DuplicateDefinition, UnresolvedReference
from spm_core.hookspecs import hookimpl
from spm_core.testing.pytest_plugin import CatalogFactory


def _regulations(definition: Definition) -> set[str]:
    return {lb.regulation for lb in definition.legal_basis}


@pytest.mark.parametrize(
    ("period", "regulation"),
    [
        (Period.whole_year(2023), "Permenkes 4/2019"),
        (Period.month(2023, 12), "Permenkes 4/2019"),
        (Period.month(2024, 1), "Permenkes 6/2024"),
        (Period.whole_year(2025), "Permenkes 6/2024"),
        (Period.month(2025, 6), "Permenkes 6/2024"),
    ],
)
def test_a_period_uses_the_health_standard_in_force_on_its_last_day(
    spm_catalog: Catalog, period: Period, regulation: str
) -> None:
    for region in (None, "32.75", "32.16.01.2001"):
        view = spm_catalog.for_period(region, period)
        for code in ("kesehatan.ibu-hamil", "kesehatan.balita", "kesehatan.klb-provinsi"):
            service = view.service_type(code)
            assert regulation in _regulations(service), (period, code)
            other = {"Permenkes 4/2019", "Permenkes 6/2024"} - {regulation}
            assert not other & _regulations(service)


def test_a_period_straddling_a_change_uses_the_standard_of_its_end(spm_catalog: Catalog) -> None:
    # July 2022: Permendikbudristek 32/2022 took over on the 20th.
    view = spm_catalog.for_period("32.75", Period.month(2022, 7))
    assert "Permendikbudristek 32/2022" in _regulations(view.service_type("pendidikan.paud"))
    before = spm_catalog.for_region("32.75", on=date(2022, 7, 19))
    assert "Permendikbud 32/2018" in _regulations(before.service_type("pendidikan.paud"))
    # The whole of 2021 is judged by the 2018 standard, the whole of 2022 by the 2022 one.
    assert "Permendikbud 32/2018" in _regulations(
        spm_catalog.for_period(None, Period.whole_year(2021)).service_type("pendidikan.dasar")
    )
    assert "Permendikbudristek 32/2022" in _regulations(
        spm_catalog.for_period(None, Period.whole_year(2022)).service_type("pendidikan.dasar")
    )


def test_the_catalogs_own_lookups_use_the_latest_versions(spm_catalog: Catalog) -> None:
    assert "Permenkes 6/2024" in _regulations(spm_catalog.service_type("kesehatan.ibu-hamil"))
    assert len(spm_catalog.versions("service_type", "kesehatan.ibu-hamil")) == 2


# ----------------------------------------------------------------- versions from plugins


def _rtlh(validity: Validity, sla: int) -> NeedType:
    return NeedType(
        code="perkim.rtlh",
        title=Text(f"RTLH ({sla} hari)", f"Unfit house ({sla} days)"),
        field=_national_rtlh().field,
        subject=_national_rtlh().subject,
        sla_days=sla,
        validity=validity,
    )


def _national_rtlh() -> NeedType:
    from spm_perkim.needs import NEED_TYPES

    return next(n for n in NEED_TYPES if n.code == "perkim.rtlh")


@attrs.define
class Dated:
    """A plugin contributing dated versions of one need type."""

    name: str
    versions: Sequence[Definition]
    region: KodeWilayah | None = None

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        level = PluginLevel.NATIONAL if self.region is None else PluginLevel.REGION
        return PluginInfo(
            name=self.name, title=Text(self.name, self.name), level=level, region=self.region
        )

    @hookimpl
    def spm_definitions(self) -> Sequence[Definition]:
        return self.versions


def test_a_region_version_applies_from_its_start_only(spm_catalog_factory: CatalogFactory) -> None:
    local = Dated(
        "kota-bekasi",
        [_rtlh(Validity(start=date(2025, 1, 1)), 60)],
        KodeWilayah.parse("32.75"),
    )
    catalog = spm_catalog_factory(local)
    assert (
        catalog.for_region("32.75", on=date(2024, 12, 31)).need_type("perkim.rtlh").sla_days is None
    )
    assert catalog.for_region("32.75", on=date(2025, 1, 1)).need_type("perkim.rtlh").sla_days == 60
    assert (
        catalog.for_region("32.16", on=date(2025, 1, 1)).need_type("perkim.rtlh").sla_days is None
    )
    origin = catalog.for_region("32.75", on=date(2025, 6, 30)).origin("need_type", "perkim.rtlh")
    assert (origin.status, origin.provenance.plugin) == ("replaced", "kota-bekasi")


def test_adjacent_versions_of_one_plugin_are_fine(spm_catalog_factory: CatalogFactory) -> None:
    versions = [
        _rtlh(Validity(end=date(2024, 6, 30)), 90),
        _rtlh(Validity(start=date(2024, 7, 1)), 60),
    ]
    catalog = spm_catalog_factory(Dated("kota-bekasi", versions, KodeWilayah.parse("32.75")))
    view = catalog.for_region("32.75", on=date(2024, 6, 30))
    assert view.need_type("perkim.rtlh").sla_days == 90
    assert catalog.for_region("32.75", on=date(2024, 7, 1)).need_type("perkim.rtlh").sla_days == 60


@pytest.mark.parametrize("reverse", [False, True])
def test_overlapping_versions_of_one_plugin_fail_at_load(
    spm_catalog_factory: CatalogFactory, reverse: bool
) -> None:
    versions = [
        _rtlh(Validity(end=date(2024, 7, 1)), 90),
        _rtlh(Validity(start=date(2024, 7, 1)), 60),
    ]
    if reverse:
        versions.reverse()
    with pytest.raises(DuplicateDefinition) as caught:
        spm_catalog_factory(Dated("kota-bekasi", versions, KodeWilayah.parse("32.75")))
    err = caught.value
    assert err.value == "perkim.rtlh"
    assert err.context["first_validity"] == "..2024-07-01"
    assert err.context["second_validity"] == "2024-07-01.."
    assert "32.75" in err.message_en


@pytest.mark.parametrize("reverse", [False, True])
def test_overlapping_versions_of_two_plugins_of_one_scope_fail_naming_both(
    spm_catalog_factory: CatalogFactory, reverse: bool
) -> None:
    plugins = [
        Dated("kota-bekasi", [_rtlh(Validity(start=date(2024, 1, 1)), 60)], KodeWilayah("32.75")),
        Dated(
            "kota-bekasi-perkim",
            [_rtlh(Validity(start=date(2023, 1, 1), end=date(2024, 1, 1)), 45)],
            KodeWilayah("32.75"),
        ),
    ]
    if reverse:
        plugins.reverse()
    with pytest.raises(DuplicateDefinition) as caught:
        spm_catalog_factory(*plugins)
    err = caught.value
    assert (err.context["first"], err.context["second"]) == ("kota-bekasi", "kota-bekasi-perkim")
    for message in (err.message_id, err.message_en):
        assert "'kota-bekasi'" in message
        assert "'kota-bekasi-perkim'" in message


def test_a_reference_missing_on_some_day_fails_at_load(spm_catalog_factory: CatalogFactory) -> None:
    # A need type valid from 2025 only cannot be the target of an always-valid rule.
    need = attrs.evolve(_rtlh(Validity(start=date(2025, 1, 1)), 30), code="perkim.baru")
    rule = RoutingRule(
        code="perkim.baru.default",
        title=Text("baru", "new"),
        need_type="perkim.baru",
        roles="dinas-perkim",
    )
    with pytest.raises(UnresolvedReference) as caught:
        spm_catalog_factory(Dated("perkim-baru", [need, rule]))
    assert caught.value.value == "perkim.baru"
    assert caught.value.context["owner"] == "perkim.baru.default"
