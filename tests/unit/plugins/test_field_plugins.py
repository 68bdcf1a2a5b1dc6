"""The six national field plugins: loading, provenance, legal basis and content."""

from __future__ import annotations

import importlib.metadata as md
import json
import re
from collections import Counter
from datetime import date

import pydantic
import pytest

from spm_core.catalog import KINDS, Catalog
from spm_core.definitions import (
    AnyHouseholdMember,
    Definition,
    Expr,
    FieldDefinition,
    Indicator,
    NeedType,
    PluginLevel,
    RecordType,
    RecordValue,
    ServiceType,
)
from spm_core.domain import GovernmentLevel, SpmField, Subject
from spm_core.plugins import call_each, list_plugins, make_plugin_manager

FIELDS = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")

PP_ARTICLE = {
    "pendidikan": "Ps. 5",
    "kesehatan": "Ps. 6",
    "pupr": "Ps. 7",
    "perkim": "Ps. 8",
    "trantibum": "Ps. 9",
    "sosial": "Ps. 10",
}
"""The article of PP 2/2018 that establishes each field."""

SERVICE_TYPE_COUNTS = {
    # field: (kab/kota, provinsi) — the lists of PP 2/2018 Ps. 5–10
    "kesehatan": (12, 2),
    "pendidikan": (3, 2),
    "pupr": (2, 2),
    "perkim": (2, 2),
    "trantibum": (5, 1),
    "sosial": (5, 5),
}


def _cites_pp(definition: Definition, field: str) -> bool:
    article = PP_ARTICLE[field]
    return any(
        lb.regulation == "PP 2/2018"
        and lb.article is not None
        and (lb.article == article or lb.article.startswith(article + " "))
        for lb in definition.legal_basis
    )


def _encodes_law(definition: Definition) -> bool:
    if isinstance(definition, FieldDefinition | ServiceType | Indicator):
        return True
    return isinstance(definition, NeedType) and definition.service_type is not None


# ----------------------------------------------------------------------------- loading


def test_hook_spm_plugin_info() -> None:
    described = list_plugins(make_plugin_manager(allow=FIELDS))
    assert [d.name for d in described] == sorted(FIELDS)
    version = md.version("spm-core")
    for d in described:
        assert d.level is PluginLevel.NATIONAL
        assert d.region is None
        assert (d.distribution, d.version) == ("spm-core", version)
        assert d.title.id.startswith("SPM Bidang")
        assert d.title.en.startswith("SPM ")
        assert "spm_plugin_info" in d.hooks
        json.dumps(d.to_dict())


def test_field_plugins_are_entry_points_of_the_spm_group() -> None:
    eps = {ep.name: ep.value for ep in md.entry_points(group="spm")}
    assert {name: eps[name] for name in FIELDS} == {f: f"spm_{f}" for f in FIELDS}


def test_catalog_builds_from_the_installed_plugins(spm_catalog: Catalog) -> None:
    assert [p.name for p in spm_catalog.plugins] == sorted(FIELDS)
    assert spm_catalog.overrides == ()
    assert spm_catalog.adjustments == ()
    kinds = Counter(d.kind for d in spm_catalog)
    assert set(kinds) == set(KINDS) - {"agency", "joint_leave_day", "achievement_rule"}
    assert spm_catalog.agencies == ()


def test_every_definition_names_its_plugin(spm_catalog: Catalog) -> None:
    version = md.version("spm-core")
    for definition in spm_catalog:
        prov = definition.provenance
        assert prov is not None, definition.code
        assert prov.level is PluginLevel.NATIONAL
        assert prov.version == version
        field = getattr(definition, "field", None)
        if isinstance(field, SpmField):
            assert prov.plugin == field.value, definition.code


def test_codes_are_namespaced_by_field(spm_catalog: Catalog) -> None:
    for definition in spm_catalog:
        assert definition.provenance is not None
        plugin = definition.provenance.plugin
        if definition.kind == "field":
            assert definition.code == plugin
        elif definition.kind != "agency_role":
            assert definition.code.startswith(plugin + "."), definition.code


def test_codes_are_unique_across_plugins() -> None:
    pm = make_plugin_manager(allow=FIELDS)
    contributed = [item for _, items in call_each(pm, "spm_definitions") for item in items]
    assert {item.kind for item in contributed} == set(KINDS) - {
        "agency",
        "joint_leave_day",
        "achievement_rule",
    }
    keys = [(item.kind, item.code, item.validity) for item in contributed]
    duplicated = sorted(key for key, n in Counter(keys).items() if n > 1)
    assert duplicated == []


