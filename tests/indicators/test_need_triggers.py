"""Need triggers and routes: worked examples a domain expert can read.

A need type's trigger is an expression about its subject; the reference evaluator reads
it over a period (here the month of a posyandu day) and says whether the records show
the need. Routing then sends it to the agencies of the deciding rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah, Period, Sex
from spm_core.indicators.population import (
    Household,
    Membership,
    Population,
    Record,
    Resident,
    Stay,
)
from spm_core.indicators.reference import Evaluator
from spm_core.routing import RouteContext, route

MONTH = Period.parse("2025-06")
VILLAGE = "32.75.01.1001"


def _records(items: Iterable[tuple[str, date, dict[str, Any]]], **subject: str) -> list[Record]:
    return [
        Record(
            f"x{i}",
            code,
            day,
            datetime(day.year, day.month, day.day, 8, tzinfo=UTC),
            value,
            **subject,
        )
        for i, (code, day, value) in enumerate(items)
    ]


def _resident_shows(
    catalog: Catalog, need: str, born: date, *records: tuple[str, date, dict[str, Any]]
) -> bool:
    person = Resident("r", born, Sex.FEMALE, (Stay(born, None, "p", VILLAGE),))
    population = Population.of([person], records=_records(records, resident_id="r"))
    trigger = catalog.need_type(need).trigger
    assert trigger is not None
    types = {r.code: r for r in catalog.record_types}
    return Evaluator(population, MONTH, types).holds(trigger, "resident", "r")


def _household_shows(
    catalog: Catalog, need: str, *records: tuple[str, date, dict[str, Any]]
) -> bool:
    head = Resident("h1", date(1980, 1, 1), Sex.MALE, (Stay(date(1980, 1, 1), None, "p", VILLAGE),))
    population = Population.of(
        [head],
        [Household("h", "p", VILLAGE)],
        [Membership("h", "h1", date(2000, 1, 1))],
        _records(records, household_id="h"),
    )
    trigger = catalog.need_type(need).trigger
    assert trigger is not None
    types = {r.code: r for r in catalog.record_types}
    return Evaluator(population, MONTH, types).holds(trigger, "household", "h")


SCREEN = "kesehatan.skrining"


@pytest.mark.parametrize(
    ("systolic", "diastolic", "shows"),
    [(139, 89, False), (140, 80, True), (120, 90, True)],
    ids=["139/89-normal", "140-systolic", "90-diastolic"],
)
def test_raised_blood_pressure_at_screening_proposes_hypertension_follow_up(
    spm_catalog: Catalog, systolic: int, diastolic: int, shows: bool
) -> None:
    value = {
        "package": "usia-produktif",
        "examiner": "kader",
        "systolic_mmhg": systolic,
        "diastolic_mmhg": diastolic,
    }
    found = _resident_shows(
        spm_catalog,
        "kesehatan.hipertensi-tindak-lanjut",
        date(1970, 1, 1),
        (SCREEN, date(2025, 6, 10), value),
    )
    assert found is shows


def test_a_fourteen_year_old_with_raised_pressure_is_not_proposed(spm_catalog: Catalog) -> None:
    value = {"package": "usia-pendidikan-dasar", "examiner": "nakes", "systolic_mmhg": 150}
    found = _resident_shows(
        spm_catalog,
        "kesehatan.hipertensi-tindak-lanjut",
        date(2011, 1, 1),
        (SCREEN, date(2025, 6, 10), value),
    )
    assert found is False


def test_tb_symptoms_propose_an_examination(spm_catalog: Catalog) -> None:
    value = {"package": "usia-lanjut", "examiner": "kader", "tb_symptoms": True}
    assert _resident_shows(
        spm_catalog, "kesehatan.terduga-tbc", date(1950, 1, 1), (SCREEN, date(2025, 6, 3), value)
    )


@pytest.mark.parametrize(
    ("records", "shows"),
    [
        ([("pupr.sanitasi", date(2025, 6, 2), {"toilet": "tidak-ada"})], True),
        (
            [
                ("pupr.sanitasi", date(2025, 1, 2), {"toilet": "tidak-ada"}),
                (
                    "pupr.sanitasi",
                    date(2025, 6, 2),
                    {"toilet": "sendiri", "toilet_type": "leher-angsa", "disposal": "spald-t"},
                ),
            ],
            False,
        ),
        ([], False),
    ],
    ids=["no-toilet", "toilet-built-since", "nothing-recorded"],
)
def test_a_household_without_a_toilet_is_proposed(
    spm_catalog: Catalog, records: list[tuple[str, date, dict[str, Any]]], shows: bool
) -> None:
    assert _household_shows(spm_catalog, "pupr.tanpa-jamban", *records) is shows


@pytest.mark.parametrize(
    ("desludged", "shows"),
    [(date(2022, 7, 1), False), (date(2022, 6, 30), True)],
    ids=["36-months-ago", "just-over-36-months"],
)
def test_a_septic_tank_not_desludged_for_36_months_is_proposed(
    spm_catalog: Catalog, desludged: date, shows: bool
) -> None:
    toilet = {"toilet": "sendiri", "toilet_type": "leher-angsa", "disposal": "tangki-septik"}
    found = _household_shows(
        spm_catalog,
        "pupr.penyedotan-tinja",
        ("pupr.sanitasi", date(2025, 6, 2), toilet),
        ("pupr.penyedotan-tinja", desludged, {"operator": "uptd-iplt"}),
    )
    assert found is shows


@pytest.mark.parametrize(
    ("born", "need"),
    [
        (date(2011, 3, 3), "pendidikan.anak-tidak-sekolah"),
        (date(2008, 3, 3), "pendidikan.menengah-16-18"),
    ],
    ids=["14-to-kab-kota", "17-to-province"],
)
def test_an_out_of_school_child_is_proposed_by_age(
    spm_catalog: Catalog, born: date, need: str
) -> None:
    status = {"status": "tidak-sekolah", "reason_not_in_school": "biaya", "dropped_out": True}
    record = ("pendidikan.status-sekolah", date(2025, 6, 2), status)
    assert _resident_shows(spm_catalog, need, born, record)
    other = {
        "pendidikan.anak-tidak-sekolah": "pendidikan.menengah-16-18",
        "pendidikan.menengah-16-18": "pendidikan.anak-tidak-sekolah",
    }[need]
    assert not _resident_shows(spm_catalog, other, born, record)


# ------------------------------------------------------------------------------ routes

DAY = date(2025, 6, 30)
BEKASIJAYA = KodeWilayah.parse("32.75.01.1001")


def test_a_flood_damaged_home_fans_out_to_housing_and_the_disaster_agency(
    spm_catalog: Catalog,
) -> None:
    """No region plugin: the national flood rule names both roles (generic agencies)."""
    view = spm_catalog.for_region(BEKASIJAYA, on=DAY)
    flood = RouteContext(
        DAY, latest={"perkim.dampak-bencana": {"disaster": "banjir", "damage": "sedang"}}
    )
    decision = route(view, "perkim.rumah-rusak-bencana", BEKASIJAYA, flood)
    assert decision.rule.code == "perkim.rumah-rusak-bencana.banjir"
    assert [c.role for c in decision.targets] == ["dinas-perkim", "bpbd"]
    quake = RouteContext(DAY, latest={"perkim.dampak-bencana": {"disaster": "gempa-bumi"}})
    decision = route(view, "perkim.rumah-rusak-bencana", BEKASIJAYA, quake)
    assert [c.role for c in decision.targets] == ["dinas-perkim"]


@pytest.mark.parametrize(
    ("need", "roles"),
    [
        ("pupr.jalan-rusak", ["dinas-bina-marga"]),
        ("pupr.drainase", ["dinas-sda"]),
        ("pupr.pelanggaran-tata-ruang", ["dinas-tata-ruang"]),
        ("trantibum.penyelamatan-evakuasi", ["bpbd"]),
        ("sosial.korban-bencana", ["dinas-sosial"]),
        ("sosial.gelandangan-pengemis", ["dinas-sosial"]),
        ("sosial.tanpa-dokumen-kependudukan", ["disdukcapil"]),
        ("kesehatan.odgj-tindak-lanjut", ["puskesmas"]),
        ("kesehatan.terduga-tbc", ["puskesmas"]),
        ("kesehatan.hipertensi-tindak-lanjut", ["puskesmas"]),
        ("kesehatan.kb-belum-terlayani", ["dppkb"]),
        ("kesehatan.sarana-posyandu", ["pembina-posyandu"]),
        ("pendidikan.menengah-16-18", ["dinas-pendidikan-provinsi"]),
        ("pendidikan.perlu-sekolah-khusus", ["dinas-pendidikan-provinsi"]),
        ("trantibum.kekerasan-perempuan-anak", ["dp3a"]),
    ],
)
def test_default_route_of_each_new_need(spm_catalog: Catalog, need: str, roles: list[str]) -> None:
    view = spm_catalog.for_region(BEKASIJAYA, on=DAY)
    decision = route(view, need, BEKASIJAYA, RouteContext(DAY))
    assert [c.role for c in decision.targets] == roles
