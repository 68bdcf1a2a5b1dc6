"""What a kader or the social office records about disability, neglect and rehabilitation.

Disability and neglect are specific personal data (UU PDP 27/2022 Ps. 4); every record
type here is marked ``specific``. Kinds of disability follow UU 8/2016 Ps. 4 ayat (1):
physical, intellectual, mental and sensory (seeing, hearing, speaking).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal, Self

from spm_core.plugin_api import (
    Field,
    InvalidRecordValue,
    LegalBasis,
    Notice,
    RecordType,
    RecordValue,
    SpmField,
    Subject,
    Text,
    Validator,
    model_validator,
)
from spm_sosial.services import PERMENSOS_9_2018

__all__ = [
    "RECORD_TYPES",
    "VALIDATORS",
    "AnakTelantar",
    "AssistiveDevice",
    "Disabilitas",
    "DisabilityKind",
    "GelandanganPengemis",
    "KorbanBencanaSosial",
    "LansiaTelantar",
    "PerlindunganBencana",
    "RehabilitasiSosial",
]

DisabilityKind = Literal[
    "fisik",
    "intelektual",
    "mental",
    "sensorik-netra",
    "sensorik-rungu",
    "sensorik-wicara",
]
"""Kinds of disability (UU 8/2016 Ps. 4 ayat (1)); a person may have several."""

AssistiveDevice = Literal[
    "alat-bantu-dengar",
    "kursi-roda",
    "kruk",
    "tongkat-netra",
    "kaki-palsu",
    "tangan-palsu",
    "lainnya",
]
"""Assistive devices (alat bantu) provided under basic social rehabilitation."""

_UU_8_2016 = LegalBasis("UU 8/2016", "Ps. 4 ayat (1)", note="Kinds of disability.")


class Disabilitas(RecordValue):
    """A resident's disability, the devices they need, and whether they are neglected."""

    kinds: tuple[DisabilityKind, ...] = Field(
        min_length=1, description="Ragam disabilitas / Kinds of disability"
    )
    devices_needed: tuple[AssistiveDevice, ...] = Field(
        default=(),
        description="Alat bantu yang dibutuhkan / Assistive devices needed",
    )
    devices_owned: tuple[AssistiveDevice, ...] = Field(
        default=(),
        description="Alat bantu yang sudah dimiliki / Assistive devices already owned",
    )
    neglected: bool = Field(
        description=(
            "Telantar: kebutuhan dasarnya tidak terpenuhi dan tidak ada yang mengurus / "
            "Neglected: basic needs unmet and no one to care for them"
        )
    )


class LansiaTelantar(RecordValue):
    """An assessment of whether an older resident (60 and over) is neglected."""

    lives_alone: bool = Field(description="Tinggal sendiri / Lives alone")
    has_caregiver: bool = Field(
        description="Ada keluarga atau pendamping yang merawat / Has family or a caregiver"
    )
    basic_needs_met: bool = Field(
        description=(
            "Kebutuhan dasar (makan, pakaian, tempat tinggal) terpenuhi / Basic needs (food, "
            "clothing, shelter) are met"
        )
    )
    neglected: bool = Field(
        description="Dinilai sebagai lanjut usia telantar / Assessed as a neglected older person"
    )


class RehabilitasiSosial(RecordValue):
    """Basic social rehabilitation a resident received (recorded by the social office)."""

    group: Literal["disabilitas", "anak", "lanjut-usia", "gelandangan-pengemis"] = Field(
        description="Kelompok penerima / Recipient group"
    )
    setting: Literal["luar-panti", "dalam-panti"] = Field(
        description="Di luar atau di dalam panti / Outside or inside an institution"
    )
    items: tuple[
        Literal[
            "permakanan",
            "sandang",
            "alat-bantu",
            "perbekalan-kesehatan",
            "bimbingan",
            "dokumen-kependudukan",
            "rujukan",
        ],
        ...,
    ] = Field(
        min_length=1,
        description=(
            "Bentuk layanan yang diterima (butir Permensos 9/2018 belum dikonfirmasi satu per "
            "satu) / Items received (the Permensos 9/2018 items are unconfirmed one by one)"
        ),
    )
    device: AssistiveDevice | None = Field(
        default=None,
        description="Alat bantu yang diserahkan / Assistive device handed over",
    )

    @model_validator(mode="after")
    def _device_only_with_alat_bantu(self) -> Self:
        if (self.device is not None) != ("alat-bantu" in self.items):
            raise InvalidRecordValue(
                reason_id="alat bantu diisi bila dan hanya bila butir 'alat-bantu' diterima",
                reason_en="a device is recorded if and only if the item 'alat-bantu' was received",
            )
        return self


class AnakTelantar(RecordValue):
    """An assessment of whether a child (under 18) is neglected."""

    has_guardian: bool = Field(
        description="Ada orang tua atau wali yang mengasuh / Has a parent or guardian caring"
    )
    basic_needs_met: bool = Field(
        description=(
            "Kebutuhan dasar (makan, pakaian, tempat tinggal, sekolah) terpenuhi / Basic needs "
            "(food, clothing, shelter, schooling) are met"
        )
    )
    neglected: bool = Field(
        description="Dinilai sebagai anak telantar / Assessed as a neglected child"
    )


