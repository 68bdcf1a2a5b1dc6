"""The kit for plugin authors: strategies through ``st.from_type``, inline plugins,
registries, the worked-case runner and the store fixtures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spm_core.catalog import Catalog
from spm_core.definitions import NeedType, RoutingRule
from spm_core.domain import AgeRange, KodeWilayah, Nik, NomorKK, Period, Relationship, Sex, Text
from spm_core.domain.enums import SpmField, Subject
from spm_core.plugins import make_plugin_manager
from spm_core.store import Store
from spm_core.testing.cases import (
    RoutingCaseFile,
    load_case_file,
    reference_evaluator,
    run_case_file,
)
from spm_core.testing.kit import core_plugins, inline_plugin, make_registry
from spm_core.testing.strategies import DrawnHousehold, households, populations

BEKASIJAYA = KodeWilayah.parse("32.75.01.1001")


# ------------------------------------------------------------------------ strategies


@given(st.from_type(Nik), st.from_type(NomorKK), st.from_type(KodeWilayah), st.from_type(Period))
def test_from_type_draws_every_domain_value(
    nik: Nik, kk: NomorKK, code: KodeWilayah, period: Period
) -> None:
    assert Nik.parse(str(nik)) == nik
    assert NomorKK.parse(str(kk)) == kk
    assert KodeWilayah.parse(str(code)) == code
    assert period.start <= period.end


@given(st.from_type(Text), st.from_type(AgeRange), st.from_type(Sex), st.from_type(Relationship))
def test_from_type_draws_texts_ranges_and_enums(
    text: Text, ages: AgeRange, sex: Sex, relationship: Relationship
) -> None:
    assert text.id.strip()
    assert text.en.strip()
    assert ages.high is None or ages.low <= ages.high
    assert isinstance(sex, Sex)
    assert isinstance(relationship, Relationship)


@given(households(st.just(BEKASIJAYA), on=date(2025, 6, 30)))
def test_drawn_households_hold_together(household: DrawnHousehold) -> None:
    assert household.village == BEKASIJAYA
    heads = [m for m in household.members if m.relationship is Relationship.KEPALA_KELUARGA]
    assert len(heads) == 1
    for member in household.members:
        assert member.birth_date <= date(2025, 6, 30)
        if member.relationship is Relationship.ANAK:
            assert member.birth_date > household.head.birth_date
        if member.nik is not None:
            assert str(member.nik).startswith("327501")
            assert member.nik.sex is member.sex
    if household.kk is not None:
        assert str(household.kk).startswith("327501")


@given(populations(max_households=6))
def test_drawn_populations_have_unique_numbers(population: tuple[DrawnHousehold, ...]) -> None:
    niks = [m.nik for h in population for m in h.members if m.nik is not None]
    assert len(niks) == len(set(niks))
    assert st.from_type(DrawnHousehold) is not None


# ------------------------------------------------------------------------ plugins


def test_inline_plugin_takes_its_level_from_its_region() -> None:
    assert inline_plugin().info.level.name == "NATIONAL"
    assert inline_plugin(name="jabar", region="32").info.level.name == "PROVINCE"
    assert inline_plugin(name="kota-depok", region="32.76").info.level.name == "REGION"


def test_inline_plugin_contributes_and_adjusts_in_its_region_only() -> None:
    need = NeedType(
        code="uji.kebutuhan",
        title=Text("Kebutuhan uji", "Test need"),
        field=SpmField.SOSIAL,
        subject=Subject.RESIDENT,
    )
    rule = RoutingRule(
        code="uji.kebutuhan.default",
        need_type="uji.kebutuhan",
        roles="dinas-sosial",
        title=Text("Kebutuhan uji → Dinas Sosial", "Test need → social affairs"),
    )
    national = inline_plugin(need, rule, name="uji")
    depok = inline_plugin(
        name="kota-depok", region="32.76", adjust=lambda a: a.set_sla("uji.kebutuhan", 5)
    )
    catalog = Catalog.build(make_plugin_manager(allow=core_plugins(), extra=[national, depok]))
    assert catalog.for_region("32.76").need_type("uji.kebutuhan").sla_days == 5
    assert catalog.for_region("32.75").need_type("uji.kebutuhan").sla_days is None
    assert [a.plugin for a in catalog.adjustments] == ["kota-depok"]


def test_make_registry_gives_a_working_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kit.db'}"
    with make_registry(db_url=url, allow=core_plugins()) as registry:
        assert {p.name for p in registry.catalog.plugins} == set(core_plugins())
        assert registry.schema_revision == registry.store.schema_revision()
    assert (tmp_path / "kit.db").is_file()


def test_store_fixture_is_at_the_current_revision(spm_store: Store, spm_db_url: str) -> None:
    assert spm_store.schema_revision() is not None
    assert spm_db_url.startswith(("sqlite", "postgresql"))


# ------------------------------------------------------------------------ cases


def test_routing_cases_pass_and_fail_as_written(tmp_path: Path) -> None:
    catalog = Catalog.build(make_plugin_manager(allow=core_plugins()))
    path = tmp_path / "rujukan.yaml"
    path.write_text(
        """day: 2025-06-30
