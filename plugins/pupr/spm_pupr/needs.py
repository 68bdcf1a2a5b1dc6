"""Public-works needs a kader can raise, the agency roles that act on them, default routes.

Regions split public works differently (Kota Bekasi: roads, drainage and water resources
in one office, DBMSDA; Kabupaten Bekasi: SDABMBK for roads and water resources, DCKTR
for drinking water, sanitation and spatial planning). So each kind of work has its own
role and a region maps each to its OPD:

* ``dinas-pu`` — the SPM holder for drinking water and domestic waste water (Cipta Karya
  or the public-works office);
* ``air-minum`` — the water utility running the piped network (PDAM/Perumda);
* ``dinas-bina-marga`` — roads (village and neighbourhood roads, bridges);
* ``dinas-sda`` — water resources and drainage (blocked or broken drains, flooding);
* ``dinas-tata-ruang`` — spatial planning (buildings on river banks or drain easements).

Roads, drains and spatial-planning findings are about a place, not a household.
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
from spm_pupr.records import DESLUDGING_MONTHS, GROUNDWATER_IMPROVED, IMPROVED_ANY_DISTANCE
from spm_pupr.services import LAMPIRAN_I, PP_7

__all__ = ["AGENCY_ROLES", "NEED_TYPES", "ROUTING_RULES"]


def _role(code: str, title: Text, description: Text) -> AgencyRole:
    return AgencyRole(code=code, title=title, field=SpmField.PUPR, description=description)


AGENCY_ROLES: tuple[AgencyRole, ...] = (
    _role(
        "dinas-pu",
        Text("Dinas Pekerjaan Umum (air minum dan air limbah)", "Public works office (water)"),
        Text(
            "Perangkat daerah yang memegang SPM air minum dan air limbah domestik (Dinas "
            "PUPR, Cipta Karya, atau nama lain di daerah).",
            "The agency holding the SPM for drinking water and domestic waste water (public "
            "works, human settlements, or another name locally).",
        ),
    ),
    _role(
        "air-minum",
        Text("Penyelenggara air minum (PDAM/Perumda)", "Water utility (PDAM/Perumda)"),
        Text(
            "Badan usaha milik daerah yang menyelenggarakan SPAM jaringan perpipaan.",
            "The regionally owned utility running the piped drinking-water network.",
        ),
    ),
    _role(
        "dinas-bina-marga",
        Text("Dinas Bina Marga (jalan)", "Roads office"),
        Text(
            "Perangkat daerah urusan jalan dan jembatan (Bina Marga, atau bagian dari dinas "
            "PUPR/DBMSDA/SDABMBK).",
            "The agency for roads and bridges (Bina Marga, or part of a public-works office).",
        ),
    ),
    _role(
        "dinas-sda",
        Text("Dinas Sumber Daya Air (drainase)", "Water resources and drainage office"),
        Text(
            "Perangkat daerah urusan sumber daya air dan drainase.",
            "The agency for water resources and drainage.",
        ),
    ),
    _role(
        "dinas-tata-ruang",
        Text("Dinas Tata Ruang", "Spatial planning office"),
        Text(
            "Perangkat daerah urusan penataan ruang (Cipta Karya dan Tata Ruang, atau nama lain).",
            "The agency for spatial planning (human settlements and spatial planning, or "
            "another name).",
        ),
    ),
)
"""Public-works agency roles, split by the kind of work."""

_SOURCE = "pupr.sumber-air-minum"
_SANITATION = "pupr.sanitasi"

_UU_38_2004 = LegalBasis(
    "UU 2/2022",
    note="Jalan (amending UU 38/2004): village and kab/kota roads. Not an SPM service.",
)
_DRAINAGE = LegalBasis(
    "Permen PUPR 12/PRT/M/2014",
    confirmed=False,
    note="Urban drainage systems. Not an SPM service; cited from memory.",
)
_SPATIAL = LegalBasis("UU 26/2007", note="Penataan ruang. Not an SPM service.")

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
        trigger=HasRecord(_SOURCE, window=LastMonths(12))
        & ~LatestValue(_SOURCE, Compare("source", Op.IN, IMPROVED_ANY_DISTANCE))
        & ~(
            LatestValue(_SOURCE, Compare("source", Op.IN, GROUNDWATER_IMPROVED))
            & LatestValue(_SOURCE, Compare("waste_pit_within_10m", Op.EQ, False))
        ),
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
        trigger=LatestValue(
            _SANITATION, Compare("toilet", Op.EQ, "tidak-ada"), window=LastMonths(12)
        )
        | LatestValue(
            _SANITATION,
            Compare("disposal", Op.IN, ("cubluk", "lubang-tanah", "kolam-sawah-sungai")),
            window=LastMonths(12),
        ),
    ),
    NeedType(
        code="pupr.penyedotan-tinja",
        title=Text("Tangki septik perlu disedot", "Septic tank due for desludging"),
        description=Text(
            "Rumah tangga bertangki septik yang tidak tercatat disedot dalam 36 bulan "
            "terakhir; penyedotan berkala adalah bagian dari SPALD setempat.",
            "A household with a septic tank not recorded as desludged in the last 36 "
            "months; periodic desludging is part of on-site treatment (SPALD-S).",
        ),
        field=SpmField.PUPR,
        subject=Subject.HOUSEHOLD,
        service_type="pupr.air-limbah",
        legal_basis=(PP_7, LAMPIRAN_I),
        trigger=LatestValue(_SANITATION, Compare("disposal", Op.EQ, "tangki-septik"))
        & ~HasRecord("pupr.penyedotan-tinja", window=LastMonths(DESLUDGING_MONTHS)),
    ),
    NeedType(
        code="pupr.jalan-rusak",
        title=Text("Jalan lingkungan rusak", "Damaged neighbourhood road"),
        description=Text(
            "Jalan desa/lingkungan atau jembatan kecil yang rusak atau belum ada, yang "
            "dilaporkan warga melalui posyandu (lokasi dan foto).",
            "A village or neighbourhood road or small bridge that is damaged or missing, "
            "reported by residents through the posyandu (location and photo).",
        ),
        field=SpmField.PUPR,
        subject=Subject.PLACE,
        service_type=None,
        legal_basis=(_UU_38_2004,),
    ),
    NeedType(
        code="pupr.drainase",
        title=Text("Saluran drainase tersumbat atau rusak", "Blocked or broken drain"),
        description=Text(
            "Saluran drainase lingkungan yang tersumbat, rusak atau tidak ada sehingga "
            "menimbulkan genangan.",
            "A neighbourhood drain that is blocked, broken or missing, so water stands.",
        ),
        field=SpmField.PUPR,
        subject=Subject.PLACE,
        service_type=None,
        legal_basis=(_DRAINAGE,),
    ),
    NeedType(
        code="pupr.pelanggaran-tata-ruang",
        title=Text(
            "Bangunan di sempadan sungai atau saluran",
            "Building on a river bank or drain easement",
        ),
        description=Text(
            "Bangunan yang berdiri di sempadan sungai, saluran atau jalan sehingga "
            "mengganggu aliran air atau keselamatan.",
            "A building on a river, drain or road easement that obstructs water flow or safety.",
        ),
        field=SpmField.PUPR,
        subject=Subject.PLACE,
        service_type=None,
        legal_basis=(_SPATIAL,),
    ),
)
"""Public-works need types: the two SPM ones with triggers, desludging, and the place
findings (roads, drains, easements)."""

_ROLE: dict[str, tuple[str, Text]] = {
    "pupr.jalan-rusak": ("dinas-bina-marga", Text("Bina Marga", "roads office")),
    "pupr.drainase": ("dinas-sda", Text("Dinas SDA", "drainage office")),
    "pupr.pelanggaran-tata-ruang": ("dinas-tata-ruang", Text("Tata Ruang", "spatial planning")),
}
_DEFAULT_ROLE = ("dinas-pu", Text("Dinas PU", "public works office"))


def _route(need: NeedType) -> RoutingRule:
    role, name = _ROLE.get(need.code, _DEFAULT_ROLE)
    return RoutingRule(
        code=f"{need.code}.default",
        title=Text(f"{need.title.id} → {name.id}", f"{need.title.en} → {name.en}"),
        need_type=need.code,
        roles=role,
    )


ROUTING_RULES: tuple[RoutingRule, ...] = (
    *(_route(need) for need in NEED_TYPES),
    RoutingRule(
        code="pupr.air-minum-tidak-layak.perpipaan",
        title=Text(
            "Air minum perpipaan tidak layak → PDAM/Perumda",
            "Poor piped drinking water → water utility",
        ),
        need_type="pupr.air-minum-tidak-layak",
        roles="air-minum",
        when=LatestValue(_SOURCE, Compare("source", Op.EQ, "perpipaan")),
        priority=1,
    ),
)
"""National default routes: water and sanitation to the public-works office (piped
households to the water utility first), roads, drains and easements to their offices."""
