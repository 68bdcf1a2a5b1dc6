"""Which record value fields a research extract carries: only those that cannot hold a name."""

from __future__ import annotations

import enum
from datetime import date
from typing import Literal

import pydantic

from spm_core.definitions import RecordType, RecordValue
from spm_core.domain.enums import SpmField, Subject
from spm_core.domain.text import Text
from spm_core.privacy import DROP_REASONS, field_plan


class Alat(enum.StrEnum):
    KURSI_RODA = "kursi-roda"
    TONGKAT = "tongkat"


class Kunjungan(RecordValue):
    weight_kg: float
    visits: int | None = None
    lying_down: bool = False
    method: Literal["dacin", "digital"] = "dacin"
    device: Alat | None = None
    devices: list[Alat] = pydantic.Field(default_factory=list)
    next_visit: date | None = None
    note: str | None = None
    examiner_name: str = "-"
    tags: list[str] = pydantic.Field(default_factory=list)
    extra: dict[str, int] = pydantic.Field(default_factory=dict)


KUNJUNGAN = RecordType(
    code="uji.kunjungan",
    title=Text("Kunjungan", "Visit"),
    field=SpmField.KESEHATAN,
    subject=Subject.RESIDENT,
    value_schema=Kunjungan,
)


def test_numbers_flags_codes_and_dates_are_kept_text_and_nesting_are_not() -> None:
    kept, dropped = field_plan(KUNJUNGAN)
    assert kept == {
        "device": "code",
        "devices": "codes",
        "lying_down": "boolean",
        "method": "code",
        "next_visit": "date",
        "visits": "integer",
        "weight_kg": "number",
    }
    assert dropped == {
        "examiner_name": "free_text",
        "extra": "nested",
        "note": "free_text",
        "tags": "nested",
    }
    assert set(dropped.values()) <= set(DROP_REASONS)
    assert all(reason.id and reason.en for reason in DROP_REASONS.values())


def test_a_field_added_later_as_text_stays_out() -> None:
    class Later(Kunjungan):
        mother_name: str = pydantic.Field(default="-", description="Nama ibu / Mother's name")

    later = RecordType(
        code="uji.kunjungan-baru",
        title=Text("Kunjungan", "Visit"),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        value_schema=Later,
    )
    assert field_plan(later)[1]["mother_name"] == "free_text"


def test_planned_values_are_cut_joined_or_left_out() -> None:
    from spm_core.store._research import _planned

    value = {
        "weight_kg": 11.5,
        "next_visit": "2025-07-14",
        "devices": ["tongkat", "kursi-roda"],
        "note": "Siti Aminah, Jl. Mawar 7",
    }
    plan = {"weight_kg": "value", "next_visit": "date", "devices": "codes", "visits": "value"}
    assert _planned(value, plan, "month") == (  # type: ignore[arg-type]
        ("devices", "kursi-roda;tongkat"),
        ("next_visit", "2025-07"),
        ("visits", None),
        ("weight_kg", 11.5),
    )
    assert dict(_planned(value, {"next_visit": "date"}, "year")) == {"next_visit": "2025"}
