"""The access matrix over HTTP: a token reaches exactly what its actor may reach.

Three posyandu of Kota Bekasi (Mawar, Melati, Anggrek) each hold a resident, a household,
a membership, two records and a referral; Mawar's and Anggrek's needs go to the social
office, Melati's to the housing office. For every operation that reads one row by its id,
a kader's token gets, for another posyandu's row, the very answer it gets for an id that
exists nowhere; lists hold the kader's own rows only; an agency officer sees its own
agency's referrals, with the shared fields only, and no resident.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import attrs
import pytest
from fastapi.testclient import TestClient
from http_helpers import TOKENS, Rows, Seeded, bearer, officer, operator, seed
from starlette.routing import Route

from spm_core.access import Actor, AreaScope, Role
from spm_core.domain import KodeWilayah
from spm_core.http import create_app

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
GHOST_ID = "00000000-0000-4000-8000-000000000000"
NAMES = ("mawar", "melati", "anggrek")
PAIRS = [(x, y) for x in NAMES for y in NAMES if x != y]


@attrs.frozen
class Served:
    client: TestClient
    seeded: Seeded
    routes: tuple[str, ...]

    def rows(self, name: str) -> Rows:
        return self.seeded.rows[name]

    def kader(self, name: str) -> dict[str, str]:
        return bearer(self.seeded.world.kader(name))


@pytest.fixture(scope="module", params=DATABASES)
def served(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    make_database: Callable[[str, Path], AbstractContextManager[str]],
) -> Iterator[Served]:
    with make_database(request.param, tmp_path_factory.mktemp("http")) as url:
        seeded = seed(url)
        app = create_app(seeded.registry, TOKENS)
        row_routes = tuple(
            route.path
            for route in app.routes
            if isinstance(route, Route)
            and "GET" in (route.methods or ())
            and re.search(r"\{(resident|household|membership|record|referral)_id\}", route.path)
        )
        try:
            with TestClient(app) as client:
                yield Served(client, seeded, row_routes)
        finally:
            seeded.registry.close()


def _fill(path: str, rows: Rows | None) -> str:
    """Return ``path`` with each id of ``rows`` (the ghost's when ``None``)."""
    ids = {
        "resident_id": rows.resident if rows else GHOST_ID,
        "household_id": rows.household if rows else GHOST_ID,
        "membership_id": rows.membership if rows else GHOST_ID,
        "record_id": rows.records[0] if rows else GHOST_ID,
        "referral_id": rows.referral if rows else GHOST_ID,
    }
    filled = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
    return filled + ("?on=2025-03-01" if path.endswith("/members") else "")


def _masked(body: dict[str, Any], rows: Rows | None) -> dict[str, Any]:
    """Return a problem body with the row's ids written as the ghost's."""
    text = repr(body)
    if rows is not None:
        for value in (rows.resident, rows.household, rows.membership, rows.referral, *rows.records):
            text = text.replace(value, GHOST_ID)
    return {"masked": text}


def test_every_read_by_id_is_covered(served: Served) -> None:
    covered = {re.sub(r"\{\w+\}", "{}", p) for p in served.routes}
    assert covered >= {
        "/residents/{}",
        "/residents/{}/domiciles",
        "/residents/{}/memberships",
        "/households/{}",
        "/households/{}/members",
        "/memberships/{}",
        "/records/{}",
        "/referrals/{}",
        "/referrals/{}/history",
    }


@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_a_kaders_token_never_reaches_another_posyandus_rows(
    served: Served, own: str, other: str
) -> None:
    headers = served.kader(own)
    for path in served.routes:
        mine = served.client.get(_fill(path, served.rows(own)), headers=headers)
        assert mine.status_code == 200, (path, mine.json())
        theirs = served.client.get(_fill(path, served.rows(other)), headers=headers)
        ghost = served.client.get(_fill(path, None), headers=headers)
        assert theirs.status_code == ghost.status_code == 404, path
        assert theirs.headers["content-type"] == "application/problem+json"
        assert theirs.json()["code"] == "not-found"
        assert _masked(theirs.json(), served.rows(other)) == _masked(ghost.json(), None)


@pytest.mark.parametrize("own", NAMES)
def test_a_kaders_lists_hold_its_own_rows_only(served: Served, own: str) -> None:
    headers, rows = served.kader(own), served.rows(own)
    client = served.client
    residents = client.get("/residents", headers=headers).json()
    assert [r["id"] for r in residents] == [rows.resident]
    households = client.get("/households", headers=headers).json()
    assert [h["id"] for h in households] == [rows.household]
    records = client.get("/records", headers=headers).json()
    assert sorted(r["id"] for r in records) == sorted(rows.records)
    referrals = client.get("/referrals", headers=headers).json()
    assert [r["id"] for r in referrals] == [rows.referral]
    for other in NAMES:
        if other != own:
            theirs = served.rows(other).posyandu
            asked = client.get("/residents", params={"posyandu_id": theirs}, headers=headers)
            assert asked.json() == []


@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_a_kader_finds_no_nik_of_another_posyandu(served: Served, own: str, other: str) -> None:
    headers = served.kader(own)
    found = served.client.post(
        "/residents/search", json={"nik": served.rows(own).nik}, headers=headers
    )
    assert found.json()["id"] == served.rows(own).resident
    theirs = served.client.post(
        "/residents/search", json={"nik": served.rows(other).nik}, headers=headers
    )
    assert theirs.status_code == 404
    assert theirs.json()["code"] == "not-found"
    assert served.rows(other).resident not in theirs.text


@pytest.mark.parametrize(("own", "other"), PAIRS)
def test_a_kader_cannot_write_about_another_posyandus_rows(
    served: Served, own: str, other: str
) -> None:
    headers = served.kader(own)
    theirs, client = served.rows(other), served.client
    record = {
        "record_type": "uji.timbang",
        "resident_id": theirs.resident,
        "observed_on": "2025-03-02",
        "value": {"weight_kg": 60},
    }
    answer = client.post("/records", json=record, headers=headers)
    ghost = client.post("/records", json={**record, "resident_id": GHOST_ID}, headers=headers)
    assert answer.status_code == ghost.status_code == 422
    assert _masked(answer.json(), theirs) == _masked(ghost.json(), None)
    cancel = client.post(
        f"/referrals/{theirs.referral}/transitions", json={"action": "cancel"}, headers=headers
    )
    assert cancel.status_code == 404
    void = client.post(
        f"/records/{theirs.records[0]}/void", json={"reason": "salah"}, headers=headers
    )
    assert void.status_code == 404
    assert (
        client.get(f"/records/{theirs.records[0]}", headers=served.kader(other)).json()["voided_at"]
        is None
    )


@pytest.mark.parametrize(
    ("agency", "mine"),
    [("kota.dinsos", {"mawar", "anggrek"}), ("kota.disperkimtan", {"melati"})],
)
def test_an_agency_officer_sees_only_its_own_referrals(
    served: Served, agency: str, mine: set[str]
) -> None:
    headers, client = bearer(officer(agency)), served.client
    listed = client.get("/referrals", headers=headers).json()
    assert {r["id"] for r in listed} == {served.rows(n).referral for n in mine}
    assert {r["agency_code"] for r in listed} == {agency}
    for name in NAMES:
        answer = client.get(f"/referrals/{served.rows(name).referral}", headers=headers)
        assert answer.status_code == (200 if name in mine else 404)
    # Rows about people are not the officer's to read: lists are empty, ids not found.
    assert client.get("/residents", headers=headers).json() == []
    assert client.get("/records", headers=headers).json() == []
    resident = client.get(f"/residents/{served.rows('mawar').resident}", headers=headers)
    assert resident.status_code == 404


def test_an_agency_officer_sees_only_the_fields_its_need_type_shares(served: Served) -> None:
    headers = bearer(officer("kota.dinsos"))
    referral = served.client.get(
        f"/referrals/{served.rows('mawar').referral}", headers=headers
    ).json()
    assert set(referral["person"]) == set(referral["shared_fields"])
    assert "nik" not in referral["person"]


def test_the_tim_pembina_counts_referrals_but_reads_no_row(served: Served) -> None:
    pembina = Actor("tp-kota", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.75")))
    headers = bearer(pembina)
    assert served.client.get("/residents", headers=headers).json() == []
    counts = served.client.get("/referrals/counts", params={"on": "2025-03-04"}, headers=headers)
    assert counts.status_code == 200
    assert sum(c["count"] for c in counts.json()) == 3


def test_an_operator_reads_every_posyandu_of_its_area(served: Served) -> None:
    residents = served.client.get("/residents", headers=bearer(operator())).json()
    assert {r["id"] for r in residents} == {served.rows(n).resident for n in NAMES}


def test_an_operator_names_a_purpose_to_read_people_and_the_read_is_logged(
    served: Served,
) -> None:
    client, resident = served.client, served.rows("mawar").resident
    refused = client.get(f"/residents/{resident}", headers=bearer(operator(), purpose=None))
    assert refused.status_code == 422
    assert refused.json()["code"] == "purpose-required"
    store = served.seeded.world.store
    before = store.list_audit(operator(), action="read")
    by_query = client.get(
        f"/residents/{resident}",
        params={"purpose": "pelayanan"},
        headers=bearer(operator(), purpose=None),
    )
    assert by_query.status_code == 200
    by_header = client.get("/residents", headers=bearer(operator(), purpose="pelaporan"))
    assert by_header.status_code == 200
    after = store.list_audit(operator(), action="read")
    one, listed = after[len(before) :]
    assert (one.entity_id, one.purpose, one.row_count) == (resident, "pelayanan", 1)
    assert (listed.purpose, listed.row_count) == ("pelaporan", len(by_header.json()))
    # A kader of the posyandu reads its own residents without naming a purpose.
    own = client.get(f"/residents/{resident}", headers=served.kader("mawar"))
    assert own.status_code == 200
    params = next(
        p
        for p in client.get("/openapi.json", headers=bearer(operator())).json()["paths"][
            "/residents/{resident_id}"
        ]["get"]["parameters"]
        if p["name"] in {"purpose", "X-Purpose"}
    )
    assert "purpose" in params["description"].lower()
