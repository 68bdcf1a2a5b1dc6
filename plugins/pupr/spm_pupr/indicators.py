"""Public-works indicators a posyandu can observe household by household.

Lampiran I counts *penduduk* (people) with access; a posyandu records the source and the
toilet once per household, so these indicators are about households and count their
members (``Counting.MEMBERS``): every person living in a household with access counts
once. A household with no record is not counted as served: unknown access is not access.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    Compare,
    Counting,
    Everyone,
    Indicator,
    LatestValue,
    Op,
    PeriodKind,
    SpmField,
    Subject,
    Text,
)
from spm_pupr.records import GROUNDWATER_IMPROVED, IMPROVED_ANY_DISTANCE, TREATED_DISPOSAL
from spm_pupr.services import LAMPIRAN_I, PP_7

__all__ = ["INDICATORS"]

_SOURCE = "pupr.sumber-air-minum"

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
            "Rumah tangga yang kakusnya (sendiri, bersama atau umum) terakhir tercatat "
            "dibuang ke tangki septik (SPALD setempat) atau jaringan perpipaan (SPALD "
            "terpusat). Keteraturan penyedotan tangki septik tidak diperiksa di sini.",
            "Households whose toilet (own, shared or public) was last recorded as "
            "discharging into a septic tank (on-site system) or a sewer network. Regular "
            "desludging of the tank is not checked here.",
        ),
        field=SpmField.PUPR,
        service_type="pupr.air-limbah",
        subject=Subject.HOUSEHOLD,
        denominator=Everyone(),
        numerator=LatestValue("pupr.sanitasi", Compare("disposal", Op.IN, TREATED_DISPOSAL)),
        period_kind=PeriodKind.YEAR,
        counts=Counting.MEMBERS,
        legal_basis=(PP_7, LAMPIRAN_I),
    ),
)
"""Every public-works indicator."""
