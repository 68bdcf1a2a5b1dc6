"""The six fields are complete: every kab/kota service has an indicator, every indicator
version has worked cases, every field has need types.

The worked cases themselves run in ``test_worked_cases_engines.py``; this file checks
that none is missing.
"""

from __future__ import annotations

from datetime import date

import pytest
from engine_helpers import case_files, load_cases

from spm_core.catalog import Catalog
from spm_core.definitions import Indicator
from spm_core.domain import GovernmentLevel, Period, SpmField

DAYS = [date(2021, 6, 30), date(2023, 6, 30), date(2025, 6, 30)]
"""One day under each combination of the dated standards (education 2018/2022, health
2019/2024)."""


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_kab_kota_service_has_an_indicator(spm_catalog: Catalog, day: date) -> None:
    view = spm_catalog.for_region(None, on=day)
    services = [s for s in view.service_types if s.level is GovernmentLevel.KABUPATEN_KOTA]
    assert len(services) == 29
    measured = {i.service_type for i in view.indicators}
    missing = [s.code for s in services if s.code not in measured]
    assert missing == []
    for service in services:
        assert service.legal_basis, service.code


def _periods_with_cases() -> dict[str, set[date]]:
    """Return, per indicator code, the last days of the periods its worked cases use."""
    found: dict[str, set[date]] = {}
    for path in case_files():
        code, period, cases = load_cases(path)
        for case in cases:
            day = Period.parse(str(case["period"])).end if "period" in case else period.end
            found.setdefault(code, set()).add(day)
    return found


def test_every_indicator_version_has_worked_cases(spm_catalog: Catalog) -> None:
    """Each dated version of each indicator is exercised by a case whose period it rules."""
    periods = _periods_with_cases()
    uncovered = []
    for definition in spm_catalog.definitions():
        if not isinstance(definition, Indicator):
            continue
        days = periods.get(definition.code, set())
        if not any(definition.validity.contains(day) for day in days):
            uncovered.append((definition.code, str(definition.validity.start)))
    assert uncovered == []


def test_every_field_has_need_types(spm_catalog: Catalog) -> None:
    fields = {n.field for n in spm_catalog.need_types}
    assert fields == set(SpmField)


def test_an_unconfirmed_2024_health_rule_says_so(spm_catalog: Catalog) -> None:
    """Every health indicator under Permenkes 6/2024 is flagged unconfirmed (its numbers
    could not be checked); the 2019 version of balita is flagged for its counts only."""
    view = spm_catalog.for_region(None, on=date(2025, 6, 30))
    health = [i for i in view.indicators if i.field is SpmField.KESEHATAN]
    assert len(health) == 12
    assert all(not i.confirmed for i in health)
    old = spm_catalog.for_region(None, on=date(2023, 6, 30))
    assert old.indicator("kesehatan.usia-lanjut").confirmed
