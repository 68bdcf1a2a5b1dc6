"""Housing indicators a posyandu can observe: homes of disaster victims made livable."""

from __future__ import annotations

from spm_core.plugin_api import (
    Compare,
    HasRecord,
    Indicator,
    LegalBasis,
    Op,
    PeriodKind,
    SpmField,
    Subject,
    Text,
    Window,
)
from spm_perkim.services import LAMPIRAN_II, PP_8

__all__ = ["INDICATORS"]

_WORDING = LegalBasis(
    "Permen PUPR 29/PRT/M/2018",
    "Lampiran II",
    confirmed=False,
    note="The indicator follows the Lampiran II pattern; its exact wording is unconfirmed.",
    source="id.scribd.com/document/525600371",
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="perkim.rumah-korban-bencana",
        title=Text(
            "Rumah tangga korban bencana yang memperoleh rumah layak huni",
            "Disaster-hit households that obtained a livable home",
        ),
        description=Text(
            "Rumah tangga yang rumahnya rusak akibat bencana dalam tahun berjalan dan telah "
            "menerima layanan rumah layak huni (pembangunan baru, pembangunan kembali, "
            "rehabilitasi atau akses sewa) dalam tahun yang sama.",
            "Households whose home was damaged by a disaster in the year and that received "
            "a livable-housing service (new build, rebuild, rehabilitation or rental "
            "access) in the same year.",
        ),
        field=SpmField.PERKIM,
        service_type="perkim.rumah-korban-bencana",
        subject=Subject.HOUSEHOLD,
        denominator=HasRecord("perkim.dampak-bencana", window=Window.PERIOD),
        numerator=HasRecord(
            "perkim.penanganan-rumah",
            window=Window.PERIOD,
            where=(Compare("reason", Op.EQ, "bencana"), Compare("completed", Op.EQ, True)),
        ),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_8, LAMPIRAN_II, _WORDING),
    ),
)
"""Every housing indicator."""
