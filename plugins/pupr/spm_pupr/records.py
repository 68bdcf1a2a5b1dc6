"""What a kader records about a household's drinking water and sanitation.

The kinds follow the definitions of Permen PUPR 29/PRT/M/2018 Lampiran I: an *improved*
drinking-water source is piped water, a public tap or hydrant, a water terminal,
rainwater, or a drilled/pump well, protected well or protected spring more than 10 m
from a septic tank or waste pit.
"""

from __future__ import annotations

from typing import Literal, Self

from spm_core.plugin_api import (
    Field,
    InvalidRecordValue,
    LegalBasis,
    RecordType,
    RecordValue,
    SpmField,
    Subject,
    Text,
    model_validator,
)
from spm_pupr.services import LAMPIRAN_I

__all__ = [
    "DESLUDGING_BASIS",
    "DESLUDGING_MONTHS",
    "GROUNDWATER_IMPROVED",
    "IMPROVED_ANY_DISTANCE",
    "RECORD_TYPES",
    "TREATED_DISPOSAL",
    "PenyedotanTinja",
    "Sanitasi",
    "SumberAirMinum",
    "WaterSource",
]

WaterSource = Literal[
    "perpipaan",
    "kran-umum",
    "hidran-umum",
    "terminal-air",
    "air-hujan",
    "sumur-bor-pompa",
    "sumur-terlindung",
    "mata-air-terlindung",
    "sumur-tak-terlindung",
    "mata-air-tak-terlindung",
    "air-permukaan",
    "air-kemasan",
    "air-isi-ulang",
    "tangki-air",
    "lainnya",
]
"""The household's main source of drinking water."""

IMPROVED_ANY_DISTANCE: tuple[str, ...] = (
    "perpipaan",
    "kran-umum",
    "hidran-umum",
    "terminal-air",
    "air-hujan",
)
"""Improved sources whatever the distance to a septic tank."""

GROUNDWATER_IMPROVED: tuple[str, ...] = (
    "sumur-bor-pompa",
    "sumur-terlindung",
    "mata-air-terlindung",
)
"""Groundwater sources that are improved only more than 10 m from a septic tank or pit."""

TREATED_DISPOSAL: tuple[str, ...] = ("tangki-septik", "spald-t")
"""Disposal into a septic tank (on-site, SPALD-S) or a sewer network (SPALD-T)."""

DESLUDGING_MONTHS = 36
"""A septic tank counts as part of SPALD-S when it was desludged within this many months
before the period's end (periodic desludging to an IPLT; the interval is data)."""

DESLUDGING_BASIS = LegalBasis(
    "Permen PUPR 04/PRT/M/2017",
    confirmed=False,
    note=(
        "SPALD-S is a toilet with a septic tank and periodic desludging to an IPLT. The "
        "interval (every 3 years) is as often quoted, not checked against the text."
    ),
    source="123dok.com/document/z3e1427q",
)
"""Why a desludging within :data:`DESLUDGING_MONTHS` is required (interval unconfirmed)."""


class SumberAirMinum(RecordValue):
    """The household's main drinking-water source."""

    source: WaterSource = Field(
        description="Sumber utama air minum / Main source of drinking water"
    )
    waste_pit_within_10m: bool | None = Field(
        default=None,
        description=(
            "Ada tangki septik atau penampungan limbah dalam jarak 10 m dari sumber air "
            "(wajib untuk sumur dan mata air) / A septic tank or waste pit lies within 10 m "
            "of the source (required for wells and springs)"
        ),
    )

    @model_validator(mode="after")
    def _distance_for_groundwater(self) -> Self:
        if self.source in GROUNDWATER_IMPROVED and self.waste_pit_within_10m is None:
            raise InvalidRecordValue(
                reason_id="jarak ke tangki septik wajib diisi untuk sumur dan mata air",
                reason_en="the distance to a septic tank is required for wells and springs",
            )
        return self


