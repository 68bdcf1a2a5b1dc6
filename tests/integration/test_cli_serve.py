"""``spm serve`` and ``spm token`` in real processes, over the loopback interface.

A posyandu's database is set up with the library; ``spm serve`` serves it on a free
loopback port; ``spm token`` mints the kader's token with the server's secret. Eight
clients then send the same weighing with the same ``Idempotency-Key`` at once, as
phones do when the network comes back: one record is stored, every client gets it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
import pytest
from http_helpers import SECRET, TOKENS, spm_serve
from store_helpers import make_nik

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah, Sex

OPERATOR = Actor("op-kota", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))


def _set_up(db_url: str) -> tuple[str, str]:
    """Register Posyandu Mawar and one child; return (posyandu id, resident id)."""
    with Registry.open(db_url) as registry:
        posyandu = registry.store.add_posyandu(
            OPERATOR,
            {
                "name": "Posyandu Mawar",
                "wilayah_code": "32.75.01.1001",
                "fields": [{"field": "kesehatan", "since": "2024-01-01"}],
            },
            Purpose.ADMINISTRASI,
        )
        kader = Actor("kader-mawar", Role.KADER, PosyanduScope(posyandu.id))
        birth = date(2024, 6, 1)
        child, _ = registry.store.add_resident(
            kader,
            {
                "nik": make_nik(1, birth, Sex.MALE),
                "name": "Budi",
                "sex": "L",
                "birth_date": birth,
                "posyandu_id": posyandu.id,
            },
            Purpose.PENDATAAN,
        )
        return posyandu.id, child.id


def _spm(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPM_TOKEN_SECRET": SECRET.decode()}
    return subprocess.run(
        [sys.executable, "-m", "spm_core", "--lang", "en", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_spm_token_mints_what_the_server_accepts() -> None:
    done = _spm("token", "kader:p-1", "--id", "kader-siti")
    assert done.returncode == 0, done.stderr
    actor = TOKENS.actor(done.stdout.strip())
    assert (actor.id, actor.describe()) == ("kader-siti", "kader posyandu:p-1")


def test_spm_token_without_a_secret_is_a_usage_error() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SPM_TOKEN_SECRET"}
    done = subprocess.run(
        [sys.executable, "-m", "spm_core", "--lang", "en", "token", "kader:p-1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "SPM_TOKEN_SECRET" in done.stderr


def test_a_weighing_sent_by_eight_clients_at_once_is_stored_once(db_url: str) -> None:
    posyandu, child = _set_up(db_url)
    minted = _spm("token", f"kader:{posyandu}", "--id", "kader-mawar")
    assert minted.returncode == 0, minted.stderr
    headers = {"Authorization": f"Bearer {minted.stdout.strip()}"}
    weighing = {
        "record_type": "kesehatan.penimbangan",
        "resident_id": child,
        "observed_on": "2025-03-05",
        "value": {"weight_kg": 9.4},
    }
    with spm_serve(db_url, "--dev-token", "operator:32.75") as (base, _process):
        assert httpx.get(base + "/me").status_code == 401

        def send(_: int) -> httpx.Response:
            return httpx.post(
                base + "/records",
                json=weighing,
                headers={**headers, "Idempotency-Key": "hp-budi-2025-03-05"},
                timeout=60,
            )

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, range(8)))
        stored = httpx.get(base + "/records", headers=headers, timeout=60).json()
        assert httpx.get(base + "/openapi.json", headers=headers).json()["openapi"]

    assert {a.status_code for a in answers} <= {200, 201}, [a.text for a in answers]
    assert 201 in {a.status_code for a in answers}
    assert len({a.json()["item"]["id"] for a in answers}) == 1
    assert [r["id"] for r in stored] == [answers[0].json()["item"]["id"]]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_spm_serve_prints_the_tokens_it_was_asked_for(db_url: str) -> None:
    with spm_serve(db_url, "--dev-token", "operator:32.75") as (base, process):
        process.terminate()
        out, _ = process.communicate(timeout=30)
    lines = out.splitlines()
    assert lines[0] == "Token for operator area:32.75:"
    me = TOKENS.actor(lines[1])
    assert me.describe() == "operator area:32.75"
    assert lines[2].startswith("Serving ")
    assert base.removeprefix("http://") in lines[2]
