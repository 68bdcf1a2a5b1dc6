"""A region plugin declares joint leave days for its own region, through the one hook."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs
import pytest

from spm_core.definitions import Definition, JointLeaveDay, PluginInfo, PluginLevel
from spm_core.domain import KodeWilayah, Text
from spm_core.errors import InvalidDefinition
from spm_core.hookspecs import hookimpl
from spm_core.referrals.deadlines import calendar_for
from spm_core.testing.pytest_plugin import CatalogFactory

KOTA_BEKASI = KodeWilayah("32.75")
LEAVE = JointLeaveDay(
    code="kota-bekasi.cuti-2025-04-02",
    title=Text("Cuti bersama Idulfitri", "Eid al-Fitr joint leave"),
    day=date(2025, 4, 2),
    area=KOTA_BEKASI,
)


@attrs.define
class KotaBekasiLeave:
    """A kab/kota plugin declaring only joint leave days."""

    days: list[JointLeaveDay]

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
        return self.days


def test_the_catalog_carries_a_region_s_leave_days_into_its_calendar(
    spm_catalog_factory: CatalogFactory,
) -> None:
    catalog = spm_catalog_factory(KotaBekasiLeave([LEAVE]))
    assert catalog.all("joint_leave_day") == ()  # the national view has none
    (declared,) = catalog.for_region(KOTA_BEKASI).all("joint_leave_day")
    assert declared.provenance is not None
    assert declared.provenance.plugin == "kota-bekasi"
    assert not calendar_for(catalog, KodeWilayah("32.75.01.1001")).is_working_day(LEAVE.day)
    assert calendar_for(catalog, KodeWilayah("32.16.01.2001")).is_working_day(LEAVE.day)


@pytest.mark.parametrize("area", [KodeWilayah("32.16"), None])
def test_a_region_may_not_declare_leave_days_outside_its_region(
    spm_catalog_factory: CatalogFactory, area: KodeWilayah | None
) -> None:
    with pytest.raises(InvalidDefinition) as raised:
        spm_catalog_factory(KotaBekasiLeave([attrs.evolve(LEAVE, area=area)]))
    assert LEAVE.code in raised.value.message_en
