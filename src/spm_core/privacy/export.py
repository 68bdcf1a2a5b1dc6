"""The subject export: everything held about one resident, as schema-valid JSON.

UU PDP 27/2022 Ps. 32–33 give a data subject access to their data and to the record of
its processing; Ps. 13 asks for a common machine-readable format. :class:`SubjectExport`
is that format (its JSON Schema is :func:`subject_export_schema`); other household
members appear only as a count (Ps. 33: an answer may not reveal other people's data).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

import pydantic
from pydantic import ConfigDict, Field

from spm_core.access import Actor, Purpose
from spm_core.store import Store
from spm_core.store.declare import reads

__all__ = [
    "EXPORT_FORMAT",
    "ExportedDomicile",
    "ExportedHousehold",
    "ExportedRecord",
    "ExportedReferral",
    "ExportedReferralStep",
    "ExportedRequest",
    "ExportedResident",
    "LoggedProcessing",
    "SubjectExport",
    "export_subject",
    "subject_export_schema",
]

EXPORT_FORMAT = "spm-core/subject-export/1"
"""The name and version of the export format."""


class _Model(pydantic.BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExportedResident(_Model):
    """The resident as stored (an erased resident keeps only its id, sex and birth year)."""

    id: str
    nik: str | None = Field(description="NIK (16 digit) / national identity number")
    name: str = Field(description="Nama / name")
    sex: Literal["L", "P"]
    birth_date: date
    posyandu_id: str
    wilayah_code: str
    rt: str | None
    rw: str | None
    address: str | None
    restricted: bool = Field(description="Pemrosesan dibatasi / processing restricted")
    died_on: date | None
    moved_away_on: date | None
    erased_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class ExportedDomicile(_Model):
    """Where the resident lived, from ``since`` to ``until`` (open while null)."""

    since: date
    until: date | None
    posyandu_id: str
    wilayah_code: str
    rt: str | None
    rw: str | None


class ExportedHousehold(_Model):
    """A household the resident belongs or belonged to; other members as a count only."""

    membership_id: str
    household_id: str
    nomor_kk: str | None
    rt: str
    rw: str
    address: str | None
    relationship: int = Field(description="Hubungan dalam keluarga (SHDK) / relationship code")
    start_date: date
    end_date: date | None
    other_members: int = Field(
        description="Jumlah anggota lain (disamarkan) / number of other members (redacted)"
    )


class ExportedRecord(_Model):
    """An observation about the resident or one of their households."""

    id: str
    record_type: str
    subject: Literal["resident", "household"]
    household_id: str | None
    observed_on: date
    value: dict[str, Any]
    recorded_by: str
    created_at: datetime
    voided_at: datetime | None


class ExportedReferralStep(_Model):
    """One step of a referral's lifecycle."""

    sequence: int
    action: str
    to_status: str
    agency_code: str | None
    on: date
    detail: str | None


class ExportedReferral(_Model):
    """A need raised for the resident and what the agency did."""

    id: str
    need_type: str
    field: str
    status: str
    agency_code: str | None
    note: str | None
    reason: str | None
    outcome: str | None
    routed_on: date | None
    due_on: date | None
    closed_on: date | None
    created_at: datetime
    events: list[ExportedReferralStep]


class ExportedRequest(_Model):
    """A request the resident made, with its deadline and answer."""

    id: str
    resident_id: str
    kind: str
    status: str
    fields: list[str]
    received_at: datetime
    due_at: datetime
    closed_at: datetime | None
    legal_basis: str | None
    posyandu_id: str
    wilayah_code: str
    recorded_by: str


class LoggedProcessing(_Model):
    """One line of the processing record (UU PDP Ps. 31): field names, never values."""

    id: int
    at: datetime
    actor_id: str
    actor_role: str
    action: str
    entity: str
    entity_id: str
    purpose: str
    fields: list[str]
    row_count: int | None


class SubjectExport(_Model):
    """All data of one resident and its processing record (UU PDP Ps. 13, 32–33)."""

    format: Literal["spm-core/subject-export/1"] = "spm-core/subject-export/1"
    generated_at: datetime
    resident: ExportedResident
    domiciles: list[ExportedDomicile]
    households: list[ExportedHousehold]
    records: list[ExportedRecord]
    referrals: list[ExportedReferral]
    requests: list[ExportedRequest]
    processing_log: list[LoggedProcessing]


def subject_export_schema() -> dict[str, Any]:
    """Return the JSON Schema of :class:`SubjectExport` (part of the public API)."""
    return SubjectExport.model_json_schema()


@reads("resident", logs_itself=True)
def export_subject(
    store: Store, actor: Actor, resident_id: str, purpose: Purpose = Purpose.HAK_SUBJEK
) -> SubjectExport:
    """Return all data and the processing log of one resident, validated.

    The export is logged (action ``export``, with its row count) in the same
    transaction that reads it; the log returned ends with that line.

    Raises:
        AccessDenied: the actor is not an operator.
        NotFound: no such resident in the operator's area.
    """
    data = store.export_subject(actor, resident_id, purpose)
    generated = max((line["at"] for line in data["processing_log"]), default=None)
    return SubjectExport.model_validate(
        {**data, "generated_at": generated or datetime.now().astimezone()}
    )
