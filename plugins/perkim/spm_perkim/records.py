"""What a kader or the housing office records about a household's home.

``perkim.kondisi-rumah`` carries what the RTLH (rumah tidak layak huni) criteria look at:
floor, wall and roof materials, floor area per person and a toilet/bathing facility.
``perkim.dampak-bencana`` and ``perkim.penanganan-rumah`` follow a disaster-hit home from
the damage to the housing service of Lampiran II.
"""

from __future__ import annotations

from typing import Literal

from spm_core.plugin_api import Field, RecordType, RecordValue, SpmField, Subject, Text
from spm_perkim.services import LAMPIRAN_II

__all__ = [
    "RECORD_TYPES",
    "UNFIT_FLOORS",
    "UNFIT_ROOFS",
    "UNFIT_WALLS",
    "DampakBencana",
    "KondisiRumah",
    "PenangananRumah",
    "TerkenaRelokasi",
]

UNFIT_FLOORS: tuple[str, ...] = ("tanah", "bambu")
"""Floor materials that make a house unfit to live in (RTLH)."""

UNFIT_WALLS: tuple[str, ...] = ("anyaman-bambu", "seng")
"""Wall materials that make a house unfit to live in (RTLH)."""

UNFIT_ROOFS: tuple[str, ...] = ("jerami-ijuk-rumbia", "bambu")
"""Roof materials that make a house unfit to live in (RTLH)."""


class KondisiRumah(RecordValue):
    """The materials, size and facilities of a household's home."""

    floor_material: Literal[
        "keramik-granit-marmer",
        "ubin-tegel-teraso",
        "semen-bata",
        "kayu-papan",
        "bambu",
        "tanah",
        "lainnya",
    ] = Field(description="Bahan lantai terluas / Main floor material")
    wall_material: Literal[
        "tembok",
        "plesteran-anyaman-bambu",
        "kayu-papan",
        "anyaman-bambu",
        "seng",
        "lainnya",
    ] = Field(description="Bahan dinding terluas / Main wall material")
    roof_material: Literal[
        "beton",
        "genteng",
        "asbes",
        "seng",
        "kayu-sirap",
        "bambu",
        "jerami-ijuk-rumbia",
        "lainnya",
    ] = Field(description="Bahan atap terluas / Main roof material")
    floor_area_m2: float = Field(
        gt=0, le=10_000, description="Luas lantai rumah (m²) / Floor area of the home (m²)"
    )
    occupants: int = Field(
        ge=1, le=100, description="Jumlah penghuni / Number of people living in the home"
    )
    has_mck: bool = Field(
        description=(
            "Memiliki fasilitas mandi, cuci, kakus (MCK) sendiri / Has its own bathing, "
            "washing and toilet facility"
        )
    )

    @property
    def floor_area_per_person_m2(self) -> float:
        """Return the floor area per occupant in m² (Kota Bekasi's RTLH criteria: under 9)."""
        return self.floor_area_m2 / self.occupants


class DampakBencana(RecordValue):
    """Damage a disaster did to a household's home."""

    disaster: Literal[
        "banjir",
        "tanah-longsor",
        "gempa-bumi",
        "tsunami",
        "letusan-gunung-api",
        "angin-puting-beliung",
        "kebakaran",
        "lainnya",
    ] = Field(description="Jenis bencana / Kind of disaster")
    damage: Literal["ringan", "sedang", "berat"] = Field(
        description="Tingkat kerusakan rumah / Damage to the home (light, medium, severe)"
    )
    unsafe_site: bool = Field(
        default=False,
        description=(
            "Lokasi rumah tidak aman untuk dibangun kembali (perlu relokasi) / The site is "
            "unsafe to rebuild on (relocation needed)"
        ),
    )
    tenure: Literal["milik", "sewa", "lainnya"] = Field(
        description="Status kepemilikan rumah / Tenure (owned, rented, other)"
    )


class TerkenaRelokasi(RecordValue):
    """A household that must leave its home for a programme of the regional government."""

    programme: str = Field(
        min_length=1,
        max_length=200,
        description="Program pemerintah daerah penyebab relokasi / The regional programme",
    )
    tenure: Literal["milik", "sewa", "lainnya"] = Field(
        description="Status kepemilikan rumah / Tenure (owned, rented, other)"
    )


class PenangananRumah(RecordValue):
    """The housing service a household received (recorded by the housing office)."""

    reason: Literal["bencana", "relokasi-program"] = Field(
        description=(
            "Dasar layanan: korban bencana atau relokasi program pemerintah daerah / Why: "
            "disaster victim or relocated by a regional programme"
        )
    )
    form: Literal["pembangunan-baru", "pembangunan-kembali", "rehabilitasi", "akses-sewa"] = Field(
        description=(
            "Bentuk layanan / Form of service (new build, rebuild, rehabilitation, rental access)"
        )
    )
    completed: bool = Field(
        description="Rumah layak huni telah diterima / The livable home has been handed over"
    )


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        code="perkim.kondisi-rumah",
        title=Text("Kondisi rumah", "Condition of the home"),
        description=Text(
            "Bahan lantai, dinding dan atap, luas lantai per penghuni dan fasilitas MCK: "
            "dasar identifikasi rumah tidak layak huni (RTLH).",
            "Floor, wall and roof materials, floor area per occupant and a toilet/bathing "
            "facility: what identifying a house unfit to live in (RTLH) looks at.",
        ),
        field=SpmField.PERKIM,
        subject=Subject.HOUSEHOLD,
        value_schema=KondisiRumah,
    ),
    RecordType(
        code="perkim.dampak-bencana",
        title=Text("Kerusakan rumah akibat bencana", "Disaster damage to the home"),
        field=SpmField.PERKIM,
        subject=Subject.HOUSEHOLD,
        value_schema=DampakBencana,
        legal_basis=(LAMPIRAN_II,),
    ),
    RecordType(
        code="perkim.terkena-relokasi",
        title=Text("Terkena relokasi program pemda", "Relocated by a regional programme"),
        field=SpmField.PERKIM,
        subject=Subject.HOUSEHOLD,
        value_schema=TerkenaRelokasi,
        legal_basis=(LAMPIRAN_II,),
        description=Text(
            "Dicatat pada hari rumah tangga ditetapkan terkena relokasi.",
            "Recorded on the day the household is designated for relocation.",
        ),
    ),
    RecordType(
        code="perkim.penanganan-rumah",
        title=Text("Layanan rumah layak huni", "Livable-housing service received"),
        field=SpmField.PERKIM,
        subject=Subject.HOUSEHOLD,
        value_schema=PenangananRumah,
        legal_basis=(LAMPIRAN_II,),
    ),
)
"""Every housing record type."""
