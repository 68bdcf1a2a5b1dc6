"""The roll-out view and the kader mentoring signals, on a small city with known answers.

Posyandu Mawar (kelurahan 32.75.01.1001) took on kesehatan on 1 July 2025 and pendidikan
on 1 January 2026; Posyandu Melati (32.75.01.1002) took on kesehatan on 15 January 2026.
Each has five children aged 8. Judged on 1 July 2026; the mentoring window is the
twelve months from 2 July 2025.

School-status records (the record type APS reads):

* Mawar — 3 children on 10 December 2025 (before Mawar served pendidikan: 3 records of
  an unserved field) and all 5 on 10 June 2026, each entered the same day.
* Melati — 2 children on 10 March 2026 entered 45 days late; a second record of the
  first child that same day, entered on time (a duplicate); a record of a third child,
  voided. Melati does not serve pendidikan: its 3 counted records are all of an
  unserved field.

Mentoring score = 50 × (1 − completeness) + 25 × late share + 15 × notice share
+ 10 × correction share:

* Melati — completeness 2/5: 50 × 0.6 = 30; late 2/3: 16.667; unserved 3/3: 15;
  corrections (1 voided + 1 duplicate) 2/3: 6.667 — **68.333**, first;
* Mawar — completeness 5/5: 0; late 0/8; unserved 3/8: 15 × 0.375 = **5.625**, second;
* Anggrek and Dahlia (no residents, no records) — 0, ranked by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pembina_helpers import OPERATOR, PEMBINA, City, add_children, add_status, build_city

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah
from spm_core.domain.lifestage import LifeStage

AS_OF = date(2026, 7, 1)
FIELDS = {
    "mawar": [
        {"field": "kesehatan", "since": "2025-07-01"},
        {"field": "pendidikan", "since": "2026-01-01"},
    ],
    "melati": [{"field": "kesehatan", "since": "2026-01-15"}],
}


@pytest.fixture
def city(db_url: str) -> Iterator[City]:
    with Registry.open(db_url) as registry:
        city = build_city(registry, FIELDS)
        for name in ("Dahlia", "Anggrek"):
            registry.store.add_posyandu(
                OPERATOR,
                {"name": f"Posyandu {name}", "wilayah_code": "32.75.01.1001"},
                Purpose.ADMINISTRASI,
            )
        mawar = add_children(city, "mawar", "mw", 5, date(2018, 3, 1))
        melati = add_children(city, "melati", "ml", 5, date(2018, 3, 1))
        add_status(city, "mawar", mawar[:3], date(2025, 12, 10))
        add_status(city, "mawar", mawar, date(2026, 6, 10))
        add_status(city, "melati", melati[:2], date(2026, 3, 10), entered_after_days=45)
        add_status(city, "melati", melati[:1], date(2026, 3, 10), tag="b")
        add_status(city, "melati", melati[2:3], date(2026, 3, 10), voided=True)
        yield city


def test_the_mentoring_ranking_is_explained(city: City) -> None:
    result = city.registry.pembina_mentoring(PEMBINA, as_of=AS_OF)
    ranked = [(p.rank, p.name, p.score) for p in result.posyandu]
    assert ranked == [
        (1, "Posyandu Melati", pytest.approx(68.3333, abs=1e-3)),
        (2, "Posyandu Mawar", 5.625),
        (3, "Posyandu Anggrek", 0.0),
        (4, "Posyandu Dahlia", 0.0),
    ]
    melati, mawar = result.posyandu[0], result.posyandu[1]
    assert (melati.residents, melati.expected, melati.complete) == (5, 5, 2)
    assert (melati.records, melati.late, melati.notices) == (3, 2, 3)
    assert (melati.voided, melati.superseded, melati.duplicates) == (1, 0, 1)
    assert melati.completeness == 0.4
    assert melati.reason.en == ("completeness 2/5 residents (40%); 2/3 late records (67%)")
    assert (mawar.records, mawar.late, mawar.notices, mawar.complete) == (8, 0, 3, 5)
    assert mawar.reason.id == "3/8 catatan bidang yang tak dilayani (38%)"
    assert result.posyandu[2].reason.en == "no gap found"


def test_the_ranking_does_not_depend_on_the_run(city: City) -> None:
    first = city.registry.pembina_mentoring(PEMBINA, as_of=AS_OF).to_dict("en")
    again = city.registry.pembina_mentoring(PEMBINA, as_of=AS_OF).to_dict("en")
    assert first == again


def test_what_each_life_stage_calls_for_comes_from_the_catalog(city: City) -> None:
    result = city.registry.pembina_mentoring(PEMBINA, as_of=AS_OF)
    stages = {e.stage: e for e in result.expectations}
    school = stages[LifeStage.ANAK_USIA_SEKOLAH]
    assert "pendidikan.status-sekolah" in school.record_types
    assert "pendidikan.aps-7-15" in school.indicators
    assert "pendidikan.status-sekolah" not in stages[LifeStage.BAYI].record_types


def test_the_team_sees_counts_of_its_region_only(city: City) -> None:
    data = city.registry.pembina_mentoring(PEMBINA, as_of=AS_OF).to_dict("en")
    assert set(data["posyandu"][0]) >= {"residents", "records", "late", "reason"}
    assert "mw-0" not in str(data)
    kabupaten = Actor("tp-kab", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.16")))
    assert city.registry.pembina_mentoring(kabupaten, as_of=AS_OF).posyandu == ()
    village = Actor("tp-desa", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.75.01.1002")))
    assert [p.name for p in city.registry.pembina_mentoring(village, as_of=AS_OF).posyandu] == [
        "Posyandu Melati"
    ]
    own = Actor("k", Role.KADER, PosyanduScope(city.posyandu["mawar"]))
    assert [p.name for p in city.registry.pembina_mentoring(own, as_of=AS_OF).posyandu] == [
        "Posyandu Mawar"
    ]


def test_the_roll_out_in_phases(city: City) -> None:
    result = city.registry.pembina_rollout(PEMBINA, as_of=AS_OF)
    mawar, melati = city.posyandu["mawar"], city.posyandu["melati"]
    summary = [
        (
            p.period,
            p.posyandu,
            p.kelurahan,
            dict(p.fields),
            p.covered_posyandu,
            p.covered_kelurahan,
            p.fields_live,
            p.residents_covered,
        )
        for p in result.phases
    ]
    assert summary == [
        ("2025-07", (mawar,), ("32.75.01.1001",), {"kesehatan": 1}, 1, 1, 1, 5),
        (
            "2026-01",
            tuple(sorted((mawar, melati))),
            ("32.75.01.1001", "32.75.01.1002"),
            {"kesehatan": 1, "pendidikan": 1},
            2,
            2,
            3,
            10,
        ),
    ]
    aps = next(i for i in result.phases[1].indicators if i.indicator == "pendidikan.aps-7-15")
    assert (aps.posyandu, aps.before_period, aps.before, aps.after_period, aps.after) == (
        1,
        "2025-12",
        60.0,
        "2026-06",
        100.0,
    )
    assert {i.field for i in result.phases[1].indicators} == {"kesehatan", "pendidikan"}


def test_needs_suggested_and_not_referred_are_counted_not_listed(city: City) -> None:
    """A child recorded out of school is a suggested need: counted for the team, and the
    count is what the suggestions a village officer can list would give."""
    add_status(city, "mawar", ["mw-4"], date(2026, 7, 1), status="tidak-sekolah", tag="x")
    result = city.registry.pembina_mentoring(PEMBINA, as_of=AS_OF)
    counted = {p.posyandu_id: p.suggested for p in result.posyandu}
    listed = city.registry.suggest_needs(OPERATOR, "32.75", "2026-07", purpose=Purpose.PELAYANAN)
    per_posyandu: dict[str, int] = {}
    for s in listed:
        per_posyandu[s.posyandu_id] = per_posyandu.get(s.posyandu_id, 0) + 1
    assert counted == {pid: per_posyandu.get(pid, 0) for pid in counted}
    mawar = city.posyandu["mawar"]
    assert ("pendidikan.anak-tidak-sekolah", "mw-4") in {
        (s.need_type, s.subject_id) for s in listed if s.posyandu_id == mawar
    }
    assert counted[mawar] >= 1
    assert "mw-4" not in result.to_json()
