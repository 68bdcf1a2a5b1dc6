"""The HTTP adapter answers as the library does: idempotency, identity, problem details.

Worked examples on a seeded registry (three posyandu of Kota Bekasi), on each database:
an offline phone sending a weighing or a referral twice, tokens that are missing, forged
or expired, and the library's errors coming back with their HTTP status, stable code and
both languages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from http_helpers import SECRET, TOKENS, WELL_WATER, Seeded, bearer, client_for, officer

from spm_core.access import Actor, AreaScope, Role
from spm_core.domain import KodeWilayah
from spm_core.errors import (
    AccessDenied,
    ConcurrentUpdate,
    IdempotencyConflict,
    IllegalTransition,
    InputError,
    InvalidNik,
    Issue,
    NotAuthenticated,
    NotFound,
    StoreBusy,
    UnknownCode,
    Unroutable,
)
from spm_core.http import IDEMPOTENCY_HEADER, PROBLEM_JSON, DevTokens, create_app, status_of
from spm_core.http._problems import problem_response
from spm_core.schemas import json_schema

Client = tuple[TestClient, Seeded]


@pytest.fixture
def api(db_url: str) -> Iterator[Client]:
    with client_for(db_url) as (client, seeded, _app):
        yield client, seeded


def _weighing(resident: str, kg: float = 12.5) -> dict[str, Any]:
    return {
        "record_type": "uji.timbang",
        "resident_id": resident,
        "observed_on": "2025-03-05",
        "value": {"weight_kg": kg},
    }


def _problem(answer: Any, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == "urn:spm-core:error:" + code
    assert body["title"] == body["message_en"]
    assert body["detail"] == body["message_id"]
    assert body["message_id"] != body["message_en"]
    return body


# ----------------------------------------------------------------------- idempotency


def test_a_weighing_sent_twice_from_an_offline_phone_is_stored_once(api: Client) -> None:
    client, seeded = api
    kader = bearer(seeded.world.kader("mawar"))
    resident = seeded.rows["mawar"].resident
    headers = {**kader, IDEMPOTENCY_HEADER: "hp-siti-0001"}
    before = len(client.get("/records", headers=kader).json())

    first = client.post("/records", json=_weighing(resident), headers=headers)
    again = client.post("/records", json=_weighing(resident), headers=headers)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["item"] == first.json()["item"]
    assert first.json()["item"]["idempotency_key"] == "hp-siti-0001"
    assert len(client.get("/records", headers=kader).json()) == before + 1


def test_the_same_key_with_another_weight_is_a_conflict(api: Client) -> None:
    client, seeded = api
    kader = bearer(seeded.world.kader("mawar"))
    resident = seeded.rows["mawar"].resident
    headers = {**kader, IDEMPOTENCY_HEADER: "hp-siti-0002"}
    assert client.post("/records", json=_weighing(resident), headers=headers).status_code == 201

    answer = client.post("/records", json=_weighing(resident, 13.0), headers=headers)

    body = _problem(answer, 409, "input-error")
    assert [(i["code"], i["field"], i["value"]) for i in body["issues"]] == [
        ("idempotency-conflict", "idempotency_key", "hp-siti-0002")
    ]


def test_a_header_key_that_contradicts_the_body_key_is_refused(api: Client) -> None:
    client, seeded = api
    headers = {**bearer(seeded.world.kader("mawar")), IDEMPOTENCY_HEADER: "a-1"}
    data = {**_weighing(seeded.rows["mawar"].resident), "idempotency_key": "b-2"}
    body = _problem(client.post("/records", json=data, headers=headers), 422, "input-error")
    assert body["issues"][0]["field"] == IDEMPOTENCY_HEADER


def test_a_referral_retried_with_its_key_creates_nothing_new(api: Client) -> None:
    client, seeded = api
    kader = bearer(seeded.world.kader("melati"))
    need = {"need_type": "uji.alat-bantu", "resident_id": seeded.rows["melati"].resident}
    headers = {**kader, IDEMPOTENCY_HEADER: "hp-rujuk-77"}

    first = client.post("/referrals", json=need, headers=headers)
    again = client.post("/referrals", json=need, headers=headers)
    other = client.post("/referrals", json={**need, "note": "kursi roda"}, headers=headers)

    assert first.status_code == 201
    assert first.json()[0]["agency_code"] == "kota.dinsos"
    assert again.status_code == 200
    assert [r["id"] for r in again.json()] == [r["id"] for r in first.json()]
    body = _problem(other, 409, "idempotency-conflict")
    assert "note" in body["message_en"]
    listed = client.get("/referrals", params={"need_type": "uji.alat-bantu"}, headers=kader)
    assert len(listed.json()) == 1


def test_a_referral_without_any_key_names_the_missing_field(api: Client) -> None:
    client, seeded = api
    need = {"need_type": "uji.alat-bantu", "resident_id": seeded.rows["mawar"].resident}
    answer = client.post("/referrals", json=need, headers=bearer(seeded.world.kader("mawar")))
    body = _problem(answer, 422, "input-error")
    assert [i["field"] for i in body["issues"]] == ["idempotency_key"]


def test_a_suggested_need_confirmed_twice_is_referred_once(api: Client) -> None:
    client, seeded = api
    kader = bearer(seeded.world.kader("mawar"))
    asked = {"area": "32.75.01.1001", "period": "2025-03"}
    suggested = client.get("/needs/suggestions", params=asked, headers=kader).json()
    household = seeded.rows["mawar"].household
    assert [(s["need_type"], s["subject_id"]) for s in suggested] == [(WELL_WATER, household)]
    why = client.get(
        "/needs/explain",
        params={"need_type": WELL_WATER, "subject": household, "period": "2025-03"},
        headers=kader,
    ).json()
    assert why["shows"] is True
    assert why["trigger"]["holds"] is True

    confirm = {
        "idempotency_key": suggested[0]["idempotency_key"],
        "need_type": WELL_WATER,
        "household_id": household,
    }
    first = client.post("/referrals", json=confirm, headers=kader)
    again = client.post("/referrals", json=confirm, headers=kader)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()[0]["agency_code"] == "kota.disperkimtan"
    assert client.get("/needs/suggestions", params=asked, headers=kader).json() == []


# ----------------------------------------------------------------------- identity


def test_no_operation_answers_without_a_token(api: Client) -> None:
    client, _ = api
    app = client.app
    paths = {r.path: sorted(r.methods or ()) for r in app.routes if hasattr(r, "methods")}  # type: ignore[attr-defined]
    assert "/openapi.json" in paths
    for path, methods in paths.items():
        url = path.replace("{", "").replace("}", "")
        for method in methods:
            if method == "HEAD":
                continue
            answer = client.request(method, url)
            _problem(answer, 401, "not-authenticated")
            assert answer.headers["www-authenticate"] == "Bearer"


def test_forged_expired_and_tampered_tokens_are_refused(api: Client) -> None:
    client, seeded = api
    kader = seeded.world.kader("mawar")
    forged = DevTokens(b"another secret, not the server's").mint(kader)
    expired = DevTokens(SECRET, clock=lambda: 1_000_000.0).mint(kader, lifetime=60)
    claims, _, signature = TOKENS.mint(kader).partition(".")
    tampered = claims[:-2] + ("AA" if claims[-2:] != "AA" else "BB") + "." + signature
    for token in (forged, expired, tampered, "not-a-token", ""):
        answer = client.get("/me", headers={"Authorization": f"Bearer {token}"})
        _problem(answer, 401, "not-authenticated")
    me = client.get("/me", headers=bearer(kader)).json()
    assert me == {"id": kader.id, "role": "kader", "scope": kader.scope.describe(), "name": None}


def test_the_openapi_document_links_the_record_schemas(api: Client) -> None:
    client, seeded = api
    headers = bearer(seeded.world.kader("mawar"))
    doc = client.get("/openapi.json", headers=headers).json()
    components = doc["components"]["schemas"]
    assert components["RecordValue.uji.timbang"]["x-spm"]["record_type"] == "uji.timbang"
    assert "RecordIn" in components
    assert "Problem" in components
    body = doc["paths"]["/records"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/RecordIn"}
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    listed = client.get("/schemas", headers=headers).json()
    assert listed["record:uji.timbang"].endswith("/schemas/record:uji.timbang")
    one = client.get("/schemas/record:uji.timbang", headers=headers).json()
    assert one == json_schema("record:uji.timbang", seeded.registry.catalog)


# ----------------------------------------------------------------------- problems


def test_the_lifecycle_over_http_keeps_the_librarys_rules(api: Client) -> None:
    client, seeded = api
    referral = seeded.rows["mawar"].referral
    kader, dinsos = bearer(seeded.world.kader("mawar")), bearer(officer("kota.dinsos"))
    url = f"/referrals/{referral}/transitions"

    wrong_side = client.post(url, json={"action": "accept"}, headers=kader)
    _problem(wrong_side, 403, "access-denied")
    accepted = client.post(url, json={"action": "accept", "on": "2025-03-04"}, headers=dinsos)
    assert accepted.status_code == 200
    assert accepted.json()[0]["status"] == "accepted"
    stale = client.post(
        url, json={"action": "start", "expected_version": 1, "on": "2025-03-04"}, headers=dinsos
    )
    _problem(stale, 409, "concurrent-update")
    again = client.post(url, json={"action": "accept", "on": "2025-03-04"}, headers=dinsos)
    _problem(again, 409, "illegal-transition")
    no_outcome = client.post(url, json={"action": "resolve"}, headers=dinsos)
    assert _problem(no_outcome, 422, "input-error")["issues"][0]["field"] == "outcome"
    history = client.get(f"/referrals/{referral}/history", headers=kader).json()
    assert [e["action"] for e in history] == ["submit", "route", "accept"]


def test_a_stale_resident_correction_is_a_conflict(api: Client) -> None:
    client, seeded = api
    kader = bearer(seeded.world.kader("anggrek"))
    resident = seeded.rows["anggrek"].resident
    fixed = client.patch(
        f"/residents/{resident}",
        params={"expected_version": 1},
        json={"name": "Ibu Anggrek Lestari"},
        headers=kader,
    )
    assert fixed.status_code == 200
    assert fixed.json()["item"]["version"] == 2
    stale = client.patch(
        f"/residents/{resident}",
        params={"expected_version": 1},
        json={"name": "Ibu Anggrek"},
        headers=kader,
    )
    _problem(stale, 409, "concurrent-update")


def test_bad_input_names_every_field_and_value(api: Client) -> None:
    client, seeded = api
    kader = bearer(seeded.world.kader("mawar"))
    answer = client.post(
        "/residents",
        json={"nik": "3275-12", "name": "", "sex": "X", "birth_date": "2025-02-30"},
        headers=kader,
    )
    body = _problem(answer, 422, "input-error")
    found = {(i["field"], i["value"]) for i in body["issues"]}
    assert ("nik", "3275-12") in found
    assert ("sex", "X") in found
    assert ("birth_date", "2025-02-30") in found
    assert ("posyandu_id", None) in found
    not_json = client.post(
        "/residents", content=b"{nik:", headers={**kader, "content-type": "application/json"}
    )
    assert _problem(not_json, 422, "input-error")["issues"][0]["field"] == "body"
    bad_query = client.get("/residents", params={"limit": "lots"}, headers=kader)
    assert _problem(bad_query, 422, "input-error")["issues"][0]["field"] == "limit"


def test_unknown_codes_and_paths_are_not_found(api: Client) -> None:
    client, seeded = api
    kader = bearer(seeded.world.kader("mawar"))
    explain = client.get(
        "/explain",
        params={"indicator": "uji.tidak-ada", "subject": "x", "period": "2025"},
        headers=kader,
    )
    _problem(explain, 404, "unknown-code")
    _problem(client.get("/catalog/record_type/uji.timbangan", headers=kader), 404, "unknown-code")
    _problem(client.get("/tidak-ada", headers=kader), 404, "no-such-operation")
    versions = client.get("/catalog/record_type/uji.timbang", headers=kader).json()
    assert [v["code"] for v in versions] == ["uji.timbang"]


def test_a_report_and_an_explanation_come_from_the_library(api: Client) -> None:
    client, seeded = api
    operator_headers = bearer(
        seeded.world.operator  # the operator of Kota Bekasi
    )
    report = client.get(
        "/reports", params={"period": "2025", "level": "posyandu"}, headers=operator_headers
    )
    assert report.status_code == 200
    expected = seeded.registry.compute_report(seeded.world.operator, "2025", "posyandu")
    assert report.json()["period"] == str(expected.period)
    assert len(report.json()["rows"]) == len(expected.rows)
    bad_period = client.get(
        "/reports", params={"period": "2025-13", "level": "posyandu"}, headers=operator_headers
    )
    _problem(bad_period, 422, "invalid-period")


def test_a_researchers_report_withholds_the_same_cells_over_http(api: Client) -> None:
    client, seeded = api
    researcher = Actor("peneliti-http", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
    headers = bearer(researcher)
    params = {"period": "2025", "level": "desa_kelurahan", "disaggregate": "sex"}
    report = client.get("/reports", params=params, headers=headers)
    assert report.status_code == 200
    expected = seeded.registry.compute_report(researcher, "2025", "kelurahan", disaggregate=["sex"])
    assert report.json()["rows"] == [r.to_dict() for r in expected.rows]
    assert report.json()["suppressed_below"] == 5
    by_posyandu = client.get(
        "/reports", params={"period": "2025", "level": "posyandu"}, headers=headers
    )
    _problem(by_posyandu, 422, "invalid-value")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotAuthenticated(reason_id="x", reason_en="y"), 401),
        (AccessDenied(role="agency_officer", action="submit"), 403),
        (NotFound(entity="resident", value="r-1"), 404),
        (UnknownCode(kind="indikator", value="x"), 404),
        (InvalidNik(value="1", reason_id="a", reason_en="b"), 422),
        (InputError([Issue("required", "name", None, "Wajib diisi.", "Required.")]), 422),
        (Unroutable(value="uji.x", region="32.75", reason_id="a", reason_en="b"), 422),
        (ConcurrentUpdate(entity="resident", value="r-1"), 409),
        (IdempotencyConflict(value="k", referral="r", fields="note"), 409),
        (IllegalTransition(value="accept", status="closed", allowed="-"), 409),
        (StoreBusy(entity="record"), 503),
    ],
)
def test_each_error_of_the_tree_has_its_status(error: Exception, status: int) -> None:
    assert status_of(error) == status  # type: ignore[arg-type]


def test_a_problem_type_can_point_at_the_deployments_errors_page(db_url: str) -> None:
    with client_for(db_url) as (_client, seeded, _app):
        app = create_app(seeded.registry, TOKENS, errors_page="https://spm.example.go.id/errors/")
        with TestClient(app) as client:
            answer = client.get("/me")
    assert answer.json()["type"] == "https://spm.example.go.id/errors/#not-authenticated"


def test_a_busy_database_asks_the_client_to_retry() -> None:
    answer = problem_response(StoreBusy(entity="record"))
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"
    assert answer.media_type == PROBLEM_JSON
