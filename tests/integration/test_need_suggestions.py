"""Needs suggested from the data: worked examples a domain expert can read.

The test catalog has one need a kader should hear about from the records: **a child aged
7–15 with no school enrolment recorded in the last twelve months** (need
``uji.belum-sekolah``, routed to the education office of Kota Bekasi), and one about a
household: **the latest drinking-water record says "sumur"** (``uji.air-sumur``, to the
housing office). Posyandu Mawar and Melati are in Kelurahan Bekasijaya, Anggrek in
Margahayu. The period is June 2025; a child born on 1 March 2015 is 10 on its last day.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import pydantic
import pytest
from referral_helpers import ReferralTestPlugin
from store_helpers import KOTA, StoreTestPlugin, World, build_world

from spm_core.access import Actor, AgencyScope, AreaScope, Purpose, Role
from spm_core.api import Registry
from spm_core.catalog import Catalog
from spm_core.definitions import (
    AgeBetween,
    Agency,
    AgencyRole,
    Compare,
    Definition,
    FieldDefinition,
    HasRecord,
    LastMonths,
    LatestValue,
    NeedType,
    Op,
    PluginInfo,
    RecordType,
    RecordValue,
    RoutingRule,
)
from spm_core.domain import AgeUnit, KodeWilayah, Period, SpmField, Subject, Text
from spm_core.domain.referral import ReferralAction, ReferralStatus
from spm_core.errors import InvalidValue, UnknownCode
from spm_core.hookspecs import hookimpl
from spm_core.indicators.suggest import Suggestion
from spm_core.plugins import make_plugin_manager
from spm_core.store import Store

JUNE = Period.parse("2025-06")
TEN_YEARS_OLD = date(2015, 3, 1)
ENROLMENT = "uji.pendaftaran-sekolah"
OUT_OF_SCHOOL = "uji.belum-sekolah"
WELL_WATER = "uji.air-sumur"
BEKASIJAYA = "32.75.01.1001"


class Pendaftaran(RecordValue):
    """A child's enrolment at a school."""

    level: Literal["sd", "smp"] = pydantic.Field(description="Jenjang / Level")


class SuggestionTestPlugin:
    """An enrolment record, the two needs with triggers, their agencies and routes."""

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(name="uji-saran", title=Text("Uji saran", "Suggestion test"))

    @hookimpl
    def spm_definitions(self) -> list[Definition]:
        return [
            FieldDefinition(
                code="pendidikan", field=SpmField.PENDIDIKAN, title=Text("Pendidikan", "Education")
            ),
            RecordType(
                code=ENROLMENT,
                title=Text("Pendaftaran sekolah", "School enrolment"),
                field=SpmField.PENDIDIKAN,
                subject=Subject.RESIDENT,
                value_schema=Pendaftaran,
            ),
            NeedType(
                code=OUT_OF_SCHOOL,
                title=Text("Anak 7–15 tahun belum terdaftar sekolah", "Child 7–15 not enrolled"),
                field=SpmField.PENDIDIKAN,
                subject=Subject.RESIDENT,
                sla_days=10,
                trigger=AgeBetween(7, 15, AgeUnit.YEARS)
                & ~HasRecord(ENROLMENT, window=LastMonths(12)),
            ),
            NeedType(
                code=WELL_WATER,
                title=Text("Air minum dari sumur", "Drinking water from a well"),
                field=SpmField.PERKIM,
                subject=Subject.HOUSEHOLD,
                sla_days=10,
                trigger=LatestValue("uji.air", Compare("source", Op.EQ, "sumur")),
            ),
            AgencyRole(code="uji-disdik", title=Text("Dinas Pendidikan", "Education office")),
            Agency(
                code="kota.disdik",
                title=Text("Dinas Pendidikan Kota Bekasi", "Kota Bekasi education office"),
                roles=("uji-disdik",),
                area=KOTA,
            ),
            RoutingRule(
                code="uji.belum-sekolah.r",
                title=Text("r", "r"),
                need_type=OUT_OF_SCHOOL,
                roles="uji-disdik",
            ),
            RoutingRule(
                code="uji.air-sumur.r",
                title=Text("r", "r"),
                need_type=WELL_WATER,
                roles="uji-perkim",
            ),
        ]


@pytest.fixture(scope="module")
def suggestion_catalog() -> Catalog:
    plugins = [StoreTestPlugin(), ReferralTestPlugin(), SuggestionTestPlugin()]
    return Catalog.build(make_plugin_manager(entry_points=False, extra=plugins))


@pytest.fixture
def registry(store: Store, suggestion_catalog: Catalog) -> Registry:
    plugins = [StoreTestPlugin(), ReferralTestPlugin(), SuggestionTestPlugin()]
    return Registry(
        make_plugin_manager(entry_points=False, extra=plugins), suggestion_catalog, store
    )


@pytest.fixture
def town(registry: Registry) -> World:
    return build_world(registry.store, registry.catalog)


def _child(town: World, posyandu: str = "mawar", born: date = TEN_YEARS_OLD) -> str:
    return town.resident(posyandu, birth_date=born, sex="L").id


