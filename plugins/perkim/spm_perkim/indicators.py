"""Housing indicators: homes of disaster victims and of relocated households made livable.

**The year of the damage.** Rehabilitation and reconstruction take time: a home a flood
damaged in December is rarely rebuilt by 31 December. A household counts for the year in
which its home was damaged (or it was designated for relocation), and it is served for
that year when the livable home is handed over **in that year or within the three
months after it** — up to 31 March, the month the annual SPM report (LPPD) is due, three
months after the year ends (domain reference §1.4). A report made before then counts the
hand-overs recorded so far. A household served later still has its service recorded but
counts as not served in the year of the damage.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    Compare,
    Counting,
    Everyone,
    HasRecord,
    Indicator,
    LatestValue,
    LegalBasis,
    Op,
    PeriodAndAfter,
    PeriodKind,
    SpmField,
    Subject,
    Text,
    Window,
)
from spm_perkim.records import UNFIT_FLOORS, UNFIT_ROOFS, UNFIT_WALLS
from spm_perkim.services import LAMPIRAN_II, PP_8

__all__ = ["GRACE_MONTHS", "INDICATORS"]

GRACE_MONTHS = 3
"""Months after the year in which a hand-over still counts for the year (see above)."""

_WORDING = LegalBasis(
    "Permen PUPR 29/PRT/M/2018",
    "Lampiran II",
    confirmed=False,
    note=(
        "The indicator follows the Lampiran II pattern; its exact wording is unconfirmed. "
        "A hand-over within 3 months after the year counts for the year of the damage or "
        "relocation (the annual report is due 3 months after the year ends): a reading of "
        "this library, stated so a region can change it."
    ),
    source="id.scribd.com/document/525600371",
)

_RTLH = LegalBasis(
    "Permen PUPR 07/PRT/M/2018",
    confirmed=False,
    note=(
        "RTLH criteria used by Disperkimtan Kota Bekasi (earth floor, bamboo walls, no "
        "toilet/bathing facility; gobekasi.pojoksatu.id 2017). The crowding criterion "
        "(under 9 m² per person) is not applied: it needs a ratio the record does not hold."
    ),
)


def _handed_over(reason: str) -> HasRecord:
    return HasRecord(
        "perkim.penanganan-rumah",
        window=PeriodAndAfter(GRACE_MONTHS),
        where=(Compare("reason", Op.EQ, reason), Compare("completed", Op.EQ, True)),
    )


def _home(field: str, values: tuple[str, ...]) -> LatestValue:
    return LatestValue("perkim.kondisi-rumah", Compare(field, Op.IN, values))


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="perkim.rumah-korban-bencana",
        title=Text(
            "Rumah tangga korban bencana yang memperoleh rumah layak huni",
            "Disaster-hit households that obtained a livable home",
        ),
        description=Text(
            "Rumah tangga yang rumahnya rusak akibat bencana dalam tahun berjalan dan telah "
            "menerima rumah layak huni (pembangunan baru, pembangunan kembali, rehabilitasi "
            "atau akses sewa) dalam tahun yang sama atau paling lambat 3 bulan sesudahnya.",
            "Households whose home was damaged by a disaster in the year and that received "
            "a livable home (new build, rebuild, rehabilitation or rental access) in the "
            "same year or at most 3 months after it.",
        ),
        field=SpmField.PERKIM,
        service_type="perkim.rumah-korban-bencana",
        subject=Subject.HOUSEHOLD,
        denominator=HasRecord("perkim.dampak-bencana", window=Window.PERIOD),
        numerator=_handed_over("bencana"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_8, LAMPIRAN_II, _WORDING),
    ),
    Indicator(
        code="perkim.rumah-relokasi",
        title=Text(
            "Rumah tangga terkena relokasi program pemda yang difasilitasi rumah layak huni",
            "Households relocated by a regional programme given a livable home",
        ),
        description=Text(
            "Rumah tangga yang ditetapkan terkena relokasi program pemerintah kabupaten/kota "
            "dalam tahun berjalan dan telah menerima rumah layak huni (atau akses sewa) "
            "dalam tahun yang sama atau paling lambat 3 bulan sesudahnya.",
            "Households designated in the year for relocation by a kab/kota programme that "
            "received a livable home (or rental access) in the same year or at most 3 "
            "months after it.",
        ),
        field=SpmField.PERKIM,
        service_type="perkim.rumah-relokasi",
        subject=Subject.HOUSEHOLD,
        denominator=HasRecord("perkim.terkena-relokasi", window=Window.PERIOD),
        numerator=_handed_over("relokasi-program"),
        period_kind=PeriodKind.YEAR,
        legal_basis=(PP_8, LAMPIRAN_II, _WORDING),
    ),
    Indicator(
        code="perkim.penduduk-rtlh",
        title=Text(
            "Penduduk di rumah tidak layak huni (RTLH) — pemantauan posyandu",
            "Residents in houses unfit to live in (RTLH) — posyandu monitoring",
        ),
        description=Text(
            "Penduduk dalam rumah tangga yang catatan kondisi rumah terakhirnya berlantai "
            "tanah atau bambu, berdinding anyaman bambu atau seng, beratap jerami/ijuk/rumbia "
            "atau bambu, atau tanpa MCK. Bukan pelayanan dasar SPM; semakin kecil semakin "
            "baik.",
            "Persons in households whose latest home record shows an earth or bamboo floor, "
            "woven-bamboo or zinc walls, a thatch or bamboo roof, or no toilet/bathing "
            "facility. Not an SPM service; lower is better.",
        ),
        field=SpmField.PERKIM,
        service_type=None,
        subject=Subject.HOUSEHOLD,
        denominator=Everyone(),
        numerator=(
            _home("floor_material", UNFIT_FLOORS)
            | _home("wall_material", UNFIT_WALLS)
            | _home("roof_material", UNFIT_ROOFS)
            | LatestValue("perkim.kondisi-rumah", Compare("has_mck", Op.EQ, False))
        ),
        period_kind=PeriodKind.YEAR,
        counts=Counting.MEMBERS,
        legal_basis=(_RTLH,),
    ),
)
"""Every housing indicator: the two kab/kota services and the RTLH monitoring."""
