"""The tables of spm-core, one module per aggregate.

ORM classes stay inside :mod:`spm_core.store`; callers receive the frozen values of
:mod:`spm_core.store.values`.
"""

from spm_core.store.tables.audit import AuditRow
from spm_core.store.tables.pembina import ActionPlanRow
from spm_core.store.tables.people import DomicileRow, HouseholdRow, MembershipRow, ResidentRow
from spm_core.store.tables.planning import QualityInputRow, TargetRow
from spm_core.store.tables.posyandu import PosyanduFieldRow, PosyanduRow
from spm_core.store.tables.privacy import RetentionRuleRow, SubjectRequestRow
from spm_core.store.tables.record import RecordRow
from spm_core.store.tables.referral import ReferralEventRow, ReferralRow
from spm_core.store.tables.wilayah import WilayahRow

__all__ = [
    "ActionPlanRow",
    "AuditRow",
    "DomicileRow",
    "HouseholdRow",
    "MembershipRow",
    "PosyanduFieldRow",
    "PosyanduRow",
    "QualityInputRow",
    "RecordRow",
    "ReferralEventRow",
    "ReferralRow",
    "ResidentRow",
    "RetentionRuleRow",
    "SubjectRequestRow",
    "TargetRow",
    "WilayahRow",
]
