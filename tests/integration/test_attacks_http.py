"""A hostile client against the HTTP adapter: every odd request gets a 4xx, never a 500.

Worked examples on the seeded registry of the HTTP tests (three posyandu of Kota
Bekasi), on each database. Each one was a 500 or an unbounded read before it was
fixed: a body nested a hundred thousand levels deep, a token with a non-ASCII byte, an
``offset`` past the 64-bit range, a NUL or a lone surrogate in an id, a 50 MB body.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from http_helpers import Seeded, bearer, client_for, operator

from spm_core.http import MAX_BODY, MAX_DEPTH, PROBLEM_JSON

Client = tuple[TestClient, Seeded]


@pytest.fixture
def api(db_url: str) -> Iterator[Client]:
    with client_for(db_url) as (client, seeded, _app):
        yield client, seeded


def _problem(answer: Any, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = answer.json()
    assert body["code"] == code, body
    return body


def _issue_codes(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["code"], i["field"]) for i in body.get("issues", ())]


def test_a_deeply_nested_body_is_an_input_error(api: Client) -> None:
    client, seeded = api
    headers = bearer(seeded.world.kader("mawar"))
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000):
        answer = client.post("/residents", headers=headers, content=body)
        assert _issue_codes(_problem(answer, 422, "input-error")) == [("too-deep", "body")]
    # Just past the limit, where the parser itself still copes, the answer is the same.
    nested: Any = "x"
    for _ in range(MAX_DEPTH):
        nested = {"a": nested}
    answer = client.post("/residents", headers=headers, json={"name": nested})
    assert _issue_codes(_problem(answer, 422, "input-error")) == [("too-deep", "body")]


def test_a_body_over_the_limit_is_refused_before_it_is_read(api: Client) -> None:
    client, seeded = api
    headers = bearer(seeded.world.kader("mawar"))
    big = b'{"nik": "' + b"1" * (MAX_BODY + 1) + b'"}'
    body = _problem(
        client.post("/residents/search", headers=headers, content=big), 413, "request-too-large"
    )
    assert str(MAX_BODY) in body["message_en"]
    assert str(MAX_BODY) in body["message_id"]

    def chunked() -> Iterator[bytes]:  # no Content-Length: the stream is counted
        yield b'{"nik": "'
        for _ in range(MAX_BODY // 65_536 + 1):
            yield b"1" * 65_536
        yield b'"}'

    answer = client.post("/residents/search", headers=headers, content=chunked())
    _problem(answer, 413, "request-too-large")


def test_a_smaller_limit_can_be_set_per_app(db_url: str) -> None:
    from http_helpers import TOKENS, seed

    from spm_core.http import create_app

    seeded = seed(db_url)
    try:
        app = create_app(seeded.registry, TOKENS, max_body=64)
        with TestClient(app, raise_server_exceptions=False) as client:
            headers = bearer(seeded.world.kader("mawar"))
            nik = seeded.rows["mawar"].nik
            assert (
                client.post("/residents/search", headers=headers, json={"nik": nik}).status_code
                == 200
            )
            padded = json.dumps({"nik": nik}).replace(":", ":" + " " * 64)
            answer = client.post("/residents/search", headers=headers, content=padded)
            _problem(answer, 413, "request-too-large")
    finally:
        seeded.registry.close()


@pytest.mark.parametrize("token", [b"\xe9\xe9.abc", b"abc.\xff", b"\xc3\xa9" * 40])
def test_a_token_with_non_ascii_bytes_is_not_authenticated(api: Client, token: bytes) -> None:
    client, _ = api
    answer = client.get("/me", headers=[(b"authorization", b"Bearer " + token)])
    _problem(answer, 401, "not-authenticated")
    assert answer.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("offset", ["9223372036854775808", "100000000000000000000"])
def test_an_offset_past_64_bits_is_an_input_error(api: Client, offset: str) -> None:
    client, _ = api
    answer = client.get(f"/residents?offset={offset}", headers=bearer(operator()))
    assert [field for _, field in _issue_codes(_problem(answer, 422, "input-error"))] == ["offset"]


def test_the_largest_offset_is_an_empty_page(api: Client) -> None:
    client, _ = api
    answer = client.get("/residents?offset=9223372036854775807", headers=bearer(operator()))
    assert answer.status_code == 200
    assert answer.json() == []


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/residents/abc%00def", {}, "resident_id"),
        ("/households/abc%00", {}, "household_id"),
        ("/memberships/abc%00", {}, "membership_id"),
        ("/records/abc%00", {}, "record_id"),
        ("/referrals/abc%00", {}, "referral_id"),
        ("/referrals/abc%00/history", {}, "referral_id"),
        ("/residents", {"posyandu_id": "p\x00"}, "posyandu_id"),
        ("/records", {"record_type": "a\x00"}, "record_type"),
        ("/records", {"subject_kind": "resident", "subject_id": "x\x00"}, "subject.id"),
        ("/referrals", {"need_type": "a\x00"}, "need_type"),
    ],
)
def test_a_nul_in_an_id_or_filter_is_the_same_input_error_on_both_databases(
    api: Client, path: str, params: dict[str, str], field: str
) -> None:
    client, _ = api
    answer = client.get(path, params=params, headers=bearer(operator()))
    assert _issue_codes(_problem(answer, 422, "input-error")) == [("control-character", field)]


@pytest.mark.parametrize(
    ("where", "body"),
    [
        ("resident_id", {"record_type": "uji.timbang", "resident_id": "\ud800"}),
        ("name", {"name": "\ud800x", "sex": "P", "birth_date": "1990-01-01"}),
    ],
)
def test_a_lone_surrogate_in_a_body_is_an_input_error(
    api: Client, where: str, body: dict[str, Any]
) -> None:
    client, seeded = api
    headers = bearer(seeded.world.kader("mawar"))
    path = "/records" if "record_type" in body else "/residents"
    full = {"observed_on": "2025-03-02", "value": {"weight_kg": 60}} if path == "/records" else {}
    # json.dumps writes the surrogate as the escape \ud800, as a hostile client would.
    answer = client.post(path, headers=headers, content=json.dumps({**full, **body}))
    codes = _issue_codes(_problem(answer, 422, "input-error"))
    assert ("control-character", where) in codes


def test_a_void_reason_with_a_nul_is_refused_and_the_record_stays(api: Client) -> None:
    client, seeded = api
    headers = bearer(seeded.world.kader("mawar"))
    record = seeded.rows["mawar"].records[0]
    answer = client.post(f"/records/{record}/void", headers=headers, json={"reason": "salah\x00"})
    assert _issue_codes(_problem(answer, 422, "input-error")) == [("control-character", "reason")]
    assert client.get(f"/records/{record}", headers=headers).json()["voided_at"] is None


def test_unknown_verbs_and_cross_origin_preflights_get_no_operation(api: Client) -> None:
    client, seeded = api
    headers = bearer(seeded.world.kader("mawar"))
    resident = seeded.rows["mawar"].resident
    assert client.delete(f"/residents/{resident}", headers=headers).status_code == 405
    assert client.put("/residents", headers=headers).status_code == 405
    preflight = client.options(
        "/residents",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers
    assert client.get(f"/residents/{resident}", headers=headers).status_code == 200


def test_a_list_without_a_limit_answers_one_page(api: Client) -> None:
    from spm_core.access import Purpose
    from spm_core.http._app import PAGE

    client, seeded = api
    posyandu = seeded.rows["mawar"].posyandu
    rows = [
        {"name": f"Warga {i:04d}", "sex": "LP"[i % 2], "birth_date": "1990-01-01",
         "posyandu_id": posyandu}
        for i in range(PAGE + 5)
    ]  # fmt: skip
    seeded.registry.store.add_residents(operator(), rows, Purpose.PENDATAAN)
    headers = bearer(operator())
    first = client.get("/residents", headers=headers)
    assert first.status_code == 200
    assert len(first.json()) == PAGE
    rest = client.get(f"/residents?offset={PAGE}", headers=headers).json()
    assert len(rest) == 3 + 5  # the three seeded residents and the five past the page
    assert {r["id"] for r in first.json()}.isdisjoint(r["id"] for r in rest)
    assert len(client.get("/residents?limit=2000", headers=headers).json()) == PAGE + 8
    too_many = client.get("/residents?limit=10001", headers=headers)
    assert [f for _, f in _issue_codes(_problem(too_many, 422, "input-error"))] == ["limit"]


def test_the_referral_list_is_paged_like_the_others(api: Client) -> None:
    client, _ = api
    headers = bearer(operator())
    every = client.get("/referrals?purpose=pelayanan", headers=headers).json()
    assert len(every) >= 2  # one seeded per posyandu
    pages = [
        client.get(f"/referrals?purpose=pelayanan&limit=1&offset={i}", headers=headers).json()
        for i in range(len(every))
    ]
    assert [r for page in pages for r in page] == every
    too_many = client.get("/referrals?purpose=pelayanan&limit=10001", headers=headers)
    assert [f for _, f in _issue_codes(_problem(too_many, 422, "input-error"))] == ["limit"]
    negative = client.get("/referrals?purpose=pelayanan&offset=-1", headers=headers)
    assert [f for _, f in _issue_codes(_problem(negative, 422, "input-error"))] == ["offset"]