def test_every_definition_encoding_law_has_a_legal_basis(spm_catalog: Catalog) -> None:
    checked = 0
    for definition in spm_catalog:
        if not _encodes_law(definition):
            continue
        checked += 1
        assert definition.legal_basis, definition.code
        field = getattr(definition, "field", None)
        assert isinstance(field, SpmField)
        monitoring = isinstance(definition, Indicator) and definition.service_type is None
        if not isinstance(definition, NeedType) and not monitoring:
            assert _cites_pp(definition, field.value), definition.code
    assert checked > 60


def test_catalog_to_dict_is_json(spm_catalog: Catalog) -> None:
    data = spm_catalog.to_dict()
    assert json.loads(json.dumps(data)) == data
    # Dated versions beyond the latest: 14 health and 5 education service types, 12 health
    # and 4 education indicators.
    assert len(data["definitions"]) == len(list(spm_catalog.definitions())) == len(spm_catalog) + 35
    balita = next(
        d
        for d in data["definitions"]
        if d["code"] == "kesehatan.balita" and d["kind"] == "indicator"
    )
    assert balita["provenance"]["plugin"] == "kesehatan"
    assert balita["numerator"]["node"] == "and"


# ----------------------------------------------------------------------------- content


def test_contributed_fields(spm_catalog: Catalog) -> None:
    assert [f.code for f in spm_catalog.fields] == sorted(FIELDS)
    for field in spm_catalog.fields:
        assert field.title == field.field.label
        assert _cites_pp(field, field.code)
        assert field.confirmed


def test_contributed_service_types(spm_catalog: Catalog) -> None:
    for field, (kab_kota, provinsi) in SERVICE_TYPE_COUNTS.items():
        levels = Counter(s.level for s in spm_catalog.service_types if s.field.value == field)
        assert levels[GovernmentLevel.KABUPATEN_KOTA] == kab_kota, field
        assert levels[GovernmentLevel.PROVINSI] == provinsi, field
    for service in spm_catalog.service_types:
        assert service.recipients.id
        assert service.recipients.en


def test_health_services_cite_their_letter_of_ps_6(spm_catalog: Catalog) -> None:
    articles = {
        s.code: next(lb.article for lb in s.legal_basis if lb.regulation == "PP 2/2018")
        for s in spm_catalog.service_types
        if s.field is SpmField.KESEHATAN
    }
    assert articles["kesehatan.ibu-hamil"] == "Ps. 6 ayat (3) huruf a"
    assert articles["kesehatan.balita"] == "Ps. 6 ayat (3) huruf d"
    assert articles["kesehatan.risiko-hiv"] == "Ps. 6 ayat (3) huruf l"
    assert articles["kesehatan.klb-provinsi"] == "Ps. 6 ayat (2) huruf b"
    letters = sorted(a[-1] for code, a in articles.items() if "ayat (3)" in a)
    assert letters == list("abcdefghijkl")


def test_health_service_types_have_a_2019_and_a_2024_version(spm_catalog: Catalog) -> None:
    health = [s for s in spm_catalog.service_types if s.field is SpmField.KESEHATAN]
    assert len(health) == 14
    for service in health:
        old, new = spm_catalog.versions("service_type", service.code)
        assert {lb.regulation for lb in old.legal_basis} >= {"Permenkes 4/2019"}
        assert "Permenkes 6/2024" not in {lb.regulation for lb in old.legal_basis}
        assert "Permenkes 6/2024" in {lb.regulation for lb in new.legal_basis}
        assert (old.validity.start, old.validity.end) == (None, date(2023, 12, 31))
        assert (new.validity.start, new.validity.end) == (date(2024, 1, 1), None)
        # The day the 2024 standard took over is not known: the version says so.
        assert not new.confirmed
        assert service == new


def test_education_service_types_have_a_2018_and_a_2022_version(spm_catalog: Catalog) -> None:
    education = [s for s in spm_catalog.service_types if s.field is SpmField.PENDIDIKAN]
    assert len(education) == 5
    for service in education:
        old, new = spm_catalog.versions("service_type", service.code)
        assert [lb.regulation for lb in old.legal_basis][-1] == "Permendikbud 32/2018"
        assert not old.confirmed
        assert [lb.regulation for lb in new.legal_basis][-1] == "Permendikbudristek 32/2022"
        assert old.validity.end == date(2022, 7, 19)
        assert new.validity.start == date(2022, 7, 20)
        assert new.confirmed


