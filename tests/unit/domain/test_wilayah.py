"""Region codes: structure, hierarchy and lookups, worked on real Bekasi codes."""

from __future__ import annotations

import pytest

from spm_core.domain import (
    REGION_LIST_SOURCE,
    KodeWilayah,
    VillageKind,
    WilayahInfo,
    WilayahLevel,
    children,
    lookup,
)
from spm_core.errors import InvalidRegionCode, UnknownRegion
from spm_core.testing.strategies import SAMPLE_REGION_CODES

BEKASIJAYA = KodeWilayah("32.75.01.1001")
KOTA_BEKASI = KodeWilayah("32.75")
KAB_BEKASI = KodeWilayah("32.16")

KOTA_BEKASI_KECAMATAN = [
    "Bekasi Timur", "Bekasi Barat", "Bekasi Utara", "Bekasi Selatan", "Rawalumbu",
    "Medansatria", "Bantargebang", "Pondokgede", "Jatiasih", "Jatisampurna", "Mustikajaya",
    "Pondokmelati",
]  # fmt: skip
KAB_BEKASI_KECAMATAN = [
    "Tarumajaya", "Babelan", "Sukawangi", "Tambelang", "Tambun Utara", "Tambun Selatan",
    "Cibitung", "Cikarang Barat", "Cikarang Utara", "Karang Bahagia", "Cikarang Timur",
    "Kedung Waringin", "Pebayuran", "Sukakarya", "Sukatani", "Cabangbungin", "Muaragembong",
    "Setu", "Cikarang Selatan", "Cikarang Pusat", "Serang Baru", "Cibarusah", "Bojongmangu",
]  # fmt: skip


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize(
    ("text", "canonical", "level"),
    [
        ("32", "32", WilayahLevel.PROVINSI),
        ("3275", "32.75", WilayahLevel.KABUPATEN_KOTA),
        ("32.75", "32.75", WilayahLevel.KABUPATEN_KOTA),
        ("327501", "32.75.01", WilayahLevel.KECAMATAN),
        ("3275011001", "32.75.01.1001", WilayahLevel.DESA_KELURAHAN),
        (" 32.75.01.1001 ", "32.75.01.1001", WilayahLevel.DESA_KELURAHAN),
    ],
)
def test_parse_accepts_dotted_and_undotted(text: str, canonical: str, level: WilayahLevel) -> None:
    code = KodeWilayah.parse(text)
    assert code.value == str(code) == canonical
    assert code.level is level
    assert code.digits == canonical.replace(".", "")
    assert KodeWilayah.is_valid(text)


@pytest.mark.parametrize(
    ("text", "reason_en"),
    [
        ("", "it is empty"),
        ("  ", "it is empty"),
        ("327", "it has 3 digits; a region code has 2, 4, 6 or 10 digits"),
        ("32750110011", "it has 11 digits"),
        ("32.75.01.1001.01", "it has 5 parts"),
        ("3275.01", "the province part '3275' must be 2 digits"),
        ("32.7", "the regency/city part '7' must be 2 digits"),
        ("32..75", "the regency/city part '' must be 2 digits"),
        ("32.75.1", "the district (kecamatan) part '1' must be 2 digits"),
        ("32.75.01.101", "the village (desa/kelurahan) part '101' must be 4 digits"),
        ("32.75.0A", "the district (kecamatan) part '0A' must be 2 digits"),
        ("32/75", "only digits and dots"),
        ("Kota Bekasi", "only digits and dots"),
        ("09", "province code 09 does not exist"),
        ("32.00", "regency/city code 00 does not exist"),
        ("32.75.00", "district (kecamatan) code 00 does not exist"),
        ("32.75.01.0001", "must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)"),
        ("3275015001", "must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)"),
    ],
)
def test_bad_structure_says_what_is_wrong(text: str, reason_en: str) -> None:
    with pytest.raises(InvalidRegionCode) as caught:
        KodeWilayah.parse(text)
    assert reason_en in caught.value.message_en
    assert caught.value.message_id.startswith("Kode wilayah")
    assert caught.value.message_id != caught.value.message_en
    assert not KodeWilayah.is_valid(text)


@pytest.mark.parametrize("value", [None, 3275, 32.75])
def test_non_text_is_rejected(value: object) -> None:
    with pytest.raises(InvalidRegionCode):
        KodeWilayah.parse(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["3275", "32.75.01.1001 ", "32.7.5"])
def test_constructor_takes_canonical_form_only(text: str) -> None:
    with pytest.raises(InvalidRegionCode):
        KodeWilayah(text)


def test_require_known_names_the_list() -> None:
    assert KodeWilayah.parse("32.75.01", require_known=True) == KodeWilayah("32.75.01")
    with pytest.raises(UnknownRegion) as caught:
        KodeWilayah.parse("32.75.99", require_known=True)
    assert caught.value.code == "unknown-region"
    assert caught.value.context["source"] == "Kepmendagri 300.2.2-2138/2025"
    assert "32.75.99" in caught.value.message_id
    with pytest.raises(InvalidRegionCode):
        KodeWilayah.parse("32.75.9", require_known=True)
    assert KodeWilayah.parse("32.75.99") == KodeWilayah("32.75.99")


# --------------------------------------------------------------------------- hierarchy


def test_parent_and_ancestors() -> None:
    assert BEKASIJAYA.parent == KodeWilayah("32.75.01")
    assert BEKASIJAYA.ancestors() == (
        KodeWilayah("32.75.01"),
        KodeWilayah("32.75"),
        KodeWilayah("32"),
    )
    assert KodeWilayah("32").parent is None
    assert KodeWilayah("32").ancestors() == ()


