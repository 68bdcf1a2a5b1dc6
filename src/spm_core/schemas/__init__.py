"""The boundary: pydantic input models, bilingual error translation and JSON Schemas.

Applications hand the store these models (or plain mappings, validated on the way in).
Every problem comes back as an :class:`~spm_core.errors.InputError` whose issues name the
row, the dotted field and the offending value in Bahasa Indonesia and English.

Example:
    >>> from spm_core.schemas import ResidentIn, validate
    >>> r = validate(ResidentIn, {"nik": "3275 0141 0190 0001", "name": " Siti ",
    ...     "sex": "p", "birth_date": "01-01-1990", "posyandu_id": "p-1", "rt": "RT 01/RW 02"})
    >>> r.nik, r.name, r.sex.value, r.rt, r.rw
    ('3275014101900001', 'Siti', 'P', '001', '002')
"""

from spm_core.schemas._normalise import control_character_issue
from spm_core.schemas.export import BOUNDARY_MODELS, RECORD_PREFIX, json_schema, schema_names
from spm_core.schemas.models import (
    FieldServedIn,
    HouseholdIn,
    MembershipIn,
    PosyanduIn,
    QualityInputIn,
    RecordIn,
    ReferralIn,
    ResidentIn,
    ResidentUpdate,
    TargetIn,
)
from spm_core.schemas.pembina import ActionPlanIn, CommitmentIn
from spm_core.schemas.translate import issues_from, issues_from_details, validate, validate_rows

__all__ = [
    "BOUNDARY_MODELS",
    "RECORD_PREFIX",
    "ActionPlanIn",
    "CommitmentIn",
    "FieldServedIn",
    "HouseholdIn",
    "MembershipIn",
    "PosyanduIn",
    "QualityInputIn",
    "RecordIn",
    "ReferralIn",
    "ResidentIn",
    "ResidentUpdate",
    "TargetIn",
    "control_character_issue",
    "issues_from",
    "issues_from_details",
    "json_schema",
    "schema_names",
    "validate",
    "validate_rows",
]
