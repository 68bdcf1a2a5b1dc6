"""Helpers for store tests: a tiny plugin, actors, NIKs and a small seeded world."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

import attrs
import pydantic

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.definitions import (
    Definition,
    FieldDefinition,
    LegalBasis,
    PluginInfo,
    RecordType,
    RecordValue,
    Validator,
)
from spm_core.domain import KodeWilayah, Sex, SpmField, Subject, Text
from spm_core.errors import Notice
from spm_core.hookspecs import hookimpl
from spm_core.store import Posyandu, Resident, Store

KOTA = KodeWilayah("32.75")
KAB = KodeWilayah("32.16")


class Timbang(RecordValue):
    """Weighing of a resident."""

    weight_kg: float = pydantic.Field(gt=0, le=250, description="Berat (kg) / Weight (kg)")
    note: str | None = pydantic.Field(default=None, description="Catatan / Note")


class Air(RecordValue):
    """Drinking-water source of a household."""

    source: Literal["pipa", "sumur", "hujan"] = pydantic.Field(
        description="Sumber air / Water source"
    )


class Lingkungan(RecordValue):
    """An observation about a place."""

    flooded: bool = pydantic.Field(description="Tergenang / Flooded")


def _heavy(value: Any) -> Iterable[Notice]:
    if value["weight_kg"] > 150:
        yield Notice(
            code="uji-berat-tinggi",
            message_id="Berat badan sangat tinggi; periksa kembali.",
            message_en="The weight is very high; check again.",
            field="weight_kg",
            value=str(value["weight_kg"]),
        )


class StoreTestPlugin:
    """A field plugin with three record types (one per subject) and one validator."""

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(name="uji-store", title=Text("Uji penyimpanan", "Store test"))

    @hookimpl
    def spm_definitions(self) -> list[Definition]:
        return [*self.fields(), *self.record_types(), *self.validators()]

    def fields(self) -> list[FieldDefinition]:
        return [
            FieldDefinition(
                code="kesehatan",
                field=SpmField.KESEHATAN,
                title=Text("Kesehatan", "Health"),
                legal_basis=[LegalBasis("PP 2/2018", "Ps. 6")],
            )
        ]

    def record_types(self) -> list[RecordType]:
        def record_type(code: str, subject: Subject, schema: type[RecordValue]) -> RecordType:
            return RecordType(
                code=code,
                title=Text(f"Uji {code}", f"Test {code}"),
                field=SpmField.KESEHATAN,
                subject=subject,
                value_schema=schema,
            )

        return [
            record_type("uji.timbang", Subject.RESIDENT, Timbang),
            record_type("uji.air", Subject.HOUSEHOLD, Air),
            record_type("uji.lingkungan", Subject.PLACE, Lingkungan),
        ]

    def validators(self) -> list[Validator]:
        return [
            Validator(
                code="uji.berat-tinggi",
                title=Text("Berat tinggi", "High weight"),
                record_type="uji.timbang",
                check=_heavy,
            )
        ]


def operator(area: KodeWilayah = KOTA, actor_id: str = "op-kota") -> Actor:
    """Return an SPM operator of ``area``."""
    return Actor(actor_id, Role.OPERATOR, AreaScope(area))


def kader(posyandu_id: str, actor_id: str | None = None) -> Actor:
    """Return a kader of one posyandu."""
    return Actor(actor_id or f"kader-{posyandu_id[:8]}", Role.KADER, PosyanduScope(posyandu_id))


def make_nik(serial: int, birth: date, sex: Sex, prefix: str = "327501") -> str:
    """Return a structurally valid NIK whose date and sex parts match ``birth`` and ``sex``."""
    day = birth.day + (40 if sex is Sex.FEMALE else 0)
    return f"{prefix}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


@attrs.define
class World:
    """A store with two posyandu of Kelurahan Bekasijaya and one of Margahayu (Kota Bekasi)."""

    store: Store
    catalog: Catalog
    operator: Actor
    posyandu: dict[str, Posyandu]
    serial: int = 0

    def kader(self, name: str) -> Actor:
        """Return a kader of the posyandu called ``name``."""
        return kader(self.posyandu[name].id, f"kader-{name}")

    def resident(self, posyandu: str, **data: Any) -> Resident:
        """Register a resident at ``posyandu``, with a fresh matching NIK by default."""
        self.serial += 1
        birth = data.pop("birth_date", date(1990, 5, 17))
        sex = Sex(data.pop("sex", "P"))
        values = {
            "nik": make_nik(self.serial, birth, sex),
            "name": f"Warga {self.serial}",
            "sex": sex.value,
            "birth_date": birth,
            "posyandu_id": self.posyandu[posyandu].id,
            "rt": "001",
            "rw": "002",
        }
        values.update(data)
        resident, _ = self.store.add_resident(self.kader(posyandu), values, Purpose.PENDATAAN)
        return resident

    def household(self, name: str, **data: Any) -> Any:
        """Register a household at posyandu ``name``."""
        values = {"posyandu_id": self.posyandu[name].id, "rt": "1", "rw": "2", **data}
        return self.store.add_household(self.kader(name), values, Purpose.PENDATAAN)


def build_world(store: Store, catalog: Catalog) -> World:
    """Seed the three posyandu of :class:`World`."""
    op = operator()
    made = {}
    for name, village in (
        ("mawar", "32.75.01.1001"),
        ("melati", "32.75.01.1001"),
        ("anggrek", "32.75.01.1002"),
    ):
        made[name] = store.add_posyandu(
            op,
            {
                "name": f"Posyandu {name.title()}",
                "wilayah_code": village,
                "fields": [{"field": "kesehatan", "since": "2025-01-01"}],
            },
            Purpose.ADMINISTRASI,
        )
    return World(store, catalog, op, made)