def test_at_level() -> None:
    assert BEKASIJAYA.at_level(WilayahLevel.KABUPATEN_KOTA) == KOTA_BEKASI
    assert BEKASIJAYA.at_level(WilayahLevel.DESA_KELURAHAN) == BEKASIJAYA
    with pytest.raises(InvalidRegionCode):
        KOTA_BEKASI.at_level(WilayahLevel.KECAMATAN)


def test_contains() -> None:
    assert KOTA_BEKASI.contains(BEKASIJAYA)
    assert KOTA_BEKASI.contains(KOTA_BEKASI)
    assert KodeWilayah("32").contains(KAB_BEKASI)
    assert not KAB_BEKASI.contains(BEKASIJAYA)
    assert not BEKASIJAYA.contains(KOTA_BEKASI)
    assert not KodeWilayah("32.75.01").contains(KodeWilayah("32.75.02.1001"))


def test_kota_and_kabupaten() -> None:
    assert KOTA_BEKASI.is_kota
    assert not KOTA_BEKASI.is_kabupaten
    assert KAB_BEKASI.is_kabupaten
    assert not KAB_BEKASI.is_kota
    assert BEKASIJAYA.is_kota
    assert KodeWilayah("31.71").is_kota
    province = KodeWilayah("32")
    assert not province.is_kota
    assert not province.is_kabupaten


def test_village_kind() -> None:
    assert BEKASIJAYA.village_kind is VillageKind.KELURAHAN
    assert KodeWilayah("32.16.06.2004").village_kind is VillageKind.DESA
    assert KodeWilayah("91.03.01.3010").village_kind is VillageKind.DESA_ADAT
    assert KOTA_BEKASI.village_kind is None
    assert VillageKind.DESA_ADAT.label.id == "Desa adat"


def test_codes_sort_parent_first() -> None:
    codes = [BEKASIJAYA, KAB_BEKASI, KodeWilayah("32"), KOTA_BEKASI, KodeWilayah("32.75.01")]
    assert [str(c) for c in sorted(codes)] == ["32", "32.16", "32.75", "32.75.01", "32.75.01.1001"]


def test_levels_have_bilingual_labels() -> None:
    assert [lvl.label.id for lvl in WilayahLevel] == [
        "Provinsi",
        "Kabupaten/Kota",
        "Kecamatan",
        "Desa/Kelurahan",
    ]
    assert WilayahLevel.PROVINSI.label.en == "Province"
    assert int(WilayahLevel.DESA_KELURAHAN) == 4


# --------------------------------------------------------------------------- lookups


def test_bekasijaya_is_in_kecamatan_bekasi_timur_kota_bekasi() -> None:
    info = lookup(BEKASIJAYA)
    assert info == WilayahInfo(
        code=BEKASIJAYA,
        name="Bekasijaya",
        level=WilayahLevel.DESA_KELURAHAN,
        kind="kelurahan",
        path="Bekasijaya, Bekasi Timur, Kota Bekasi, Jawa Barat",
        postal_code="17112",
    )
    assert lookup("3275011001") == info
    assert BEKASIJAYA.name() == "Bekasijaya"
    assert BEKASIJAYA.parent is not None
    assert BEKASIJAYA.parent.name() == "Bekasi Timur"
    assert KOTA_BEKASI.name() == "Kota Bekasi"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("32", "provinsi"),
        ("32.75", "kota"),
        ("32.16", "kabupaten"),
        ("32.16.06", "kecamatan"),
        ("91.03.01", "distrik"),
        ("32.16.06.2004", "desa"),
        ("91.03.01.3010", "desa_adat"),
    ],
)
def test_kinds_follow_the_list(text: str, kind: str) -> None:
    info = lookup(text)
    assert info is not None
    assert info.kind == kind


def test_kota_bekasi_has_12_kecamatan_and_56_kelurahan() -> None:
    kecamatan = children(KOTA_BEKASI)
    assert [k.name for k in kecamatan] == KOTA_BEKASI_KECAMATAN
    assert all(k.level is WilayahLevel.KECAMATAN and k.kind == "kecamatan" for k in kecamatan)
    villages = [v for k in kecamatan for v in children(k.code)]
    assert len(villages) == 56
    assert {v.code.village_kind for v in villages} == {VillageKind.KELURAHAN}
    assert all(KOTA_BEKASI.contains(v.code) for v in villages)


def test_kabupaten_bekasi_has_23_kecamatan() -> None:
    kecamatan = children("32.16")
    assert [k.name for k in kecamatan] == KAB_BEKASI_KECAMATAN
    villages = [v for k in kecamatan for v in children(k.code)]
    kinds = [v.code.village_kind for v in villages]
    assert (kinds.count(VillageKind.KELURAHAN), kinds.count(VillageKind.DESA)) == (8, 179)


def test_children_of_nothing_are_the_38_provinces() -> None:
    provinces = children()
    assert len(provinces) == 38
    assert provinces[0].code == KodeWilayah("11")
    assert all(p.level is WilayahLevel.PROVINSI for p in provinces)


def test_children_of_a_village_are_none() -> None:
    assert children(BEKASIJAYA) == ()


def test_unknown_codes_look_up_as_none() -> None:
    assert lookup("32.75.99") is None
    assert KodeWilayah("91.01").name() is None  # Kab. Fakfak's code before 2022
    with pytest.raises(InvalidRegionCode):
        lookup("32.7")


def test_source_is_the_2025_kepmendagri() -> None:
    assert REGION_LIST_SOURCE == "Kepmendagri No. 300.2.2-2138 Tahun 2025"


@pytest.mark.parametrize("text", SAMPLE_REGION_CODES)
def test_strategy_sample_codes_are_real(text: str) -> None:
    info = lookup(text)
    assert info is not None
    assert info.code == KodeWilayah(text)
    assert info.level is KodeWilayah(text).level
