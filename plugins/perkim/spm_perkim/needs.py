"""Housing needs a kader can raise, the agency role that acts on them, default routes.

Two routes, as the field requires: disaster housing is an SPM service; the general
rehabilitation of houses unfit to live in (RTLH/Rutilahu) is not, yet Posyandu 6 SPM
identifies such houses and the housing office runs the programme (BSPS, APBD Rutilahu).

A home a **flood** damaged fans out: the housing office rebuilds, the disaster agency
(``bpbd``, a role of the trantibum plugin) assesses and assists. Households designated
for relocation by a regional programme go to the housing office.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgencyRole,
    Compare,
    HasRecord,
    LastMonths,
    LatestValue,
    LegalBasis,
    NeedType,
    Op,
    RoutingRule,
    SpmField,
    Subject,
    Text,
)
from spm_perkim.records import UNFIT_FLOORS, UNFIT_ROOFS, UNFIT_WALLS
from spm_perkim.services import LAMPIRAN_II, PP_8

_HOME = "perkim.kondisi-rumah"
_YEAR = LastMonths(12)

__all__ = ["AGENCY_ROLES", "FLOOD_FAN_OUT", "NEED_TYPES", "ROUTING_RULES"]

AGENCY_ROLES: tuple[AgencyRole, ...] = (
    AgencyRole(
        code="dinas-perkim",
        title=Text("Dinas Perumahan dan Kawasan Permukiman", "Housing and settlements office"),
        field=SpmField.PERKIM,
        description=Text(
            "Dinas perumahan rakyat dan kawasan permukiman (Disperkim/Disperkimtan): rumah "
            "layak huni korban bencana dan relokasi, serta program Rutilahu.",
            "The housing and settlements office: livable housing for disaster victims and "
            "relocated households, and the RTLH rehabilitation programme.",
        ),
    ),
)
"""Housing agency roles."""

NEED_TYPES: tuple[NeedType, ...] = (
    NeedType(
        code="perkim.rtlh",
        title=Text("Rumah tidak layak huni (RTLH)", "House unfit to live in (RTLH)"),
        description=Text(
            "Rumah yang tidak memenuhi syarat layak huni (lantai tanah, dinding bambu atau "
            "kayu murah, terlalu sempit per penghuni, tanpa MCK). Bukan jenis pelayanan "
            "dasar SPM; ditangani program rehabilitasi rumah (BSPS, Rutilahu APBD).",
            "A house that fails livability (earth floor, bamboo or cheap timber walls, too "
            "little floor area per occupant, no toilet/bathing facility). Not an SPM "
            "service; handled by house-rehabilitation programmes (BSPS, regional Rutilahu).",
        ),
        field=SpmField.PERKIM,
        subject=Subject.HOUSEHOLD,
        service_type=None,
        trigger=(
            LatestValue(_HOME, Compare("floor_material", Op.IN, UNFIT_FLOORS), window=_YEAR)
            | LatestValue(_HOME, Compare("wall_material", Op.IN, UNFIT_WALLS), window=_YEAR)
            | LatestValue(_HOME, Compare("roof_material", Op.IN, UNFIT_ROOFS), window=_YEAR)
            | LatestValue(_HOME, Compare("has_mck", Op.EQ, False), window=_YEAR)
        ),
        legal_basis=(
            LegalBasis(
                "Permen PUPR 07/PRT/M/2018",
                note="Bantuan Stimulan Perumahan Swadaya (BSPS) and its successors.",
            ),
            LegalBasis(
                "Permendagri 13/2024",
                confirmed=False,
                note=(
                    "Posyandu scope 'identifikasi dan rehabilitasi RTLH', as two Posyandu 6 "
                    "SPM implementations present it; not checked against the text."
                ),
            ),
        ),
    ),
    NeedType(
        code="perkim.rumah-rusak-bencana",
        title=Text("Rumah rusak akibat bencana", "Home damaged by a disaster"),
        description=Text(
            "Rumah tangga yang rumahnya rusak atau hilang akibat bencana dan memerlukan "
            "rumah layak huni (SPM).",
            "A household whose home a disaster damaged or destroyed and that needs a "
            "livable home (SPM).",
        ),
        field=SpmField.PERKIM,
        subject=Subject.HOUSEHOLD,
        service_type="perkim.rumah-korban-bencana",
        legal_basis=(PP_8, LAMPIRAN_II),
        trigger=HasRecord("perkim.dampak-bencana", window=LastMonths(12))
        & ~HasRecord(
            "perkim.penanganan-rumah",
            window=LastMonths(12),
            where=(Compare("reason", Op.EQ, "bencana"), Compare("completed", Op.EQ, True)),
        ),
    ),
    NeedType(
        code="perkim.relokasi",
        title=Text(
            "Rumah tangga terkena relokasi program pemda",
            "Household relocated by a regional programme",
        ),
        description=Text(
            "Rumah tangga yang harus pindah karena program pemerintah kabupaten/kota dan "
            "memerlukan fasilitasi rumah layak huni (SPM).",
            "A household that must move for a kab/kota programme and needs help to a "
            "livable home (SPM).",
        ),
        field=SpmField.PERKIM,
        subject=Subject.HOUSEHOLD,
        service_type="perkim.rumah-relokasi",
        legal_basis=(PP_8, LAMPIRAN_II),
    ),
)
"""Housing need types: one outside SPM (RTLH), two SPM (disaster and relocation housing)."""

_DEFAULT_ROUTES: tuple[RoutingRule, ...] = tuple(
    RoutingRule(
        code=f"{need.code}.default",
        title=Text(f"{need.title.id} → Dinas Perkim", f"{need.title.en} → housing office"),
        need_type=need.code,
        roles="dinas-perkim",
    )
    for need in NEED_TYPES
)
"""National default routes: every housing need to the housing office."""

FLOOD_FAN_OUT = RoutingRule(
    code="perkim.rumah-rusak-bencana.banjir",
    title=Text(
        "Rumah rusak banjir → Dinas Perkim dan BPBD",
        "Flood-damaged home → housing office and disaster agency",
    ),
    need_type="perkim.rumah-rusak-bencana",
    roles=("dinas-perkim", "bpbd"),
    when=LatestValue("perkim.dampak-bencana", Compare("disaster", Op.EQ, "banjir")),
    priority=1,
)
"""A home a flood damaged goes to the housing office *and* the disaster agency."""

ROUTING_RULES: tuple[RoutingRule, ...] = (*_DEFAULT_ROUTES, FLOOD_FAN_OUT)
"""Every housing route: the national defaults and the flood fan-out."""
