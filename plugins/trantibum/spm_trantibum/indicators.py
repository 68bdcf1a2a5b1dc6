"""Public-order, disaster and fire indicators a posyandu can observe.

The recipients of the two disaster-prevention services are the **citizens** of
disaster-prone areas: the posyandu records the hazard and the service once per
household, and each indicator counts the household's members (``Counting.MEMBERS``). A
household counts when its latest hazard record places it in such an area.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    Compare,
    Counting,
    HasRecord,
    Indicator,
    LatestValue,
    LegalBasis,
    Op,
    PeriodKind,
    SpmField,
    Subject,
    Text,
    Window,
)
from spm_trantibum.services import (
    PERMENDAGRI_101_2018,
    PERMENDAGRI_114_2018,
    PERMENDAGRI_121_2018,
    PP_9,
)

__all__ = ["FIRE_RESPONSE_MINUTES", "INDICATORS"]

FIRE_RESPONSE_MINUTES = 15
"""The response-time norm of the fire service: from the report to arrival and action."""

_RESPONSE_NORM = LegalBasis(
    "Permendagri 114/2018",
    confirmed=False,
    note=(
        "The 15-minute response-time norm comes from older fire regulations and is "
        "unconfirmed under the current text; a region can correct FIRE_RESPONSE_MINUTES. "
        "The regulation counts fire events; a posyandu sees the households they hit, so "
        "this indicator counts households hit by a fire in the period, served when a fire "
        "of theirs was handled by the fire service or trained volunteers in time."
    ),
)

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
        code="trantibum.ketertiban-umum",
        title=Text(
            "Warga terdampak penegakan Perda/Perkada yang mendapat layanan ketenteraman dan "
            "ketertiban umum",
            "Residents affected by the enforcement of regional rules who received the "
            "public-order service",
        ),
        description=Text(
            "Warga yang tercatat terdampak penegakan Perda/Perkada dalam periode dan telah "
            "mendapat layanan sesuai standar.",
            "Residents recorded as affected by the enforcement of a regional rule in the "
            "period who received the service to standard.",
        ),
        field=SpmField.TRANTIBUM,
        service_type="trantibum.ketertiban-umum",
        subject=Subject.RESIDENT,
        denominator=HasRecord("trantibum.terdampak-ketertiban", window=Window.PERIOD),
        numerator=HasRecord(
            "trantibum.terdampak-ketertiban",
            window=Window.PERIOD,
            where=(Compare("served", Op.EQ, True),),
        ),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_9, PERMENDAGRI_121_2018),
    ),
    Indicator(
        code="trantibum.informasi-rawan-bencana",
        title=Text(
            "Warga di kawasan rawan bencana yang mendapat informasi rawan bencana",
            "Residents of disaster-prone areas who received hazard information",
        ),
        description=Text(
            "Penduduk dalam rumah tangga yang catatan terakhirnya berada di kawasan rawan "
            "bencana dan yang mendapat informasi rawan bencana dalam periode.",
            "Persons in households whose latest record places them in a disaster-prone area "
            "and that received hazard information in the period.",
        ),
        field=SpmField.TRANTIBUM,
        service_type="trantibum.informasi-rawan-bencana",
        subject=Subject.HOUSEHOLD,
        denominator=_IN_HAZARD_ZONE,
        numerator=_served("informasi-rawan-bencana"),
        period_kind=PeriodKind.YEAR,
        counts=Counting.MEMBERS,
        legal_basis=(PP_9, PERMENDAGRI_101_2018),
    ),
    Indicator(
        code="trantibum.kesiapsiagaan-bencana",
        title=Text(
            "Warga di kawasan rawan bencana yang mendapat layanan pencegahan dan kesiapsiagaan",
            "Residents of disaster-prone areas who received prevention and preparedness services",
        ),
        description=Text(
            "Penduduk dalam rumah tangga di kawasan rawan bencana yang mendapat layanan "
            "pencegahan dan kesiapsiagaan (penyuluhan, simulasi, pelatihan) dalam periode.",
            "Persons in households of disaster-prone areas that received prevention and "
            "preparedness services (information, drills, training) in the period.",
        ),
        field=SpmField.TRANTIBUM,
        service_type="trantibum.pencegahan-kesiapsiagaan-bencana",
        subject=Subject.HOUSEHOLD,
        denominator=_IN_HAZARD_ZONE,
        numerator=_served("pencegahan-kesiapsiagaan"),
        period_kind=PeriodKind.YEAR,
        counts=Counting.MEMBERS,
        legal_basis=(PP_9, PERMENDAGRI_101_2018),
    ),
    Indicator(
        code="trantibum.penyelamatan-evakuasi-bencana",
        title=Text(
            "Korban bencana yang diselamatkan dan dievakuasi",
            "Disaster victims rescued and evacuated",
        ),
        description=Text(
            "Warga yang tercatat sebagai korban bencana dalam periode dan diselamatkan atau "
            "dievakuasi sesuai standar.",
            "Residents recorded as disaster victims in the period who were rescued or "
            "evacuated to standard.",
        ),
        field=SpmField.TRANTIBUM,
        service_type="trantibum.penyelamatan-evakuasi-bencana",
        subject=Subject.RESIDENT,
        denominator=HasRecord("trantibum.korban-bencana", window=Window.PERIOD),
        numerator=HasRecord(
            "trantibum.korban-bencana",
            window=Window.PERIOD,
            where=(Compare("rescued_evacuated", Op.EQ, True),),
        ),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_9, PERMENDAGRI_101_2018),
    ),
    Indicator(
        code="trantibum.kebakaran",
        title=Text(
            "Rumah tangga korban kebakaran yang ditangani dalam waktu tanggap",
            "Households hit by a fire that was handled within the response time",
        ),
        description=Text(
            "Rumah tangga yang rumahnya terkena kebakaran dalam periode dan kebakarannya "
            "ditangani Damkar atau relawan kebakaran dalam 15 menit sejak laporan diterima.",
            "Households whose home a fire hit in the period, the fire handled by the fire "
            "service or trained fire volunteers within 15 minutes of the report.",
        ),
        field=SpmField.TRANTIBUM,
        service_type="trantibum.penyelamatan-evakuasi-kebakaran",
        subject=Subject.HOUSEHOLD,
        denominator=HasRecord("trantibum.kejadian-kebakaran", window=Window.PERIOD),
        numerator=HasRecord(
            "trantibum.kejadian-kebakaran",
            window=Window.PERIOD,
            where=(
                Compare("handled_by", Op.IN, ("damkar", "relawan-kebakaran")),
                Compare("response_minutes", Op.LE, FIRE_RESPONSE_MINUTES),
            ),
        ),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_9, PERMENDAGRI_114_2018, _RESPONSE_NORM),
    ),
)
"""Every public-order and protection indicator: one per kab/kota service."""