cases:
  - name: generik
    title: {id: Alat bantu dengar di Bogor, en: Hearing aid in Bogor}
    need_type: sosial.alat-bantu-dengar
    village: "32.01.01.1001"
    expect: {agencies: ["generic:dinas-sosial"], rule: sosial.alat-bantu-dengar.default}
  - name: salah
    title: {id: Harapan keliru, en: A wrong expectation}
    need_type: sosial.alat-bantu-dengar
    village: "32.01.01.1001"
    expect: {agencies: [kabupaten-bogor.dinsos]}
  - name: bukan-desa
    title: {id: Kode kecamatan, en: A kecamatan code}
    need_type: sosial.alat-bantu-dengar
    village: "32.01.01"
    expect: {agencies: ["generic:dinas-sosial"]}
""",
        encoding="utf-8",
    )
    assert isinstance(load_case_file(path), RoutingCaseFile)
    outcomes = {o.name: o for o in run_case_file(path, catalog)}
    assert outcomes["generik"].passed is True
    assert outcomes["salah"].passed is False
    assert "expected ['kabupaten-bogor.dinsos']" in outcomes["salah"].problems[0]
    assert outcomes["bukan-desa"].passed is False


def test_indicator_cases_are_checked_for_form_and_evaluated_when_asked(tmp_path: Path) -> None:
    catalog = Catalog.build(make_plugin_manager(allow=core_plugins()))
    path = tmp_path / "balita.yaml"
    path.write_text(
        """indicator: kesehatan.balita
period: "2025"
cases:
  - name: ditimbang
    title: {id: Ditimbang, en: Weighed}
    subject: {kind: resident, birth_date: 2023-03-15, sex: P}
    records:
      - {type: kesehatan.penimbangan, date: 2025-01-14, value: {weight_kg: 10.1}}
    expect: {denominator: true, numerator: true}
  - name: berat-salah
    title: {id: Berat bukan angka, en: Weight not a number}
    subject: {kind: resident, birth_date: 2023-03-15, sex: P}
    records:
      - {type: kesehatan.penimbangan, date: 2025-01-14, value: {weight_kg: berat}}
    expect: {denominator: true, numerator: false}
""",
        encoding="utf-8",
    )
    form = {o.name: o for o in run_case_file(path, catalog)}
    assert form["ditimbang"].passed is None  # checked, not evaluated
    assert form["berat-salah"].passed is False
    assert "kesehatan.penimbangan value" in form["berat-salah"].problems[0]
    evaluated = {
        o.name: o for o in run_case_file(path, catalog, evaluate=lambda i, p, c: (False, False))
    }
    assert evaluated["ditimbang"].passed is False
    assert "expected (True, True)" in evaluated["ditimbang"].problems[0]
    # Through the reference interpreter: one weighing in the year does not serve a balita.
    reference = {
        o.name: o for o in run_case_file(path, catalog, evaluate=reference_evaluator(catalog))
    }
    assert reference["ditimbang"].passed is False
    assert "(denominator, numerator) = (True, False)" in reference["ditimbang"].problems[0]


@pytest.mark.parametrize("bad", ["indicator: x\nperiod: '2025'\ncases: []\n", "day: 2025-01-01\n"])
def test_malformed_case_files_are_rejected(tmp_path: Path, bad: str) -> None:
    import pydantic

    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(pydantic.ValidationError):
        load_case_file(path)
