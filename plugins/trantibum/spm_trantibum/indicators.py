"""Disaster-service indicators a posyandu can observe household by household.

The recipients of both services are the citizens of disaster-prone areas; a household
counts when its latest hazard record places it in such an area.
"""

from __future__ import annotations

from spm_core.plugin_api import (
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
from spm_trantibum.services import PERMENDAGRI_101_2018, PP_9

__all__ = ["INDICATORS"]

_IN_HAZARD_ZONE = LatestValue(
    "trantibum.rawan-bencana", Compare("in_hazard_zone", Op.EQ, True), window=Window.EVER
)


def _served(service: str) -> HasRecord:
    return HasRecord(
        "trantibum.layanan-bencana",
        window=Window.PERIOD,
        where=(Compare("service", Op.EQ, service),),
    )


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="trantibum.informasi-rawan-bencana",
        title=Text(
            "Rumah tangga di kawasan rawan bencana yang mendapat informasi rawan bencana",
            "Households in disaster-prone areas that received hazard information",
        ),
        field=SpmField.TRANTIBUM,
        service_type="trantibum.informasi-rawan-bencana",
        subject=Subject.HOUSEHOLD,
        denominator=_IN_HAZARD_ZONE,
        numerator=_served("informasi-rawan-bencana"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_9, PERMENDAGRI_101_2018),
    ),
    Indicator(
        code="trantibum.kesiapsiagaan-bencana",
        title=Text(
            "Rumah tangga di kawasan rawan bencana yang mendapat layanan pencegahan dan "
            "kesiapsiagaan",
            "Households in disaster-prone areas that received prevention and preparedness services",
        ),
        field=SpmField.TRANTIBUM,
        service_type="trantibum.pencegahan-kesiapsiagaan-bencana",
        subject=Subject.HOUSEHOLD,
        denominator=_IN_HAZARD_ZONE,
        numerator=_served("pencegahan-kesiapsiagaan"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_9, PERMENDAGRI_101_2018),
    ),
)
"""Every public-order and protection indicator."""
