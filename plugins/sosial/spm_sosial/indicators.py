"""Social indicators a posyandu can observe: neglected people reached by rehabilitation.

The regulation's pattern is "% [recipient group] that obtained basic social
rehabilitation outside institutions": served ÷ the group's population × 100.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgeBetween,
    AgeUnit,
    Compare,
    HasRecord,
    Indicator,
    LatestValue,
    Op,
    PeriodKind,
    SpmField,
    Subject,
    Text,
    Window,
)
from spm_sosial.services import PERMENSOS_9_2018, PP_10

__all__ = ["INDICATORS"]


def _rehabilitated(group: str) -> HasRecord:
    return HasRecord(
        "sosial.rehabilitasi-sosial",
        window=Window.PERIOD,
        where=(Compare("group", Op.EQ, group), Compare("setting", Op.EQ, "luar-panti")),
    )


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="sosial.disabilitas-telantar",
        title=Text(
            "Penyandang disabilitas telantar yang memperoleh rehabilitasi sosial dasar di "
            "luar panti",
            "Neglected persons with disabilities who received basic social rehabilitation "
            "outside institutions",
        ),
        field=SpmField.SOSIAL,
        service_type="sosial.disabilitas-telantar",
        subject=Subject.RESIDENT,
        denominator=LatestValue("sosial.disabilitas", Compare("neglected", Op.EQ, True)),
        numerator=_rehabilitated("disabilitas"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_10, PERMENSOS_9_2018),
    ),
    Indicator(
        code="sosial.lansia-telantar",
        title=Text(
            "Lanjut usia telantar yang memperoleh rehabilitasi sosial dasar di luar panti",
            "Neglected older people who received basic social rehabilitation outside institutions",
        ),
        field=SpmField.SOSIAL,
        service_type="sosial.lansia-telantar",
        subject=Subject.RESIDENT,
        denominator=AgeBetween(60, None, AgeUnit.YEARS)
        & LatestValue("sosial.lansia-telantar", Compare("neglected", Op.EQ, True)),
        numerator=_rehabilitated("lanjut-usia"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_10, PERMENSOS_9_2018),
    ),
)
"""Every social indicator."""
