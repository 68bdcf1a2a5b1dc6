"""Public-works needs a kader can raise, the agency roles that act on them, default routes.

The SPM holder for drinking water and waste water is the public-works office (its name
and split differ by region); a household on the piped network whose water is poor goes
to the water utility that runs the network.
"""

from __future__ import annotations

from spm_core.plugin_api import (
    AgencyRole,
    Compare,
    LatestValue,
    NeedType,
    Op,
    RoutingRule,
    SpmField,
    Subject,
    Text,
)
from spm_pupr.services import LAMPIRAN_I, PP_7

__all__ = ["AGENCY_ROLES", "NEED_TYPES", "ROUTING_RULES"]

AGENCY_ROLES: tuple[AgencyRole, ...] = (
    AgencyRole(
        code="dinas-pu",
        title=Text("Dinas Pekerjaan Umum", "Public works office"),
        field=SpmField.PUPR,
        description=Text(
            "Perangkat daerah yang memegang SPM air minum dan air limbah domestik (Dinas "
            "PUPR, Cipta Karya, atau nama lain di daerah).",
            "The agency holding the SPM for drinking water and domestic waste water (public "
            "works, human settlements, or another name locally).",
        ),
    ),
    AgencyRole(
        code="air-minum",
        title=Text("Penyelenggara air minum (PDAM/Perumda)", "Water utility (PDAM/Perumda)"),
        field=SpmField.PUPR,
        description=Text(
            "Badan usaha milik daerah yang menyelenggarakan SPAM jaringan perpipaan.",
            "The regionally owned utility running the piped drinking-water network.",
        ),
    ),
)
"""Public-works agency roles."""

NEED_TYPES: tuple[NeedType, ...] = (
    NeedType(
        code="pupr.air-minum-tidak-layak",
        title=Text("Air minum tidak layak", "No improved drinking water"),
        description=Text(
            "Rumah tangga tanpa sumber air minum layak, atau dengan air yang tidak cukup "
            "untuk kebutuhan pokok sehari-hari.",
            "A household without an improved drinking-water source, or without enough "
            "water for basic daily needs.",
        ),
        field=SpmField.PUPR,
        subject=Subject.HOUSEHOLD,
        service_type="pupr.air-minum",
        legal_basis=(PP_7, LAMPIRAN_I),
    ),
    NeedType(
        code="pupr.tanpa-jamban",
        title=Text("Rumah tangga tanpa jamban", "Household without a toilet"),
        description=Text(
            "Rumah tangga yang tidak memiliki akses kakus, atau kakusnya tidak tersalur ke "
            "tangki septik maupun jaringan air limbah.",
            "A household with no toilet, or whose toilet discharges into neither a septic "
            "tank nor a sewer.",
        ),
        field=SpmField.PUPR,
        subject=Subject.HOUSEHOLD,
        service_type="pupr.air-limbah",
        legal_basis=(PP_7, LAMPIRAN_I),
    ),
)
"""Public-works need types."""

ROUTING_RULES: tuple[RoutingRule, ...] = (
    *(
        RoutingRule(
            code=f"{need.code}.default",
            title=Text(f"{need.title.id} → Dinas PU", f"{need.title.en} → public works office"),
            need_type=need.code,
            roles="dinas-pu",
        )
        for need in NEED_TYPES
    ),
    RoutingRule(
        code="pupr.air-minum-tidak-layak.perpipaan",
        title=Text(
            "Air minum perpipaan tidak layak → PDAM/Perumda",
            "Poor piped drinking water → water utility",
        ),
        need_type="pupr.air-minum-tidak-layak",
        roles="air-minum",
        when=LatestValue("pupr.sumber-air-minum", Compare("source", Op.EQ, "perpipaan")),
        priority=1,
    ),
)
"""National default routes; piped households go to the water utility first."""
