"""What plugins contribute, as pure frozen values.

Every definition is an attrs frozen class with a stable ``code``, a bilingual
``title``, its ``legal_basis`` and ``validity`` where it encodes law, and its
``provenance`` (filled in by the catalog). The engines that interpret them (SQL
compiler, reference evaluator, routing) live in higher layers.
"""

from spm_core.definitions._base import CODE_PATTERN, Definition
from spm_core.definitions.achievement import BANDS, AchievementRule, Aggregation, Band
from spm_core.definitions.adjust import Adjustment, CatalogAdjuster
from spm_core.definitions.agencies import Agency, AgencyRole
from spm_core.definitions.calendar import JointLeaveDay
from spm_core.definitions.check import FieldKind, ValueField, check_indicators, field_kind
from spm_core.definitions.expr import (
    AgeBetween,
    AliveAndDomiciled,
    Anchor,
    AnchorKind,
    And,
    AnyHouseholdMember,
    BornIn,
    Compare,
    DaysAfter,
    DaysOfAge,
    Everyone,
    Expr,
    ExternalTarget,
    HasRecord,
    InHousehold,
    LastMonths,
    LatestValue,
    Node,
    Not,
    Op,
    Or,
    PeriodAndAfter,
    RecordCount,
    Reference,
    SexIs,
    Window,
    WindowSpec,
    expr_from_dict,
    expr_to_dict,
)
from spm_core.definitions.indicators import Counting, Indicator, TargetDefinition
from spm_core.definitions.legal import (
    ALWAYS,
    LegalBasis,
    PluginLevel,
    Provenance,
    Validity,
    scope_label,
)
from spm_core.definitions.needs import DEFAULT_SHARED_FIELDS, SHAREABLE_FIELDS, NeedType
from spm_core.definitions.plugin import PluginInfo
from spm_core.definitions.records import RecordType, RecordValue
from spm_core.definitions.routing import RoutingRule
from spm_core.definitions.serialize import definition_to_dict
from spm_core.definitions.services import FieldDefinition, ServiceType
from spm_core.definitions.validators import Check, Validator

DEFINITION_KINDS: tuple[type[Definition], ...] = (
    FieldDefinition,
    ServiceType,
    RecordType,
    Indicator,
    NeedType,
    AgencyRole,
    Agency,
    RoutingRule,
    Validator,
    TargetDefinition,
    JointLeaveDay,
    AchievementRule,
)
"""Every kind of definition, in dependency order (referenced kinds first)."""

__all__ = [
    "ALWAYS",
    "BANDS",
    "CODE_PATTERN",
    "DEFAULT_SHARED_FIELDS",
    "DEFINITION_KINDS",
    "SHAREABLE_FIELDS",
    "AchievementRule",
    "Adjustment",
    "AgeBetween",
    "Agency",
    "AgencyRole",
    "Aggregation",
    "AliveAndDomiciled",
    "Anchor",
    "AnchorKind",
    "And",
    "AnyHouseholdMember",
    "Band",
    "BornIn",
    "CatalogAdjuster",
    "Check",
    "Compare",
    "Counting",
    "DaysAfter",
    "DaysOfAge",
    "Definition",
    "Everyone",
    "Expr",
    "ExternalTarget",
    "FieldDefinition",
    "FieldKind",
    "HasRecord",
    "InHousehold",
    "Indicator",
    "JointLeaveDay",
    "LastMonths",
    "LatestValue",
    "LegalBasis",
    "NeedType",
    "Node",
    "Not",
    "Op",
    "Or",
    "PeriodAndAfter",
    "PluginInfo",
    "PluginLevel",
    "Provenance",
    "RecordCount",
    "RecordType",
    "RecordValue",
    "Reference",
    "RoutingRule",
    "ServiceType",
    "SexIs",
    "TargetDefinition",
    "Validator",
    "Validity",
    "ValueField",
    "Window",
    "WindowSpec",
    "check_indicators",
    "definition_to_dict",
    "expr_from_dict",
    "expr_to_dict",
    "field_kind",
    "scope_label",
]