class Sanitasi(RecordValue):
    """The household's toilet and where its waste water goes."""

    toilet: Literal["sendiri", "bersama", "umum", "tidak-ada"] = Field(
        description=(
            "Fasilitas buang air besar: milik sendiri, bersama, umum, atau tidak ada / "
            "Toilet used: own, shared, public, or none"
        )
    )
    toilet_type: Literal["leher-angsa", "plengsengan", "cemplung"] | None = Field(
        default=None,
        description=(
            "Jenis kloset (wajib untuk kloset sendiri atau bersama) / Kind of toilet "
            "(required for an own or shared toilet)"
        ),
    )
    disposal: (
        Literal[
            "tangki-septik",
            "spald-t",
            "cubluk",
            "lubang-tanah",
            "kolam-sawah-sungai",
            "pantai-tanah-lapang",
            "lainnya",
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "Pembuangan akhir tinja (wajib untuk kloset sendiri atau bersama) / Final "
            "disposal of faeces (required for an own or shared toilet)"
        ),
    )
    septic_desludged: bool | None = Field(
        default=None,
        description=(
            "Menurut rumah tangga, tangki septik pernah disedot (penyedotan berkala dicatat "
            "sebagai pupr.penyedotan-tinja) / The household says the septic tank has been "
            "desludged at least once (each desludging is recorded as pupr.penyedotan-tinja)"
        ),
    )

    @model_validator(mode="after")
    def _details_match_toilet(self) -> Self:
        household_toilet = self.toilet in ("sendiri", "bersama")
        if household_toilet and (self.toilet_type is None or self.disposal is None):
            raise InvalidRecordValue(
                reason_id="jenis kloset dan pembuangan akhir wajib diisi untuk kloset sendiri "
                "atau bersama",
                reason_en="the kind of toilet and the disposal are required for an own or "
                "shared toilet",
            )
        if self.toilet == "tidak-ada" and (
            self.toilet_type is not None or self.disposal is not None
        ):
            raise InvalidRecordValue(
                reason_id="tanpa kloset, jenis kloset dan pembuangan tidak diisi",
                reason_en="with no toilet, neither the kind of toilet nor the disposal is recorded",
            )
        if self.septic_desludged is not None and self.disposal != "tangki-septik":
            raise InvalidRecordValue(
                reason_id="penyedotan hanya dicatat untuk tangki septik",
                reason_en="desludging is recorded only for a septic tank",
            )
        return self


class PenyedotanTinja(RecordValue):
    """The household's septic tank was desludged (emptied) on the record's day."""

    operator: Literal["uptd-iplt", "swasta", "lainnya"] = Field(
        description=(
            "Penyedot: unit pengolahan lumpur tinja pemda (IPLT), swasta atau lainnya / Who "
            "desludged: the local government's sludge-treatment unit, a private firm, other"
        )
    )
    to_iplt: bool = Field(
        default=True,
        description=("Lumpur dibawa ke IPLT / The sludge went to a sludge treatment plant (IPLT)"),
    )


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        code="pupr.sumber-air-minum",
        title=Text("Sumber air minum", "Drinking-water source"),
        field=SpmField.PUPR,
        subject=Subject.HOUSEHOLD,
        value_schema=SumberAirMinum,
        legal_basis=(LAMPIRAN_I,),
    ),
    RecordType(
        code="pupr.sanitasi",
        title=Text("Sanitasi rumah tangga", "Household sanitation"),
        field=SpmField.PUPR,
        subject=Subject.HOUSEHOLD,
        value_schema=Sanitasi,
        legal_basis=(LAMPIRAN_I,),
    ),
    RecordType(
        code="pupr.penyedotan-tinja",
        title=Text("Penyedotan tangki septik", "Septic tank desludging"),
        field=SpmField.PUPR,
        subject=Subject.HOUSEHOLD,
        value_schema=PenyedotanTinja,
        legal_basis=(LAMPIRAN_I, DESLUDGING_BASIS),
        description=Text(
            "Dicatat setiap kali tangki septik rumah tangga disedot.",
            "Recorded each time the household's septic tank is desludged.",
        ),
    ),
)
"""Every public-works record type."""
