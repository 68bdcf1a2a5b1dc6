"""Personal data protection (UU PDP 27/2022): subject rights, research extracts, incidents.

* :func:`read_resident`, :func:`read_records` — purpose-bound reads, logged with row
  counts when they touch specific data;
* :func:`export_subject` — all data and the processing log of one resident, as
  schema-valid JSON (:class:`SubjectExport`), other household members redacted;
* :func:`erase_subject` — erase a resident in every table, or refuse with the legal
  basis (recorded) while a retention duty applies; :func:`restrict_subject` and the
  request log with the 3 × 24 hour deadline;
* :func:`research_extract` — pseudonymised rows (HMAC-SHA-256 per project), coarse
  dates and places, CSV or Parquet, and tables with complementary small-cell
  suppression;
* :func:`incident_report` — which residents and data categories an actor, a key or an
  export touched in a time window (Ps. 46);
* :mod:`spm_core.privacy.categories` — which data is specific, per record type and
  per column;

This engine sits beside indicators and referrals and imports neither.
"""

from spm_core.privacy.categories import (
    COLUMN_CATEGORIES,
    SPECIFIC_CATEGORIES,
    column_category,
    record_category,
    record_type_category,
)
from spm_core.privacy.export import SubjectExport, export_subject, subject_export_schema
from spm_core.privacy.incident import IncidentReport, incident_report
from spm_core.privacy.reads import needs_purpose, read_records, read_resident
from spm_core.privacy.research import (
    DROP_REASONS,
    KEY_ENVIRONMENT,
    PublishedTable,
    ResearchExtract,
    field_plan,
    load_key,
    research_extract,
)
from spm_core.privacy.rights import Erasure, erase_subject, overdue_requests, restrict_subject

__all__ = [
    "COLUMN_CATEGORIES",
    "DROP_REASONS",
    "KEY_ENVIRONMENT",
    "SPECIFIC_CATEGORIES",
    "Erasure",
    "IncidentReport",
    "PublishedTable",
    "ResearchExtract",
    "SubjectExport",
    "column_category",
    "erase_subject",
    "export_subject",
    "field_plan",
    "incident_report",
    "load_key",
    "needs_purpose",
    "overdue_requests",
    "read_records",
    "read_resident",
    "record_category",
    "record_type_category",
    "research_extract",
    "restrict_subject",
    "subject_export_schema",
]