def _enrol(town: World, child: str, on: str, posyandu: str = "mawar") -> None:
    town.store.add_record(
        town.kader(posyandu),
        {
            "record_type": ENROLMENT,
            "resident_id": child,
            "observed_on": on,
            "value": {"level": "sd"},
        },
        Purpose.PELAYANAN,
        town.catalog,
    )


def _suggested(registry: Registry, actor: Actor, area: str = BEKASIJAYA) -> set[tuple[str, str]]:
    return {
        (s.need_type, s.subject_id)
        for s in registry.suggest_needs(actor, area, JUNE, purpose=Purpose.PELAYANAN)
    }


EDUCATION_OFFICE = Actor("opd-disdik", Role.AGENCY_OFFICER, AgencyScope("kota.disdik", KOTA))


# ------------------------------------------------------------------------------ who shows


def test_a_child_of_ten_with_no_enrolment_record_is_suggested(
    registry: Registry, town: World
) -> None:
    child = _child(town)
    (found,) = registry.suggest_needs(town.kader("mawar"), BEKASIJAYA, "2025-06")
    assert found == Suggestion(
        OUT_OF_SCHOOL,
        Subject.RESIDENT,
        child,
        town.posyandu["mawar"].id,
        BEKASIJAYA,
        JUNE,
        0,
    )
    assert found.idempotency_key == f"saran:{OUT_OF_SCHOOL}:resident:{child}:2025-06:0"


def test_a_child_enrolled_within_the_year_is_not_suggested(registry: Registry, town: World) -> None:
    enrolled, lapsed = _child(town), _child(town)
    _enrol(town, enrolled, "2024-07-15")  # within the twelve months up to 30 June 2025
    _enrol(town, lapsed, "2024-06-30")  # one day too early
    assert _suggested(registry, town.kader("mawar")) == {(OUT_OF_SCHOOL, lapsed)}


@pytest.mark.parametrize(
    ("born", "shown"),
    [
        (date(2018, 6, 30), True),  # turns 7 on the period's last day
        (date(2018, 7, 1), False),  # still 6
        (date(2009, 7, 1), True),  # 15 until 30 June 2025
        (date(2009, 6, 30), False),  # 16 on the last day
    ],
    ids=["just-7", "still-6", "still-15", "just-16"],
)
def test_only_ages_7_to_15_on_the_last_day_of_the_period_are_suggested(
    registry: Registry, town: World, born: date, shown: bool
) -> None:
    child = _child(town, born=born)
    assert _suggested(registry, town.kader("mawar")) == (
        {(OUT_OF_SCHOOL, child)} if shown else set()
    )


def test_a_household_whose_latest_water_is_a_well_is_suggested(
    registry: Registry, town: World
) -> None:
    well, piped = town.household("mawar"), town.household("mawar")
    kader = town.kader("mawar")
    head1, head2 = _child(town, born=date(1980, 1, 1)), _child(town, born=date(1981, 1, 1))
    for home, head in ((well, head1), (piped, head2)):
        town.store.add_membership(
            kader,
            {
                "household_id": home.id,
                "resident_id": head,
                "relationship": 1,
                "start": "2020-01-01",
            },
            Purpose.PENDATAAN,
        )
    for home, sources in ((well, ("pipa", "sumur")), (piped, ("sumur", "pipa"))):
        for day, source in zip(("2025-02-01", "2025-05-01"), sources, strict=True):
            town.store.add_record(
                kader,
                {
                    "record_type": "uji.air",
                    "household_id": home.id,
                    "observed_on": day,
                    "value": {"source": source},
                },
                Purpose.PELAYANAN,
                town.catalog,
            )
    found = registry.suggest_needs(kader, BEKASIJAYA, JUNE, need_types=[WELL_WATER])
    assert [(s.subject, s.subject_id) for s in found] == [(Subject.HOUSEHOLD, well.id)]


# ------------------------------------------------------------------------------ the loop


def test_an_open_referral_hides_the_suggestion_until_it_is_resolved(
    registry: Registry, town: World
) -> None:
    kader = town.kader("mawar")
    child = _child(town)
    (first,) = registry.suggest_needs(kader, BEKASIJAYA, JUNE)
    # The kader confirms: the need is submitted and routed to the education office.
    (submitted,) = registry.raise_suggested(kader, [first], on=date(2025, 7, 1))
    referral = submitted.referral
    assert (referral.need_type, referral.agency_code) == (OUT_OF_SCHOOL, "kota.disdik")
    assert referral.status is ReferralStatus.ROUTED
    # Confirming the same suggestion again creates nothing new.
    (again,) = registry.raise_suggested(kader, [first], on=date(2025, 7, 2))
    assert again.replayed
    assert again.referral.id == referral.id
    assert len(town.store.list_referrals(kader)) == 1
    # While the referral is open the child is not suggested again.
    assert _suggested(registry, kader) == set()
    store, office = town.store, EDUCATION_OFFICE
    store.transition_referral(office, referral.id, ReferralAction.ACCEPT, None, Purpose.RUJUKAN)
    store.transition_referral(office, referral.id, ReferralAction.START, None, Purpose.RUJUKAN)
    assert _suggested(registry, kader) == set()
    store.transition_referral(
        office,
        referral.id,
        ReferralAction.RESOLVE,
        None,
        Purpose.PELAYANAN,
        outcome="Keluarga tidak dapat dihubungi",
    )
    # Resolved, and the records still show no enrolment: suggested again, under a new key.
    (second,) = registry.suggest_needs(kader, BEKASIJAYA, JUNE)
    assert (second.subject_id, second.earlier) == (child, 1)
    assert second.idempotency_key != first.idempotency_key
    (resubmitted,) = registry.raise_suggested(kader, [second])
    assert not resubmitted.replayed
    assert len(town.store.list_referrals(kader)) == 2
    assert _suggested(registry, kader) == set()