def test_unconfirmed_facts_are_marked(spm_catalog: Catalog) -> None:
    # 2024 numeric changes of the health standard (ANC, nifas) are unconfirmed
    assert not spm_catalog.service_type("kesehatan.ibu-hamil").confirmed
    assert not spm_catalog.service_type("kesehatan.ibu-bersalin").confirmed
    in_2023 = spm_catalog.for_region(None, on=date(2023, 12, 31))
    assert in_2023.service_type("kesehatan.usia-lanjut").confirmed
    assert not spm_catalog.service_type("kesehatan.usia-lanjut").confirmed  # 2024: start date
    # whether Permendagri 59/2021 revoked the trantibum standards is unconfirmed
    for service in spm_catalog.service_types:
        if service.field is SpmField.TRANTIBUM:
            assert not service.confirmed, service.code
            assert any("59/2021" in (lb.note or "") for lb in service.legal_basis)
    # the APS level split of the 2025 priority indicators is unconfirmed
    assert not spm_catalog.indicator("pendidikan.aps-5-6").confirmed
    # the perkim indicator's exact wording is unconfirmed
    assert not spm_catalog.indicator("perkim.rumah-korban-bencana").confirmed
    # the items of basic social rehabilitation are unconfirmed one by one
    assert not spm_catalog.record_type("sosial.rehabilitasi-sosial").confirmed
    for definition in spm_catalog:
        for lb in definition.legal_basis:
            assert lb.confirmed or lb.note, (definition.code, lb)


def test_education_follows_the_2022_standard(spm_catalog: Catalog) -> None:
    for indicator in spm_catalog.indicators:
        if indicator.field is SpmField.PENDIDIKAN:
            assert indicator.validity.start == date(2022, 7, 20)
            assert not indicator.validity.contains(date(2022, 7, 19))
            regulations = {lb.regulation for lb in indicator.legal_basis}
            assert "Permendikbudristek 32/2022" in regulations
            assert "Permendikbud 32/2018" not in regulations


def test_contributed_record_types(spm_catalog: Catalog) -> None:
    assert {r.field.value for r in spm_catalog.record_types} == set(FIELDS)
    for record_type in spm_catalog.record_types:
        schema = record_type.value_schema
        assert issubclass(schema, RecordValue), record_type.code
        assert schema.model_config.get("extra") == "forbid"
        for name, info in schema.model_fields.items():
            assert re.fullmatch(r"[a-z][a-z0-9_]*", name), (record_type.code, name)
            assert " / " in (info.description or ""), (record_type.code, name)
        json.dumps(schema.model_json_schema())


def test_specific_personal_data_is_marked(spm_catalog: Catalog) -> None:
    specific = {r.code for r in spm_catalog.record_types if r.specific}
    for record_type in spm_catalog.record_types:
        if record_type.field in (SpmField.KESEHATAN, SpmField.SOSIAL):
            assert record_type.code in specific
    assert "pendidikan.status-sekolah" in specific
    assert "pupr.sumber-air-minum" not in specific


def _record_types_in(expr: Expr, *, via_member: bool = False) -> set[tuple[str, bool]]:
    """Return (record type, reached through a household member) for every record node."""
    via_member = via_member or isinstance(expr, AnyHouseholdMember)
    found: set[tuple[str, bool]] = set()
    code = getattr(expr, "record_type", None)
    if isinstance(code, str):
        found.add((code, via_member))
    for child in expr.children():
        found |= _record_types_in(child, via_member=via_member)
    return found


def test_contributed_indicators(spm_catalog: Catalog) -> None:
    assert {i.field.value for i in spm_catalog.indicators} == set(FIELDS)
    for indicator in spm_catalog.indicators:
        if indicator.service_type is not None:  # None: a monitoring indicator
            service = spm_catalog.service_type(indicator.service_type)
            assert service.field is indicator.field, indicator.code
            assert service.level is GovernmentLevel.KABUPATEN_KOTA
        for expr in (indicator.denominator, indicator.numerator):
            for code, via_member in _record_types_in(expr):
                record_type = spm_catalog.record_type(code)
                expected = Subject.RESIDENT if via_member else indicator.subject
                assert record_type.subject is expected, (indicator.code, code)
        text = indicator.numerator.describe()
        assert text.id != text.en


