"""What a kader or an agency records about disaster hazards, disaster services and fires.

All three record types are about a household: whether its home lies in a disaster-prone
area, which disaster information or preparedness service it received, and fires that hit
it (with the fire service's response time).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal, Self

from spm_core.plugin_api import (
    Field,
    InvalidRecordValue,
    Notice,
    RecordType,
    RecordValue,
    SpmField,
    Subject,
    Text,
    Validator,
    model_validator,
)
from spm_trantibum.services import (
    PERMENDAGRI_101_2018,
    PERMENDAGRI_114_2018,
    PERMENDAGRI_121_2018,
)

__all__ = [
    "RECORD_TYPES",
    "Hazard",
    "KejadianKebakaran",
    "KorbanBencana",
    "LayananBencana",
    "RawanBencana",
    "TerdampakKetertiban",
]

Hazard = Literal[
    "banjir",
    "banjir-rob",
    "tanah-longsor",
    "gempa-bumi",
    "tsunami",
    "letusan-gunung-api",
    "angin-puting-beliung",
    "kekeringan",
    "kebakaran-hutan-lahan",
    "kebakaran-permukiman",
    "lainnya",
]
"""Kinds of hazard a household may be exposed to."""


class RawanBencana(RecordValue):
    """Whether a household's home lies in a disaster-prone area (kawasan rawan bencana)."""

    in_hazard_zone: bool = Field(
        description=(
            "Rumah berada di kawasan rawan bencana / The home lies in a disaster-prone area"
        )
    )
    hazards: tuple[Hazard, ...] = Field(
        default=(),
        description="Jenis ancaman bencana / Hazards the home is exposed to",
    )

    @model_validator(mode="after")
    def _hazards_when_prone(self) -> Self:
        if self.in_hazard_zone and not self.hazards:
            raise InvalidRecordValue(
                reason_id="sebutkan minimal satu jenis ancaman",
                reason_en="name at least one hazard",
            )
        if not self.in_hazard_zone and self.hazards:
            raise InvalidRecordValue(
                reason_id="ancaman hanya diisi untuk kawasan rawan bencana",
                reason_en="hazards are recorded only for a disaster-prone area",
            )
        return self


class LayananBencana(RecordValue):
    """A disaster information or preparedness service the household received."""

    service: Literal["informasi-rawan-bencana", "pencegahan-kesiapsiagaan"] = Field(
        description=(
            "Jenis layanan: informasi rawan bencana, atau pencegahan dan kesiapsiagaan / "
            "Service: hazard information, or prevention and preparedness"
        )
    )
    activity: Literal[
        "penyuluhan",
        "peta-rawan-bencana",
        "peringatan-dini",
        "simulasi-evakuasi",
        "pelatihan",
        "lainnya",
    ] = Field(description="Bentuk kegiatan / Activity")
    hazard: Hazard | None = Field(
        default=None, description="Ancaman yang dibahas / Hazard addressed"
    )


class KejadianKebakaran(RecordValue):
    """A fire that hit the household's home, with the response the fire service recorded."""

    response_minutes: int | None = Field(
        default=None,
        ge=0,
        le=1_440,
        description=(
            "Waktu tanggap dari laporan diterima sampai tiba dan bertindak (menit) / "
            "Response time from the report to arrival and action (minutes)"
        ),
    )
    handled_by: Literal["damkar", "relawan-kebakaran", "warga", "lainnya"] = Field(
        description="Yang menangani / Who handled the fire"
    )
    damage: Literal["tidak-ada", "ringan", "sedang", "berat"] = Field(
        description="Kerusakan rumah / Damage to the home"
    )
    casualties: int = Field(
        default=0, ge=0, le=1_000, description="Korban jiwa atau luka / People killed or hurt"
    )


