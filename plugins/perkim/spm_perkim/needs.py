"""Housing needs a kader can raise, the agency role that acts on them, default routes.

Two routes, as the field requires: disaster housing is an SPM service; the general
rehabilitation of houses unfit to live in (RTLH/Rutilahu) is not, yet Posyandu 6 SPM
identifies such houses and the housing office runs the programme (BSPS, APBD Rutilahu).
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgencyRole,
    LegalBasis,
    NeedType,
    RoutingRule,
    SpmField,
    Subject,
    Text,
)
from spm_perkim.services import LAMPIRAN_II, PP_8

__all__ = ["AGENCY_ROLES", "NEED_TYPES", "ROUTING_RULES"]

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
    ),
)
"""Housing need types: one outside SPM (RTLH), one SPM (disaster housing)."""

ROUTING_RULES: tuple[RoutingRule, ...] = tuple(
    RoutingRule(
        code=f"{need.code}.default",
        title=Text(f"{need.title.id} → Dinas Perkim", f"{need.title.en} → housing office"),
        need_type=need.code,
        roles="dinas-perkim",
    )
    for need in NEED_TYPES
)
"""National default routes: both housing needs to the housing office."""