class GelandanganPengemis(RecordValue):
    """A homeless person or a beggar found by an outreach (penjangkauan)."""

    category: Literal["gelandangan", "pengemis", "gelandangan-pengemis"] = Field(
        description="Gelandangan, pengemis, atau keduanya / Homeless, a beggar, or both"
    )
    found_by: Literal["kader", "satpol-pp", "dinas-sosial", "lainnya"] = Field(
        description="Ditemukan oleh / Found by"
    )


class KorbanBencanaSosial(RecordValue):
    """A resident who is a victim of a natural or social disaster of the kab/kota."""

    disaster: Literal["alam", "sosial"] = Field(
        description="Bencana alam atau bencana sosial (konflik) / Natural or social disaster"
    )
    displaced: bool = Field(default=False, description="Mengungsi / Displaced from home")


class PerlindunganBencana(RecordValue):
    """Social protection given to a disaster victim during or after the emergency response."""

    items: tuple[
        Literal[
            "permakanan",
            "sandang",
            "tempat-penampungan",
            "perbekalan-kesehatan",
            "dukungan-psikososial",
            "jaminan-hidup",
        ],
        ...,
    ] = Field(
        min_length=1,
        description=(
            "Bentuk perlindungan yang diterima (butir belum dikonfirmasi satu per satu) / "
            "Items received (unconfirmed one by one)"
        ),
    )
    basic_needs_met: bool = Field(
        description=("Kebutuhan dasarnya terpenuhi sesuai standar / Basic needs met to standard")
    )


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        code="sosial.disabilitas",
        title=Text("Disabilitas", "Disability"),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        value_schema=Disabilitas,
        specific=True,
        legal_basis=(_UU_8_2016,),
    ),
    RecordType(
        code="sosial.lansia-telantar",
        title=Text("Asesmen lanjut usia telantar", "Neglected older person assessment"),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        value_schema=LansiaTelantar,
        specific=True,
        legal_basis=(PERMENSOS_9_2018,),
    ),
    RecordType(
        code="sosial.anak-telantar",
        title=Text("Asesmen anak telantar", "Neglected child assessment"),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        value_schema=AnakTelantar,
        specific=True,
        legal_basis=(PERMENSOS_9_2018,),
    ),
    RecordType(
        code="sosial.gelandangan-pengemis",
        title=Text("Penjangkauan gelandangan dan pengemis", "Outreach to homeless and beggars"),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        value_schema=GelandanganPengemis,
        specific=True,
        legal_basis=(PERMENSOS_9_2018,),
    ),
    RecordType(
        code="sosial.korban-bencana",
        title=Text("Korban bencana", "Disaster victim"),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        value_schema=KorbanBencanaSosial,
        specific=True,
        legal_basis=(PERMENSOS_9_2018,),
    ),
    RecordType(
        code="sosial.perlindungan-bencana",
        title=Text("Perlindungan sosial korban bencana", "Social protection of a disaster victim"),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        value_schema=PerlindunganBencana,
        specific=True,
        legal_basis=(PERMENSOS_9_2018,),
    ),
    RecordType(
        code="sosial.rehabilitasi-sosial",
        title=Text("Rehabilitasi sosial dasar", "Basic social rehabilitation"),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
        value_schema=RehabilitasiSosial,
        specific=True,
        legal_basis=(
            LegalBasis(
                "Permensos 9/2018",
                confirmed=False,
                note="The list of service items was not checked against the text, item by item.",
            ),
        ),
    ),
)
"""Every social record type."""


def _check_neglect_consistent(value: Mapping[str, Any]) -> Iterator[Notice]:
    """Warn when an older person is marked not neglected though basic needs are unmet."""
    if not value.get("neglected") and value.get("basic_needs_met") is False:
        yield Notice(
            code="neglect-inconsistent",
            message_id=(
                "Kebutuhan dasar tidak terpenuhi tetapi tidak dinilai telantar; periksa "
                "kembali asesmen."
            ),
            message_en=(
                "Basic needs are unmet but the person is not assessed as neglected; check "
                "the assessment."
            ),
            field="neglected",
            value="false",
        )


def _check_device_owned_and_needed(value: Mapping[str, Any]) -> Iterator[Notice]:
    """Warn when the same device is recorded as both needed and already owned."""
    both = sorted(set(value.get("devices_needed", ())) & set(value.get("devices_owned", ())))
    if both:
        yield Notice(
            code="device-owned-and-needed",
            message_id=(
                f"Alat bantu {', '.join(both)} tercatat sudah dimiliki sekaligus dibutuhkan; "
                "pastikan apakah perlu diganti."
            ),
            message_en=(
                f"Device(s) {', '.join(both)} recorded as both owned and needed; confirm "
                "whether a replacement is needed."
            ),
            field="devices_needed",
            value=", ".join(both),
        )


VALIDATORS: tuple[Validator, ...] = (
    Validator(
        code="sosial.lansia-telantar.konsisten",
        title=Text("Asesmen telantar tidak konsisten", "Inconsistent neglect assessment"),
        record_type="sosial.lansia-telantar",
        check=_check_neglect_consistent,
    ),
    Validator(
        code="sosial.disabilitas.alat-bantu",
        title=Text("Alat bantu dimiliki dan dibutuhkan", "Device both owned and needed"),
        record_type="sosial.disabilitas",
        check=_check_device_owned_and_needed,
    ),
)
"""Data-quality checks on social records; each yields notices, never rejects."""
