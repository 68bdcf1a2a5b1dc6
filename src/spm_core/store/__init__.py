"""Storage on SQLite and PostgreSQL: tables, migrations, scoped and audited access.

Open a store with :func:`open_store`; every read and write goes through a
:class:`Store` method that takes an actor (and, for writes, a purpose). Values come back
as the frozen classes of :mod:`spm_core.store.values`.
"""

from spm_core.store._core import MAX_PAGE
from spm_core.store._export import ExportTable
from spm_core.store._incident import IncidentRows
from spm_core.store._plans import ActionPlan, Commitment
from spm_core.store._privacy import Erasure
from spm_core.store._referrals import Router, Submission
from spm_core.store._research import FieldPlan, ResearchRecord, ResearchRow
from spm_core.store.bulk import BulkResult
from spm_core.store.declare import AccessDeclaration, declaration
from spm_core.store.engine import DEFAULT_URL, open_store
from spm_core.store.repositories import Store
from spm_core.store.values import (
    AuditEntry,
    Domicile,
    FieldPeriod,
    Household,
    Membership,
    Posyandu,
    QualityInput,
    Record,
    Referral,
    ReferralContext,
    ReferralCount,
    ReferralEvent,
    Resident,
    RetentionRule,
    RouteTarget,
    SubjectRef,
    SubjectRequest,
    Target,
    Wilayah,
)

__all__ = [
    "DEFAULT_URL",
    "MAX_PAGE",
    "AccessDeclaration",
    "ActionPlan",
    "AuditEntry",
    "BulkResult",
    "Commitment",
    "Domicile",
    "Erasure",
    "ExportTable",
    "FieldPeriod",
    "FieldPlan",
    "Household",
    "IncidentRows",
    "Membership",
    "Posyandu",
    "QualityInput",
    "Record",
    "Referral",
    "ReferralContext",
    "ReferralCount",
    "ReferralEvent",
    "ResearchRecord",
    "ResearchRow",
    "Resident",
    "RetentionRule",
    "RouteTarget",
    "Router",
    "Store",
    "SubjectRef",
    "SubjectRequest",
    "Submission",
    "Target",
    "Wilayah",
    "declaration",
    "open_store",
]