def test_a_rejected_referral_awaiting_rerouting_still_hides_the_suggestion(
    registry: Registry, town: World
) -> None:
    kader = town.kader("mawar")
    _child(town)
    (submitted,) = registry.raise_suggested(kader, registry.suggest_needs(kader, BEKASIJAYA, JUNE))
    town.store.transition_referral(
        EDUCATION_OFFICE,
        submitted.referral.id,
        ReferralAction.REJECT,
        None,
        Purpose.RUJUKAN,
        reason="Bukan wilayah kerja kami",
    )
    assert _suggested(registry, kader) == set()


def test_a_cancelled_referral_lets_the_need_be_suggested_again(
    registry: Registry, town: World
) -> None:
    kader = town.kader("mawar")
    child = _child(town)
    (submitted,) = registry.raise_suggested(kader, registry.suggest_needs(kader, BEKASIJAYA, JUNE))
    town.store.transition_referral(
        kader, submitted.referral.id, ReferralAction.CANCEL, None, Purpose.RUJUKAN
    )
    assert _suggested(registry, kader) == {(OUT_OF_SCHOOL, child)}


def test_an_enrolment_recorded_after_the_suggestion_removes_it(
    registry: Registry, town: World
) -> None:
    kader = town.kader("mawar")
    child = _child(town)
    assert _suggested(registry, kader) == {(OUT_OF_SCHOOL, child)}
    _enrol(town, child, "2025-06-20")
    assert _suggested(registry, kader) == set()


# ------------------------------------------------------------------------------ who sees


def test_each_actor_sees_the_suggestions_of_its_own_scope_only(
    registry: Registry, town: World
) -> None:
    mawar, melati, anggrek = _child(town), _child(town, "melati"), _child(town, "anggrek")
    assert _suggested(registry, town.kader("mawar")) == {(OUT_OF_SCHOOL, mawar)}
    assert _suggested(registry, town.kader("melati")) == {(OUT_OF_SCHOOL, melati)}
    # A kader asking about another kelurahan gets nothing from it.
    assert _suggested(registry, town.kader("mawar"), "32.75.01.1002") == set()
    assert _suggested(registry, town.kader("anggrek"), "32.75.01.1002") == {
        (OUT_OF_SCHOOL, anggrek)
    }
    village_officer = Actor("desa-1", Role.DESA_OFFICER, AreaScope(KodeWilayah(BEKASIJAYA)))
    assert _suggested(registry, village_officer, "32.75") == {
        (OUT_OF_SCHOOL, mawar),
        (OUT_OF_SCHOOL, melati),
    }
    assert _suggested(registry, town.operator, "32.75") == {
        (OUT_OF_SCHOOL, mawar),
        (OUT_OF_SCHOOL, melati),
        (OUT_OF_SCHOOL, anggrek),
    }
    for role_less in (
        EDUCATION_OFFICE,
        Actor("tp-kota", Role.TIM_PEMBINA, AreaScope(KOTA)),
        Actor("peneliti", Role.RESEARCHER, AreaScope(KOTA)),
    ):
        assert registry.suggest_needs(role_less, "32.75", JUNE, purpose=Purpose.PELAYANAN) == ()


def test_a_suggestion_explains_itself(registry: Registry, town: World) -> None:
    kader = town.kader("mawar")
    _child(town)
    (found,) = registry.suggest_needs(kader, BEKASIJAYA, JUNE)
    why = registry.explain_suggestion(kader, found)
    assert why.shows
    assert why.present
    text = "\n".join(why.lines("en"))
    assert "age 10" in text
    assert "the records show this need" in text
    assert "usia 10" in "\n".join(why.lines("id"))


def test_needs_that_cannot_be_suggested_are_refused_by_name(
    registry: Registry, town: World
) -> None:
    kader = town.kader("mawar")
    with pytest.raises(InvalidValue) as by_hand:
        registry.suggest_needs(kader, BEKASIJAYA, JUNE, need_types=["uji.alat-bantu"])
    assert by_hand.value.context["value"] == "uji.alat-bantu"
    with pytest.raises(UnknownCode):
        registry.suggest_needs(kader, BEKASIJAYA, JUNE, need_types=["uji.tidak-ada"])
