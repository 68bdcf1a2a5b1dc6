"""The catalog checks every indicator's expressions when it is built.

Each bad indicator below is contributed by a plugin; the build fails
with :class:`InvalidDefinition` naming the indicator, the plugin and what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from spm_core.definitions import (
    AgeBetween,
    AnyHouseholdMember,
    Compare,
    Counting,
    DaysOfAge,
    Definition,
    Everyone,
    ExternalTarget,
    FieldKind,
    HasRecord,
    Indicator,
    InHousehold,
    LatestValue,
    Node,
    Op,
    PluginInfo,
    TargetDefinition,
    ValueField,
    field_kind,
)
from spm_core.domain import AgeUnit, SpmField, Subject, Text
from spm_core.errors import InvalidDefinition, InvalidValue
from spm_core.hookspecs import hookimpl
from spm_core.testing.pytest_plugin import CatalogFactory

TITLE = Text("Uji", "Test")


def _plugin(*definitions: Definition) -> object:
    class Local:
        @hookimpl
        def spm_plugin_info(self) -> PluginInfo:
            return PluginInfo(name="uji", title=TITLE)

        @hookimpl
        def spm_definitions(self) -> Iterable[Definition]:
            return definitions

    return Local()


def _indicator(
    subject: Subject, numerator: Node, denominator: Node | None = None, **kw: object
) -> Indicator:
    return Indicator(
        code="uji.indikator",
        title=TITLE,
        field=SpmField.KESEHATAN,
        service_type="kesehatan.balita",
        subject=subject,
        denominator=Everyone() if denominator is None else denominator,
        numerator=numerator,
        **kw,  # type: ignore[arg-type]
    )


BAD = {
    "age-in-household": (
        _indicator(Subject.HOUSEHOLD, AgeBetween(0, 5, AgeUnit.YEARS)),
        "node age_between is about a resident",
    ),
    "household-record-for-resident": (
        _indicator(Subject.RESIDENT, HasRecord("pupr.sanitasi")),
        "record type 'pupr.sanitasi' is about a household",
    ),
    "resident-record-for-household": (
        _indicator(Subject.HOUSEHOLD, HasRecord("kesehatan.skrining")),
        "is about a resident, not the household",
    ),
    "unknown-field": (
        _indicator(
            Subject.RESIDENT,
            HasRecord("kesehatan.skrining", where=(Compare("colour", Op.EQ, "x"),)),
        ),
        "no field 'colour'",
    ),
    "value-not-allowed": (
        _indicator(
            Subject.RESIDENT,
            HasRecord("kesehatan.skrining", where=(Compare("package", Op.EQ, "balita"),)),
        ),
        "value 'balita' does not fit field 'package'",
    ),
    "wrong-type": (
        _indicator(
            Subject.RESIDENT,
            HasRecord("kesehatan.penimbangan", where=(Compare("weight_kg", Op.GT, "heavy"),)),
        ),
        "value 'heavy' does not fit field 'weight_kg' (number)",
    ),
    "ordering-text": (
        _indicator(
            Subject.RESIDENT,
            HasRecord("kesehatan.skrining", where=(Compare("package", Op.LT, "usia-lanjut"),)),
        ),
        "operator < does not apply",
    ),
    "list-field": (
        _indicator(
            Subject.HOUSEHOLD,
            LatestValue("trantibum.rawan-bencana", Compare("hazards", Op.EQ, "banjir")),
        ),
        "holds a list",
    ),
    "undefined-target": (
        _indicator(Subject.RESIDENT, Everyone(), ExternalTarget("uji.tidak-ada")),
        "target 'uji.tidak-ada' is not defined",
    ),
    "days-of-age-household": (
        _indicator(Subject.HOUSEHOLD, HasRecord("pupr.sanitasi", window=DaysOfAge(0, 28))),
        "days-of-age window applies to residents only",
    ),
    "nested-member": (
        _indicator(Subject.HOUSEHOLD, AnyHouseholdMember(AnyHouseholdMember(Everyone()))),
        "not nested",
    ),
    "in-household-for-household": (
        _indicator(Subject.HOUSEHOLD, InHousehold(Everyone())),
        "InHousehold applies to a resident",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_expression_fails_the_build(spm_catalog_factory: CatalogFactory, name: str) -> None:
    indicator, expected = BAD[name]
    with pytest.raises(InvalidDefinition) as caught:
        spm_catalog_factory(_plugin(indicator))
    err = caught.value
    assert err.context["plugin"] == "uji"
    assert err.value == "uji.indikator"
    assert expected in err.message_en
    assert "uji.indikator" in err.message_id


GOOD = {
    "member-age-in-household": _indicator(
        Subject.HOUSEHOLD, AnyHouseholdMember(AgeBetween(0, 59, AgeUnit.MONTHS))
    ),
    "household-record-through-in-household": _indicator(
        Subject.RESIDENT,
        InHousehold(LatestValue("pupr.sanitasi", Compare("disposal", Op.IN, ("tangki-septik",)))),
    ),
    "number-compared-with-int": _indicator(
        Subject.RESIDENT,
        HasRecord("kesehatan.penimbangan", where=(Compare("weight_kg", Op.GE, 2),)),
    ),
    "persons-of-households": _indicator(
        Subject.HOUSEHOLD, HasRecord("pupr.sanitasi"), counts=Counting.MEMBERS
    ),
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_sound_expression_builds(spm_catalog_factory: CatalogFactory, name: str) -> None:
    catalog = spm_catalog_factory(_plugin(GOOD[name]))
    built = catalog.indicator("uji.indikator")
    assert built.numerator == GOOD[name].numerator
    assert built.provenance is not None
    assert built.provenance.plugin == "uji"


def test_a_defined_target_may_be_the_denominator(spm_catalog_factory: CatalogFactory) -> None:
    target = TargetDefinition(code="uji.sasaran", title=TITLE, field=SpmField.KESEHATAN)
    indicator = _indicator(
        Subject.RESIDENT, HasRecord("kesehatan.skrining"), ExternalTarget("uji.sasaran")
    )
    catalog = spm_catalog_factory(_plugin(target, indicator))
    assert catalog.indicator("uji.indikator").target == "uji.sasaran"
    assert "uji.sasaran" in {t.code for t in catalog.all("target")}


def test_members_are_counted_only_for_households() -> None:
    with pytest.raises(InvalidValue):
        _indicator(Subject.RESIDENT, Everyone(), counts=Counting.MEMBERS)


def test_field_kinds_come_from_the_value_schema(spm_catalog_factory: CatalogFactory) -> None:
    catalog = spm_catalog_factory()
    weighing = catalog.record_type("kesehatan.penimbangan")
    assert field_kind(weighing, "weight_kg") == ValueField(FieldKind.NUMBER)
    assert field_kind(weighing, "position").allowed == frozenset({"berbaring", "berdiri"})
    assert (
        field_kind(catalog.record_type("pupr.sumber-air-minum"), "waste_pit_within_10m").kind
        is FieldKind.BOOLEAN
    )
