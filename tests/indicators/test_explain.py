"""``explain``: one subject's verdict read from the store, node by node, within scope."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from engine_helpers import add_posyandu, write_population

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.api import Registry
from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah, Sex
from spm_core.errors import NotFound
from spm_core.indicators.explain import explain_subject
from spm_core.indicators.population import Population, Record, Resident, Stay
from spm_core.plugins import make_plugin_manager
from spm_core.store import Store


def _child(store: Store) -> tuple[str, str]:
    (posyandu, village), (other, _) = add_posyandu(store).items()
    child = Resident(
        "anak-1", date(2023, 3, 15), Sex.FEMALE, (Stay(date(2023, 3, 15), None, posyandu, village),)
    )
    weighings = [
        Record(
            f"t{m}",
            "kesehatan.penimbangan",
            date(2025, m, 10),
            datetime(2025, m, 10, tzinfo=UTC),
            {"weight_kg": 10.0, **({"height_cm": 80.0} if m < 3 else {})},
            resident_id="anak-1",
        )
        for m in range(1, 8)
    ]
    write_population(store, Population.of([child], records=weighings))
    return posyandu, other


def test_explain_says_why_a_child_is_not_served(store: Store, spm_catalog: Catalog) -> None:
    posyandu, _ = _child(store)
    kader = Actor("k-1", Role.KADER, PosyanduScope(posyandu))
    found = explain_subject(store, spm_catalog, kader, "kesehatan.balita", "anak-1", "2025")
    assert found.present
    assert found.in_denominator
    assert not found.served
    en = found.lines("en")
    assert en[0] == "kesehatan.balita 2025 — anak-1: denominator yes, served no"
    assert any(
        "✗" in line and "at least 8 distinct months" in line and "7 counted" in line for line in en
    )
    assert any("✓ at least 2" in line and "t1, t2" in line for line in en)
    assert found.lines("id")[0].endswith("penyebut ya, terlayani tidak")


def test_explain_sees_only_the_actor_scope(store: Store, spm_catalog: Catalog) -> None:
    _, other = _child(store)
    with pytest.raises(NotFound):
        explain_subject(
            store,
            spm_catalog,
            Actor("k-2", Role.KADER, PosyanduScope(other)),
            "kesehatan.balita",
            "anak-1",
            "2025",
        )
    researcher = Actor("r", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
    with pytest.raises(NotFound):
        explain_subject(
            store,
            spm_catalog,
            researcher,
            "kesehatan.balita",
            "anak-1",
            "2025",
            purpose=Purpose.PELAYANAN,
        )


def test_the_registry_explains_and_reports(store: Store, spm_catalog: Catalog) -> None:
    posyandu, _ = _child(store)
    registry = Registry(make_plugin_manager(), spm_catalog, store)
    operator = Actor("op", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
    assert not registry.explain(
        operator, "kesehatan.balita", "anak-1", "2025", purpose=Purpose.PELAYANAN
    ).served
    report = registry.compute_report(operator, "2025", "posyandu", fields=["kesehatan"])
    balita = next(r for r in report.rows if r.indicator == "kesehatan.balita")
    assert (balita.area, balita.numerator, balita.denominator) == (posyandu, 0, 1.0)
