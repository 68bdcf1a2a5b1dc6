"""A small hand-built Kota Bekasi for the Tim Pembina tests.

Kecamatan Bekasi Timur (32.75.01) with two kelurahan, one posyandu each: Mawar in
32.75.01.1001 and Melati in 32.75.01.1002. Children and their school-status records are
written as they are (plain inserts, with the entry time chosen), so each test states
exactly what the engines count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import attrs
from sqlalchemy import insert

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah
from spm_core.store import ReferralContext, RouteTarget
from spm_core.store.tables import DomicileRow, RecordRow, ResidentRow

OPERATOR = Actor("op-kota", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
PEMBINA = Actor("tp-kota", Role.TIM_PEMBINA, AreaScope(KodeWilayah("32.75")))
VILLAGES = {"mawar": "32.75.01.1001", "melati": "32.75.01.1002"}
STATUS = "pendidikan.status-sekolah"


def kader(posyandu_id: str) -> Actor:
    """Return a kader of the posyandu."""
    return Actor(f"kader-{posyandu_id[:8]}", Role.KADER, PosyanduScope(posyandu_id))


@attrs.frozen
class City:
    """The registry and the ids of the two posyandu."""

    registry: Registry
    posyandu: dict[str, str]


def build_city(registry: Registry, fields: dict[str, list[dict[str, str]]] | None = None) -> City:
    """Register Mawar and Melati (serving the fields given, none by default)."""
    made = {}
    for name, village in VILLAGES.items():
        p = registry.store.add_posyandu(
            OPERATOR,
            {
                "name": f"Posyandu {name.title()}",
                "wilayah_code": village,
                "fields": (fields or {}).get(name, []),
            },
            Purpose.ADMINISTRASI,
        )
        made[name] = p.id
    return City(registry, made)


def add_children(city: City, posyandu: str, prefix: str, count: int, born: date) -> list[str]:
    """Insert ``count`` children living at ``posyandu`` since birth; return their ids."""
    ids = [f"{prefix}-{i}" for i in range(count)]
    pid, village = city.posyandu[posyandu], VILLAGES[posyandu]
    now = datetime(2020, 1, 1, tzinfo=UTC)
    residents = [
        {
            "id": rid,
            "nik": None,
            "name": f"Anak {rid}",
            "sex": "L" if i % 2 else "P",
            "birth_date": born,
            "posyandu_id": pid,
            "wilayah_code": village,
            "rt": "001",
            "rw": "001",
            "address": None,
            "restricted": False,
            "died_on": None,
            "moved_away_on": None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for i, rid in enumerate(ids)
    ]
    domiciles = [
        {
            "id": f"{rid}-d",
            "resident_id": rid,
            "posyandu_id": pid,
            "wilayah_code": village,
            "rt": "001",
            "rw": "001",
            "since": born,
            "until": None,
        }
        for rid in ids
    ]
    with city.registry.store._db.engine.begin() as connection:
        connection.execute(insert(ResidentRow), residents)
        connection.execute(insert(DomicileRow), domiciles)
    return ids


def add_status(
    city: City,
    posyandu: str,
    children: Iterable[str],
    observed: date,
    *,
    status: str = "sd",
    entered_after_days: int = 0,
    voided: bool = False,
    tag: str = "",
) -> None:
    """Insert one school-status record per child, entered some days after observation."""
    pid, village = city.posyandu[posyandu], VILLAGES[posyandu]
    entered = datetime(observed.year, observed.month, observed.day, 9, tzinfo=UTC) + timedelta(
        days=entered_after_days
    )
    value = {"status": status}
    if status == "tidak-sekolah":
        value["reason_not_in_school"] = "biaya"
    rows = [
        {
            "id": f"{rid}-{observed.isoformat()}{tag}",
            "record_type": STATUS,
            "resident_id": rid,
            "household_id": None,
            "place_code": None,
            "posyandu_id": pid,
            "wilayah_code": village,
            "observed_on": observed,
            "value": value,
            "recorded_by": "uji",
            "created_at": entered,
            "idempotency_key": f"uji:{rid}:{observed.isoformat()}{tag}",
            "voided_at": entered if voided else None,
            "void_reason": "salah input" if voided else None,
        }
        for rid in children
    ]
    with city.registry.store._db.engine.begin() as connection:
        connection.execute(insert(RecordRow), rows)


@attrs.frozen
class Route:
    """Routes every need to one agency, due ``days`` calendar days after routing."""

    agency: str
    days: int = 14

    def __call__(self, context: ReferralContext) -> list[RouteTarget]:
        return [RouteTarget(self.agency, context.on + timedelta(days=self.days), {"rule": "uji"})]
