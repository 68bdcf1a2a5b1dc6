"""Public-works indicators a posyandu can observe household by household.

Lampiran I counts *penduduk* (people) with access; a posyandu records the source and the
toilet once per household, so these indicators are about households and count their
members (``Counting.MEMBERS``): every person living in a household with access counts
once. A household with no record is not counted as served: unknown access is not access.
Waste water counts as treated on site (SPALD-S) only with a desludging recorded within
:data:`~spm_pupr.records.DESLUDGING_MONTHS` months, as the SPALD-S definition includes
periodic desludging.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    Compare,
    Counting,
    Everyone,
    HasRecord,
    Indicator,
    LastMonths,
    LatestValue,
    Op,
    PeriodKind,
    SpmField,
    Subject,
    Text,
)
from spm_pupr.records import (
    DESLUDGING_BASIS,
    DESLUDGING_MONTHS,
    GROUNDWATER_IMPROVED,
    IMPROVED_ANY_DISTANCE,
)
from spm_pupr.services import LAMPIRAN_I, PP_7

__all__ = ["INDICATORS"]

_SOURCE = "pupr.sumber-air-minum"
_SANITATION = "pupr.sanitasi"

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="pupr.air-minum",
        title=Text(
            "Penduduk dengan akses air minum layak",
            "Residents with access to an improved drinking-water source",
        ),
        description=Text(
            "Rumah tangga yang sumber air minum terakhir tercatatnya layak: perpipaan, "
            "kran/hidran umum, terminal air, air hujan, atau sumur bor/pompa, sumur "
            "terlindung dan mata air terlindung yang berjarak lebih dari 10 m dari tangki "
            "septik atau penampungan limbah.",
            "Households whose latest recorded drinking-water source is improved: piped "
            "water, a public tap or hydrant, a water terminal, rainwater, or a drilled/pump "
            "well, protected well or protected spring more than 10 m from a septic tank or "
            "waste pit.",
        ),
        field=SpmField.PUPR,
        service_type="pupr.air-minum",
        subject=Subject.HOUSEHOLD,
        denominator=Everyone(),
        numerator=(
            LatestValue(_SOURCE, Compare("source", Op.IN, IMPROVED_ANY_DISTANCE))
            | (
                LatestValue(_SOURCE, Compare("source", Op.IN, GROUNDWATER_IMPROVED))
                & LatestValue(_SOURCE, Compare("waste_pit_within_10m", Op.EQ, False))
            )
        ),
        period_kind=PeriodKind.YEAR,
        counts=Counting.MEMBERS,
        legal_basis=(PP_7, LAMPIRAN_I),
    ),
    Indicator(
        code="pupr.air-limbah",
        title=Text(
            "Penduduk dengan layanan pengolahan air limbah domestik",
            "Residents served by domestic waste-water treatment",
        ),
        description=Text(
            "Penduduk dalam rumah tangga yang kakusnya (sendiri, bersama atau umum) terakhir "
            "tercatat tersalur ke jaringan air limbah (SPALD terpusat), atau ke tangki septik "
            "yang disedot dalam 36 bulan terakhir (SPALD setempat dengan penyedotan berkala).",
            "Persons in households whose toilet (own, shared or public) was last recorded as "
            "discharging into a sewer (SPALD-T), or into a septic tank desludged within the "
            "last 36 months (SPALD-S with periodic desludging).",
        ),
        field=SpmField.PUPR,
        service_type="pupr.air-limbah",
        subject=Subject.HOUSEHOLD,
        denominator=Everyone(),
        numerator=(
            LatestValue(_SANITATION, Compare("disposal", Op.EQ, "spald-t"))
            | (
                LatestValue(_SANITATION, Compare("disposal", Op.EQ, "tangki-septik"))
                & HasRecord("pupr.penyedotan-tinja", window=LastMonths(DESLUDGING_MONTHS))
            )
        ),
        period_kind=PeriodKind.YEAR,
        counts=Counting.MEMBERS,
        legal_basis=(PP_7, LAMPIRAN_I, DESLUDGING_BASIS),
    ),
    Indicator(
        code="pupr.penduduk-tanpa-jamban",
        title=Text(
            "Penduduk tanpa akses jamban — pemantauan posyandu",
            "Residents without access to a toilet — posyandu monitoring",
        ),
        description=Text(
            "Penduduk dalam rumah tangga yang catatan sanitasi terakhirnya menyatakan tidak "
            "ada kakus (buang air besar sembarangan). Semakin kecil semakin baik; indikator "
            "pemantauan posyandu untuk menemukan rumah tangga yang perlu dirujuk.",
            "Persons in households whose latest sanitation record says there is no toilet "
            "(open defecation). Lower is better: a posyandu monitoring indicator to find "
            "households to refer.",
        ),
        field=SpmField.PUPR,
        service_type=None,
        subject=Subject.HOUSEHOLD,
        denominator=Everyone(),
        numerator=LatestValue(_SANITATION, Compare("toilet", Op.EQ, "tidak-ada")),
        period_kind=PeriodKind.YEAR,
        counts=Counting.MEMBERS,
        legal_basis=(PP_7, LAMPIRAN_I),
    ),
)
"""Every public-works indicator."""
