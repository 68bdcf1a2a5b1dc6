"""What a kader records about a child's schooling.

Data about children is specific personal data (UU PDP 27/2022 Ps. 4), so the record
type is marked ``specific``.
"""

from __future__ import annotations

from typing import Literal, Self

from spm_core.plugin_api import (
    Field,
    InvalidRecordValue,
    RecordType,
    RecordValue,
    SpmField,
    Subject,
    Text,
    model_validator,
)

__all__ = [
    "FORMAL_SCHOOL",
    "KESETARAAN",
    "RECORD_TYPES",
    "ReasonNotInSchool",
    "SchoolStatus",
    "StatusSekolah",
]

SchoolStatus = Literal[
    "paud",
    "sd",
    "smp",
    "sma",
    "smk",
    "slb",
    "paket-a",
    "paket-b",
    "paket-c",
    "tidak-sekolah",
]
"""Where a child is enrolled now (SD includes MI, SMP MTs, SMA MA, SMK MAK)."""

ReasonNotInSchool = Literal[
    "biaya",
    "bekerja",
    "disabilitas",
    "jarak",
    "menikah",
    "tidak-berminat",
    "tamat-pendidikan-menengah",
    "lainnya",
]
"""Why a child is not in school."""

FORMAL_SCHOOL: tuple[str, ...] = ("sd", "smp", "sma", "smk", "slb")
"""Formal school levels from SD upwards (SLB included)."""

KESETARAAN: tuple[str, ...] = ("paket-a", "paket-b", "paket-c")
"""Equivalency programmes."""


class StatusSekolah(RecordValue):
    """A child's enrolment on the day of the record, or why the child is not in school."""

    status: SchoolStatus = Field(
        description=(
            "Jenjang yang sedang diikuti, atau tidak sekolah / Level enrolled in now, or not "
            "in school"
        )
    )
    institution: str | None = Field(
        default=None,
        max_length=200,
        description="Nama satuan pendidikan / Name of the school or programme",
    )
    reason_not_in_school: ReasonNotInSchool | None = Field(
        default=None,
        description=(
            "Alasan tidak sekolah (wajib bila tidak sekolah) / Reason for not being in "
            "school (required when not in school)"
        ),
    )
    dropped_out: bool | None = Field(
        default=None,
        description=(
            "Pernah sekolah lalu berhenti (putus sekolah) / Was enrolled and left (dropped out)"
        ),
    )

    @model_validator(mode="after")
    def _reason_only_when_out_of_school(self) -> Self:
        out = self.status == "tidak-sekolah"
        if out and self.reason_not_in_school is None:
            raise InvalidRecordValue(
                reason_id="alasan tidak sekolah wajib diisi",
                reason_en="the reason for not being in school is required",
            )
        if not out and (self.reason_not_in_school is not None or self.dropped_out is not None):
            raise InvalidRecordValue(
                reason_id="alasan dan putus sekolah hanya diisi bila tidak sekolah",
                reason_en="the reason and drop-out are only recorded for a child not in school",
            )
        return self


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        code="pendidikan.status-sekolah",
        title=Text("Status sekolah anak", "Child's school status"),
        description=Text(
            "Jenjang pendidikan yang sedang diikuti anak, atau alasan anak tidak sekolah; "
            "dicatat kader minimal sekali setahun untuk anak usia 4–18 tahun.",
            "The level a child is enrolled in, or why the child is not in school; recorded "
            "by a kader at least once a year for children aged 4–18.",
        ),
        field=SpmField.PENDIDIKAN,
        subject=Subject.RESIDENT,
        value_schema=StatusSekolah,
        specific=True,
    ),
)
"""Every education record type."""