def test_contributed_need_types(spm_catalog: Catalog) -> None:
    needs = {n.code: n for n in spm_catalog.need_types}
    assert needs["perkim.rtlh"].service_type is None
    assert needs["perkim.rumah-rusak-bencana"].service_type == "perkim.rumah-korban-bencana"
    assert needs["sosial.alat-bantu-dengar"].field is SpmField.SOSIAL
    assert needs["pendidikan.anak-tidak-sekolah"].field is SpmField.PENDIDIKAN
    assert needs["pupr.tanpa-jamban"].field is SpmField.PUPR
    assert {"kesehatan.gizi-buruk", "kesehatan.balita-tidak-ditimbang"} <= set(needs)
    for need in needs.values():
        assert need.legal_basis, need.code
        if need.service_type is not None:
            assert spm_catalog.service_type(need.service_type).field is need.field


def test_contributed_agency_roles(spm_catalog: Catalog) -> None:
    roles = {r.code: r.field for r in spm_catalog.agency_roles}
    assert roles == {
        "dinas-kesehatan": SpmField.KESEHATAN,
        "puskesmas": SpmField.KESEHATAN,
        "dinas-pendidikan": SpmField.PENDIDIKAN,
        "dinas-pu": SpmField.PUPR,
        "air-minum": SpmField.PUPR,
        "dinas-perkim": SpmField.PERKIM,
        "satpol-pp": SpmField.TRANTIBUM,
        "bpbd": SpmField.TRANTIBUM,
        "damkar": SpmField.TRANTIBUM,
        "dinas-sosial": SpmField.SOSIAL,
        "dppkb": SpmField.KESEHATAN,
        "pembina-posyandu": SpmField.KESEHATAN,
        "dinas-pendidikan-provinsi": SpmField.PENDIDIKAN,
        "dinas-bina-marga": SpmField.PUPR,
        "dinas-sda": SpmField.PUPR,
        "dinas-tata-ruang": SpmField.PUPR,
        "dp3a": SpmField.TRANTIBUM,
        "disdukcapil": SpmField.SOSIAL,
    }


def test_contributed_routing_rules(spm_catalog: Catalog) -> None:
    defaults = {
        r.need_type: r.roles for r in spm_catalog.routing_rules if r.area is None and r.when is None
    }
    assert set(defaults) == {n.code for n in spm_catalog.need_types}
    assert defaults["sosial.alat-bantu-dengar"] == ("dinas-sosial",)
    assert defaults["perkim.rtlh"] == ("dinas-perkim",)
    assert defaults["perkim.rumah-rusak-bencana"] == ("dinas-perkim",)
    assert defaults["pendidikan.anak-tidak-sekolah"] == ("dinas-pendidikan",)
    assert defaults["pupr.tanpa-jamban"] == ("dinas-pu",)
    assert defaults["kesehatan.gizi-buruk"] == ("puskesmas",)
    assert defaults["trantibum.korban-kebakaran"] == ("damkar",)
    piped = spm_catalog.routing_rule("pupr.air-minum-tidak-layak.perpipaan")
    assert (piped.roles, piped.priority, piped.when is not None) == (("air-minum",), 1, True)


