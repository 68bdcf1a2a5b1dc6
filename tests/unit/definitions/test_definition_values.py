"""Definitions are frozen values that reject malformed input at construction."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import attrs
import pytest

from spm_core.catalog import Catalog
from spm_core.definitions import (
    ALWAYS,
    DEFINITION_KINDS,
    AchievementRule,
    AgeBetween,
    Agency,
    AgencyRole,
    Everyone,
    ExternalTarget,
    FieldDefinition,
    HasRecord,
    Indicator,
    JointLeaveDay,
    LegalBasis,
    NeedType,
    PluginInfo,
    PluginLevel,
    Provenance,
    RecordType,
    RecordValue,
    ServiceType,
    TargetDefinition,
    Validity,
    definition_to_dict,
)
from spm_core.domain import AgeUnit, KodeWilayah, SpmField, Subject, Text
from spm_core.errors import InvalidValue

TITLE = Text("Contoh", "Example")


def _indicator(**changes: Any) -> Indicator:
    fields: dict[str, Any] = {
        "code": "kesehatan.contoh",
        "title": TITLE,
        "field": SpmField.KESEHATAN,
        "service_type": "kesehatan.hipertensi",
        "subject": Subject.RESIDENT,
        "denominator": AgeBetween(15, None, AgeUnit.YEARS),
        "numerator": HasRecord("kesehatan.skrining"),
    }
    fields.update(changes)
    return Indicator(**fields)


def test_every_kind_of_definition_is_frozen(spm_catalog: Catalog) -> None:
    examples = {type(d): d for d in spm_catalog}
    examples[Agency] = Agency(
        code="kota-bekasi.dinsos",
        title=TITLE,
        roles=("dinas-sosial",),
        area=KodeWilayah.parse("32.75"),
    )
    examples[TargetDefinition] = TargetDefinition(
        code="kesehatan.penderita-hipertensi",
        title=TITLE,
        field=SpmField.KESEHATAN,
    )
    examples[JointLeaveDay] = JointLeaveDay(
        code="cuti-2025-04-02", title=TITLE, day=date(2025, 4, 2)
    )
    examples[AchievementRule] = AchievementRule(code="capaian", title=TITLE)
    assert set(examples) == set(DEFINITION_KINDS)
    for definition in examples.values():
        assert attrs.has(type(definition))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            definition.code = "lain"  # type: ignore[misc]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            definition.provenance = None  # type: ignore[misc]
        assert hash(definition) == hash(attrs.evolve(definition))


@pytest.mark.parametrize(
    "code",
    ["", "Kesehatan.balita", "kesehatan balita", ".balita", "kesehatan/balita", "x" * 81, "ü"],
)
def test_bad_codes_are_rejected(code: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        AgencyRole(code=code, title=TITLE)
    assert caught.value.value == code
    assert "code" in caught.value.message_en
    assert "kode" in caught.value.message_id


@pytest.mark.parametrize("code", ["a", "kesehatan.balita", "pendidikan.aps-5-6", "x_1", "9" * 80])
def test_good_codes_are_accepted(code: str) -> None:
    assert AgencyRole(code=code, title=TITLE).code == code


def test_validity_rejects_an_end_before_its_start() -> None:
    with pytest.raises(InvalidValue) as caught:
        Validity(start=date(2024, 6, 1), end=date(2024, 5, 31))
    assert caught.value.value == "2024-06-01..2024-05-31"
    assert "end of validity" in caught.value.message_en
    with pytest.raises(InvalidValue):
        _indicator(validity=Validity(date(2025, 1, 1), date(2020, 1, 1)))


def test_validity_contains_and_overlaps() -> None:
    window = Validity(start=date(2022, 7, 20), end=date(2024, 12, 31))
    assert window.contains(date(2022, 7, 20))
    assert window.contains(date(2024, 12, 31))
    assert not window.contains(date(2025, 1, 1))
    assert window.overlaps(date(2022, 1, 1), date(2022, 12, 31))
    assert not window.overlaps(date(2021, 1, 1), date(2021, 12, 31))
    assert ALWAYS.contains(date(1900, 1, 1))
    assert window.to_dict() == {"start": "2022-07-20", "end": "2024-12-31"}


def test_external_target_is_allowed_as_the_whole_denominator() -> None:
    indicator = _indicator(denominator=ExternalTarget("kesehatan.hipertensi"))
    assert ("record_type", "kesehatan.skrining") in indicator.references()
    assert all(kind != "target" for kind, _ in indicator.references())


@pytest.mark.parametrize(
    "changes",
    [
        {"numerator": ExternalTarget("kesehatan.hipertensi")},
        {
            "denominator": AgeBetween(15, None, AgeUnit.YEARS)
            & ExternalTarget("kesehatan.hipertensi")
        },
        {"denominator": ~ExternalTarget("kesehatan.hipertensi")},
        {"numerator": HasRecord("kesehatan.skrining") | ExternalTarget("kesehatan.hipertensi")},
    ],
    ids=["numerator", "inside-and", "inside-not", "inside-or-of-numerator"],
)
def test_external_target_anywhere_else_is_rejected(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue) as caught:
        _indicator(**changes)
    assert caught.value.value == "kesehatan.contoh"
    assert "external target" in caught.value.message_en


def test_field_definition_code_must_be_the_field() -> None:
    with pytest.raises(InvalidValue):
        FieldDefinition(code="health", field=SpmField.KESEHATAN, title=TITLE)
    assert FieldDefinition(code="sosial", field=SpmField.SOSIAL, title=TITLE).code == "sosial"


def test_record_type_needs_a_pydantic_model() -> None:
    with pytest.raises(InvalidValue) as caught:
        RecordType(
            code="kesehatan.x",
            title=TITLE,
            field=SpmField.KESEHATAN,
            subject=Subject.RESIDENT,
            value_schema=dict,  # type: ignore[arg-type]
        )
    assert "pydantic" in caught.value.message_en


def test_need_type_deadline_must_be_positive() -> None:
    with pytest.raises(InvalidValue):
        NeedType(
            code="sosial.x",
            title=TITLE,
            field=SpmField.SOSIAL,
            subject=Subject.RESIDENT,
            sla_days=0,
        )


def test_service_type_refers_to_its_field() -> None:
    service = ServiceType(
        code="sosial.x", title=TITLE, field=SpmField.SOSIAL, recipients=Text("Warga", "Residents")
    )
    assert service.references() == (("field", "sosial"),)


def test_agency_roles_are_a_tuple_even_from_one_string() -> None:
    agency = Agency(code="a", title=TITLE, roles="bpbd", area=KodeWilayah.parse("32.75"))  # type: ignore[arg-type]
    assert agency.roles == ("bpbd",)
    assert Agency(
        code="b", title=TITLE, roles=["bpbd", "damkar"], area=KodeWilayah.parse("32.75")
    ).roles == (
        "bpbd",
        "damkar",
    )


def test_legal_basis_cites_and_flags_unconfirmed() -> None:
    assert LegalBasis("PP 2/2018", "Ps. 6 ayat (3)").cite() == "PP 2/2018 Ps. 6 ayat (3)"
    shaky = LegalBasis("Permendagri 121/2018", confirmed=False)
    assert shaky.cite() == "Permendagri 121/2018 (UNCONFIRMED)"
    assert not _indicator(legal_basis=[shaky]).confirmed
    assert _indicator(legal_basis=[]).confirmed
    with pytest.raises(InvalidValue):
        LegalBasis("  ")


@pytest.mark.parametrize(
    ("level", "region"),
    [
        (PluginLevel.NATIONAL, "32"),
        (PluginLevel.PROVINCE, None),
        (PluginLevel.PROVINCE, "32.75"),
        (PluginLevel.REGION, "32"),
        (PluginLevel.REGION, "32.75.01"),
    ],
)
def test_plugin_info_region_must_match_level(level: PluginLevel, region: str | None) -> None:
    with pytest.raises(InvalidValue) as caught:
        PluginInfo(
            name="contoh",
            title=TITLE,
            level=level,
            region=None if region is None else KodeWilayah.parse(region),
        )
    assert level.label.en in caught.value.message_en
    assert level.label.id in caught.value.message_id


def test_plugin_levels_order_precedence() -> None:
    assert PluginLevel.NATIONAL < PluginLevel.PROVINCE < PluginLevel.REGION
    assert PluginLevel.REGION.label == Text("Kabupaten/Kota", "Regency/City")


def test_definition_to_dict_is_json_ready() -> None:
    class Value(RecordValue):
        amount: int

    record_type = RecordType(
        code="sosial.x",
        title=TITLE,
        field=SpmField.SOSIAL,
        subject=Subject.HOUSEHOLD,
        value_schema=Value,
        legal_basis=[LegalBasis("Permensos 9/2018")],
        validity=Validity(start=date(2018, 1, 1)),
        provenance=Provenance("sosial", PluginLevel.NATIONAL, "0.1.0"),
    )
    data = definition_to_dict(record_type)
    assert json.loads(json.dumps(data)) == data
    assert data["kind"] == "record_type"
    assert data["field"] == "sosial"
    assert data["subject"] == "household"
    assert data["value_schema"]["properties"]["amount"]["type"] == "integer"
    assert data["validity"] == {"start": "2018-01-01", "end": None}
    assert data["provenance"] == {
        "plugin": "sosial",
        "level": "national",
        "version": "0.1.0",
        "region": None,
    }
    assert data["confirmed"] is True
    indicator = definition_to_dict(_indicator())
    assert indicator["denominator"] == {
        "node": "age_between",
        "low": 15,
        "high": None,
        "unit": "years",
        "anchor": {"anchor": "period_end"},
    }
    assert definition_to_dict(_indicator(denominator=Everyone()))["denominator"] == {
        "node": "everyone"
    }


def test_a_need_type_shares_no_nik_unless_it_declares_it() -> None:
    need = NeedType(
        code="sosial.contoh", title=TITLE, field=SpmField.SOSIAL, subject=Subject.RESIDENT
    )
    assert "nik" not in need.shared_fields
    assert "name" in need.shared_fields
    declared = attrs.evolve(need, shared_fields=("nik", "name"))
    assert declared.shared_fields == ("name", "nik")
    with pytest.raises(InvalidValue) as raised:
        attrs.evolve(need, shared_fields=("name", "agama"))
    assert "agama" in raised.value.message_en


def test_a_joint_leave_day_applies_inside_its_area_only() -> None:
    national = JointLeaveDay(code="cuti-a", title=TITLE, day=date(2025, 4, 2))
    local = attrs.evolve(national, code="cuti-b", area=KodeWilayah("32.75"))
    assert national.applies_to(KodeWilayah("32.16.01.2001"))
    assert local.applies_to(KodeWilayah("32.75.01.1001"))
    assert not local.applies_to(KodeWilayah("32.16.01.2001"))