class KorbanBencana(RecordValue):
    """A resident hit by a disaster, and whether they were rescued or evacuated."""

    disaster: Hazard = Field(description="Jenis bencana / Kind of disaster")
    rescued_evacuated: bool = Field(
        description=(
            "Diselamatkan atau dievakuasi sesuai standar / Rescued or evacuated to standard"
        )
    )
    rescued_by: Literal["bpbd", "tim-sar", "damkar", "relawan", "warga", "lainnya"] | None = Field(
        default=None, description="Yang menyelamatkan / Who rescued or evacuated"
    )


class TerdampakKetertiban(RecordValue):
    """A resident affected by the enforcement of a Perda or Perkada, and the service given."""

    cause: Literal[
        "penertiban-pkl", "penertiban-bangunan", "penertiban-reklame", "gangguan-lain"
    ] = Field(
        description=(
            "Penyebab: penertiban pedagang kaki lima, bangunan, reklame, atau gangguan lain / "
            "Cause: clearing street vendors, buildings, billboards, or another disturbance"
        )
    )
    served: bool = Field(
        description=(
            "Mendapat layanan ketenteraman dan ketertiban sesuai standar (sosialisasi, "
            "pendampingan, pemulihan) / Received the public-order service to standard "
            "(information, assistance, recovery)"
        )
    )


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        code="trantibum.rawan-bencana",
        title=Text("Kawasan rawan bencana", "Disaster-prone area"),
        field=SpmField.TRANTIBUM,
        subject=Subject.HOUSEHOLD,
        value_schema=RawanBencana,
        legal_basis=(PERMENDAGRI_101_2018,),
    ),
    RecordType(
        code="trantibum.layanan-bencana",
        title=Text(
            "Layanan informasi dan kesiapsiagaan bencana",
            "Disaster information and preparedness service",
        ),
        field=SpmField.TRANTIBUM,
        subject=Subject.HOUSEHOLD,
        value_schema=LayananBencana,
        legal_basis=(PERMENDAGRI_101_2018,),
    ),
    RecordType(
        code="trantibum.korban-bencana",
        title=Text("Korban bencana", "Disaster victim"),
        field=SpmField.TRANTIBUM,
        subject=Subject.RESIDENT,
        value_schema=KorbanBencana,
        legal_basis=(PERMENDAGRI_101_2018,),
    ),
    RecordType(
        code="trantibum.terdampak-ketertiban",
        title=Text(
            "Terdampak penegakan Perda/Perkada", "Affected by enforcement of a regional rule"
        ),
        field=SpmField.TRANTIBUM,
        subject=Subject.RESIDENT,
        value_schema=TerdampakKetertiban,
        legal_basis=(PERMENDAGRI_121_2018,),
    ),
    RecordType(
        code="trantibum.kejadian-kebakaran",
        title=Text("Kejadian kebakaran", "Fire event"),
        field=SpmField.TRANTIBUM,
        subject=Subject.HOUSEHOLD,
        value_schema=KejadianKebakaran,
        legal_basis=(PERMENDAGRI_114_2018,),
    ),
)
"""Every public-order and protection record type."""


def _check_response_time(value: Mapping[str, Any]) -> Iterator[Notice]:
    """Warn when the fire service handled a fire but no response time was recorded."""
    if value.get("handled_by") == "damkar" and value.get("response_minutes") is None:
        yield Notice(
            code="fire-response-time-missing",
            message_id=(
                "Kebakaran ditangani Damkar tetapi waktu tanggap belum dicatat; SPM "
                "kebakaran diukur dengan waktu tanggap."
            ),
            message_en=(
                "The fire service handled the fire but no response time is recorded; the "
                "SPM fire service is measured by its response time."
            ),
            field="response_minutes",
            value=None,
        )


VALIDATORS: tuple[Validator, ...] = (
    Validator(
        code="trantibum.kejadian-kebakaran.waktu-tanggap",
        title=Text("Waktu tanggap kebakaran kosong", "Fire response time missing"),
        record_type="trantibum.kejadian-kebakaran",
        check=_check_response_time,
    ),
)
"""Data-quality checks on fire records; each yields notices, never rejects."""