def test_contributed_validators(spm_catalog: Catalog) -> None:
    (bmi,) = spm_catalog.validators_for("kesehatan.penimbangan")
    assert list(bmi.check({"weight_kg": 11.0, "height_cm": 84.0})) == []
    assert list(bmi.check({"weight_kg": 11.0})) == []
    (notice,) = bmi.check({"weight_kg": 110.0, "height_cm": 84.0})
    assert notice.code == "weight-height-implausible"
    assert notice.field == "weight_kg"
    assert notice.value == "110.0"
    assert "84" in notice.message_id
    assert "84" in notice.message_en

    pressure = spm_catalog.validators_for("kesehatan.skrining")
    assert [
        n.code for v in pressure for n in v.check({"systolic_mmhg": 80, "diastolic_mmhg": 120})
    ] == ["blood-pressure-swapped"]
    anc = spm_catalog.validators_for("kesehatan.pemeriksaan-kehamilan")
    assert {n.code for v in anc for n in v.check({"gestational_age_weeks": 43})} == {
        "gestational-age-post-term"
    }
    (fire,) = spm_catalog.validators_for("trantibum.kejadian-kebakaran")
    assert [n.code for n in fire.check({"handled_by": "damkar", "response_minutes": None})] == [
        "fire-response-time-missing"
    ]
    assert list(fire.check({"handled_by": "damkar", "response_minutes": 12})) == []
    (device,) = spm_catalog.validators_for("sosial.disabilitas")
    codes = [
        n.code for n in device.check({"devices_needed": ("kruk",), "devices_owned": ("kruk",)})
    ]
    assert codes == ["device-owned-and-needed"]
    (neglect,) = spm_catalog.validators_for("sosial.lansia-telantar")
    assert [n.code for n in neglect.check({"neglected": False, "basic_needs_met": False})] == [
        "neglect-inconsistent"
    ]
    for validator in spm_catalog.validators:
        spm_catalog.record_type(validator.record_type)


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("kesehatan.penimbangan", {"weight_kg": 0}),
        ("kesehatan.penimbangan", {"weight_kg": 12.0, "height_cm": 400}),
        ("kesehatan.penimbangan", {"weight_kg": 12.0, "colour": "blue"}),
        ("kesehatan.imunisasi", {"vaccine": "bcg-2"}),
        ("kesehatan.pemeriksaan-kehamilan", {"gestational_age_weeks": 0, "examiner": "bidan"}),
        ("pendidikan.status-sekolah", {"status": "tidak-sekolah"}),
        ("pendidikan.status-sekolah", {"status": "sd", "reason_not_in_school": "biaya"}),
        ("pupr.sumber-air-minum", {"source": "sumur-terlindung"}),
        ("pupr.sanitasi", {"toilet": "sendiri"}),
        ("pupr.sanitasi", {"toilet": "tidak-ada", "disposal": "cubluk"}),
        ("pupr.sanitasi", {"toilet": "umum", "disposal": "spald-t", "septic_desludged": True}),
        (
            "perkim.kondisi-rumah",
            {
                "floor_material": "tanah",
                "wall_material": "tembok",
                "roof_material": "seng",
                "floor_area_m2": 36,
                "occupants": 0,
                "has_mck": False,
            },
        ),
        ("trantibum.rawan-bencana", {"in_hazard_zone": True}),
        ("trantibum.rawan-bencana", {"in_hazard_zone": False, "hazards": ["banjir"]}),
        ("sosial.disabilitas", {"kinds": [], "neglected": False}),
        (
            "sosial.rehabilitasi-sosial",
            {"group": "anak", "setting": "luar-panti", "items": ["alat-bantu"]},
        ),
    ],
)
def test_value_schemas_reject_impossible_values(
    spm_catalog: Catalog, code: str, value: dict[str, object]
) -> None:
    with pytest.raises(pydantic.ValidationError):
        spm_catalog.record_type(code).value_schema.model_validate(value)


def test_value_schemas_accept_ordinary_values(spm_catalog: Catalog) -> None:
    rt = spm_catalog.record_type
    house = rt("perkim.kondisi-rumah").value_schema.model_validate(
        {
            "floor_material": "tanah",
            "wall_material": "anyaman-bambu",
            "roof_material": "seng",
            "floor_area_m2": 24,
            "occupants": 4,
            "has_mck": False,
        }
    )
    assert house.floor_area_per_person_m2 == 6  # type: ignore[attr-defined]
    anc = rt("kesehatan.pemeriksaan-kehamilan").value_schema.model_validate(
        {"gestational_age_weeks": 30, "examiner": "bidan"}
    )
    assert anc.trimester == 3  # type: ignore[attr-defined]
    status = rt("pendidikan.status-sekolah").value_schema.model_validate(
        {"status": "tidak-sekolah", "reason_not_in_school": "jarak", "dropped_out": False}
    )
    assert status.model_dump()["reason_not_in_school"] == "jarak"
    with pytest.raises(pydantic.ValidationError):
        status.status = "sd"  # type: ignore[misc]


def test_record_types_of_a_kind_are_all_definitions(spm_catalog: Catalog) -> None:
    for kind in KINDS:
        for definition in spm_catalog.all(kind):
            assert isinstance(definition, Definition)
            assert definition.kind == kind
    assert all(isinstance(r, RecordType) for r in spm_catalog.record_types)
