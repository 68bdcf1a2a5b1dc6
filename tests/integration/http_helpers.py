"""Helpers for the HTTP adapter tests: a seeded registry, its app and bearer tokens."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import attrs
import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from referral_helpers import ReferralTestPlugin
from store_helpers import StoreTestPlugin, World, build_world, make_nik

from spm_core.access import Actor, AgencyScope, AreaScope, Purpose, Role
from spm_core.api import Registry
from spm_core.definitions import (
    Compare,
    Definition,
    LatestValue,
    NeedType,
    Op,
    PluginInfo,
    RoutingRule,
)
from spm_core.domain import KodeWilayah, Sex, SpmField, Subject, Text
from spm_core.hookspecs import hookimpl
from spm_core.http import DevTokens, create_app
from spm_core.referrals.router import NeedRouter

SECRET = b"the secret of the test server, 32+"
TOKENS = DevTokens(SECRET)
KOTA = KodeWilayah("32.75")


WELL_WATER = "uji.air-sumur"


class NeedsTestPlugin:
    """One need the records can show: a household whose latest water record says "sumur"."""

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(name="uji-http-saran", title=Text("Uji saran", "Suggestion test"))

    @hookimpl
    def spm_definitions(self) -> list[Definition]:
        return [
            NeedType(
                code=WELL_WATER,
                title=Text("Air minum dari sumur", "Drinking water from a well"),
                field=SpmField.PERKIM,
                subject=Subject.HOUSEHOLD,
                sla_days=10,
                trigger=LatestValue("uji.air", Compare("source", Op.EQ, "sumur")),
            ),
            RoutingRule(
                code="uji.air-sumur.r",
                title=Text("r", "r"),
                need_type=WELL_WATER,
                roles="uji-perkim",
            ),
        ]


@attrs.frozen
class Rows:
    """The rows seeded at one posyandu."""

    posyandu: str
    resident: str
    nik: str
    household: str
    membership: str
    records: tuple[str, ...]
    referral: str
    agency: str


@attrs.frozen
class Seeded:
    """A registry with three posyandu of Kota Bekasi, each with its own rows."""

    registry: Registry
    world: World
    rows: dict[str, Rows]


def bearer(actor: Actor, purpose: str | None = "pelayanan") -> dict[str, str]:
    """Return the headers of a client acting as ``actor``: a development token and a purpose.

    Anyone but a kader names why they read personal data (``X-Purpose``, the header a
    client application sends with every read); ``purpose=None`` leaves it out.
    """
    headers = {"Authorization": f"Bearer {TOKENS.mint(actor)}"}
    if purpose is not None and actor.role is not Role.KADER:
        headers["X-Purpose"] = purpose
    return headers


def officer(agency: str) -> Actor:
    """Return the officer of ``agency`` in Kota Bekasi."""
    return Actor(f"opd-{agency}", Role.AGENCY_OFFICER, AgencyScope(agency, KOTA))


def operator() -> Actor:
    """Return the SPM operator of Kota Bekasi."""
    return Actor("op-kota", Role.OPERATOR, AreaScope(KOTA))


def open_registry(db_url: str) -> Registry:
    """Open a registry on ``db_url`` with the store, referral and need test plugins only."""
    plugins = [StoreTestPlugin(), ReferralTestPlugin(), NeedsTestPlugin()]
    return Registry.open(db_url, allow=(), extra_plugins=plugins)


def _seed(world: World, name: str, number: int, need: str) -> Rows:
    store, catalog = world.store, world.catalog
    actor = world.kader(name)
    posyandu = world.posyandu[name]
    birth = date(1985, 2, 10 + number)
    nik = make_nik(700 + number, birth, Sex.FEMALE)
    resident, _ = store.add_resident(
        actor,
        {
            "nik": nik,
            "name": f"Ibu {name.title()}",
            "sex": "P",
            "birth_date": birth,
            "posyandu_id": posyandu.id,
            "rt": "1",
            "rw": "2",
        },
        Purpose.PENDATAAN,
    )
    household = store.add_household(
        actor, {"posyandu_id": posyandu.id, "rt": "1", "rw": "2"}, Purpose.PENDATAAN
    )
    membership = store.add_membership(
        actor,
        {
            "household_id": household.id,
            "resident_id": resident.id,
            "relationship": 1,
            "start": "2020-01-01",
        },
        Purpose.PENDATAAN,
    )
    records = [
        store.add_record(actor, data, Purpose.PELAYANAN, catalog)[0].id
        for data in (
            {
                "record_type": "uji.timbang",
                "resident_id": resident.id,
                "observed_on": "2025-03-01",
                "value": {"weight_kg": 55},
            },
            {
                "record_type": "uji.air",
                "household_id": household.id,
                "observed_on": "2025-03-01",
                "value": {"source": "sumur"},
            },
        )
    ]
    subject = {"resident_id": resident.id} if need == "uji.alat-bantu" else {}
    if need == "uji.rtlh":
        subject = {"household_id": household.id}
    submission = store.submit_referral(
        actor,
        {"idempotency_key": f"seed-{name}", "need_type": need, "on": "2025-03-03", **subject},
        Purpose.RUJUKAN,
        catalog,
        route=NeedRouter(catalog),
    )
    return Rows(
        posyandu=posyandu.id,
        resident=resident.id,
        nik=nik,
        household=household.id,
        membership=membership.id,
        records=tuple(records),
        referral=submission.referral.id,
        agency=submission.referral.agency_code or "-",
    )


def seed(db_url: str) -> Seeded:
    """Open a registry on ``db_url`` and seed three posyandu with their rows.

    Mawar and Anggrek raise needs that go to the social office; Melati's goes to the
    housing office: each agency officer has rows of its own and rows it must not see.
    """
    registry = open_registry(db_url)
    world = build_world(registry.store, registry.catalog)
    needs = {"mawar": "uji.alat-bantu", "melati": "uji.rtlh", "anggrek": "uji.alat-bantu"}
    rows = {name: _seed(world, name, i, need) for i, (name, need) in enumerate(needs.items())}
    return Seeded(registry, world, rows)


@contextmanager
def client_for(db_url: str) -> Iterator[tuple[TestClient, Seeded, FastAPI]]:
    """Yield a test client of the app over a freshly seeded registry."""
    seeded = seed(db_url)
    app = create_app(seeded.registry, TOKENS)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client, seeded, app
    finally:
        seeded.registry.close()


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def spm_serve(db_url: str, *more: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run ``spm serve`` on a loopback port in its own process; yield its base URL.

    The server signs with :data:`SECRET`, so :data:`TOKENS` mints tokens it accepts.
    """
    port = free_port()
    env = {**os.environ, "SPM_TOKEN_SECRET": SECRET.decode()}
    command = [sys.executable, "-m", "spm_core", "--lang", "en", "serve", "--db", db_url]
    process = subprocess.Popen(
        [*command, "--port", str(port), *more],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/me", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    out, err = process.communicate(timeout=5)
                    raise AssertionError(f"spm serve did not start:\n{out}\n{err}") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
            process.kill()
            process.wait(timeout=20)
