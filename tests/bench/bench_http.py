"""Load test of the HTTP adapter: ``spm serve`` on loopback, eight clients, mixed traffic.

Prints one JSON line: requests, errors, latency percentiles (p50/p95/p99, ms) and
requests per second; exits 1 if any request failed. Nothing here asserts a time. Run
from the project root::

    nice .venv/bin/python tests/bench/bench_http.py
    nice .venv/bin/python tests/bench/bench_http.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_i15

Without ``--db`` the server serves a fresh SQLite file; with it, the PostgreSQL
database is emptied first (its ``public`` schema is dropped: use a database of its own).
Eight posyandu of Kota Bekasi are set up with the library, twenty residents each; then
each client — one kader per posyandu, a real ``spm serve`` process in between — sends
``--requests`` requests: reads (a page of residents, one resident, the resident's
records, the posyandu's referrals, the JSON Schema of a record type) and writes (a
weighing with a fresh ``Idempotency-Key``, a replay of an earlier one, and now and then
a referral). The server runs the six field plugins and the installed region plugins.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah
from spm_core.http import DevTokens

SECRET = "bench secret of the loopback server"
VILLAGES = ("32.75.01.1001", "32.75.01.1002", "32.75.02.1001", "32.75.02.1002")
OPERATOR = Actor("op-bench", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
RESIDENTS = 20


def _nik(village: str, serial: int, birth: date) -> str:
    digits = village.replace(".", "")[:6]
    return f"{digits}{birth.day + 40:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def _set_up(url: str, clients: int) -> list[tuple[str, list[str]]]:
    """Register one posyandu per client with its residents; return (posyandu, residents)."""
    out = []
    with Registry.open(url) as registry:
        store = registry.store
        for n in range(clients):
            village = VILLAGES[n % len(VILLAGES)]
            posyandu = store.add_posyandu(
                OPERATOR,
                {
                    "name": f"Posyandu Bench {n}",
                    "wilayah_code": village,
                    "fields": [
                        {"field": "kesehatan", "since": "2024-01-01"},
                        {"field": "sosial", "since": "2024-01-01"},
                    ],
                },
                Purpose.ADMINISTRASI,
            )
            kader = Actor(f"kader-{n}", Role.KADER, PosyanduScope(posyandu.id))
            residents = []
            for i in range(RESIDENTS):
                birth = date(2022, 1, 1) + timedelta(days=37 * i + n)
                resident, _ = store.add_resident(
                    kader,
                    {
                        "nik": _nik(village, n * 100 + i + 1, birth),
                        "name": f"Anak {n}-{i}",
                        "sex": "P",
                        "birth_date": birth,
                        "posyandu_id": posyandu.id,
                    },
                    Purpose.PENDATAAN,
                )
                residents.append(resident.id)
            out.append((posyandu.id, residents))
    return out


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "SPM_TOKEN_SECRET": SECRET}
    command = [sys.executable, "-m", "spm_core", "serve", "--db", url, "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(base + "/me", timeout=2)
            return server, base
        except httpx.TransportError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise SystemExit(f"spm serve did not start: {server.communicate()[1]!r}") from None
            time.sleep(0.2)


class Client(threading.Thread):
    """One kader's phone: ``count`` requests, their latencies and failures."""

    def __init__(
        self, n: int, base: str, token: str, posyandu: str, residents: list[str], count: int
    ):
        super().__init__(name=f"client-{n}")
        self.n, self.base, self.count = n, base, count
        self.posyandu, self.residents = posyandu, residents
        self.headers = {"Authorization": f"Bearer {token}"}
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.writes = 0
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.rng = random.Random(n)

    def _request(self) -> tuple[str, str, dict[str, Any]]:
        """Return (method, path, options) of the next request of the mix."""
        rng, resident = self.rng, self.rng.choice(self.residents)
        roll = rng.random()
        if roll < 0.20:
            return "GET", "/residents", {"params": {"limit": 20}}
        if roll < 0.35:
            return "GET", f"/residents/{resident}", {}
        if roll < 0.50:
            params = {"subject_kind": "resident", "subject_id": resident}
            return "GET", "/records", {"params": params}
        if roll < 0.60:
            return "GET", "/referrals", {"params": {"posyandu_id": self.posyandu}}
        if roll < 0.65:
            return "GET", "/schemas/record:kesehatan.penimbangan", {}
        self.writes += 1
        if roll < 0.72 and self.sent:
            key, body = rng.choice(self.sent)  # the phone retries an earlier weighing
            return "POST", "/records", {"json": body, "headers": {"Idempotency-Key": key}}
        if roll < 0.75:
            key = f"bench-{self.n}-ref-{len(self.latencies)}"
            body = {"need_type": "kesehatan.gizi-buruk", "resident_id": resident}
            return "POST", "/referrals", {"json": body, "headers": {"Idempotency-Key": key}}
        key = f"bench-{self.n}-{len(self.latencies)}"
        day = date(2025, 1, 1) + timedelta(days=len(self.latencies) % 300)
        body = {
            "record_type": "kesehatan.penimbangan",
            "resident_id": resident,
            "observed_on": day.isoformat(),
            "value": {"weight_kg": round(8 + rng.random() * 6, 1)},
        }
        self.sent.append((key, body))
        return "POST", "/records", {"json": body, "headers": {"Idempotency-Key": key}}

    def run(self) -> None:
        with httpx.Client(base_url=self.base, headers=self.headers, timeout=60) as http:
            for _ in range(self.count):
                method, path, options = self._request()
                started = time.perf_counter()
                try:
                    answer = http.request(method, path, **options)
                    ok = answer.status_code < 300
                    detail = f"{method} {path} {answer.status_code} {answer.text[:300]}"
                except httpx.HTTPError as error:
                    ok, detail = False, f"{method} {path} {error!r}"
                self.latencies.append(time.perf_counter() - started)
                if not ok:
                    self.failures.append(detail)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _empty(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> int:
    """Run the load test once; print its JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (emptied first)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=500, help="requests per client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        if args.db:
            _empty(url)
        seeded = _set_up(url, args.clients)
        server, base = _serve(url)
        tokens = DevTokens(SECRET.encode())
        try:
            clients = [
                Client(
                    n,
                    base,
                    tokens.mint(Actor(f"kader-{n}", Role.KADER, PosyanduScope(posyandu))),
                    posyandu,
                    residents,
                    args.requests,
                )
                for n, (posyandu, residents) in enumerate(seeded)
            ]
            started = time.perf_counter()
            for client in clients:
                client.start()
            for client in clients:
                client.join()
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    latencies = [x for c in clients for x in c.latencies]
    failures = [f for c in clients for f in c.failures]
    for failure in failures[:5]:
        print(failure, file=sys.stderr)
    line = {
        "bench": "http",
        "database": "postgresql" if args.db else "sqlite",
        "clients": args.clients,
        "requests": len(latencies),
        "writes": sum(c.writes for c in clients),
        "errors": len(failures),
        "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
        "requests_per_s": round(len(latencies) / elapsed, 1),
    }
    print(json.dumps(line))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
