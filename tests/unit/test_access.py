"""Actors, roles, scopes and purposes: the pure access policy."""

from __future__ import annotations

import pytest

from spm_core.access import (
    ENTITIES,
    Actor,
    AgencyScope,
    AreaScope,
    DataKind,
    PosyanduScope,
    Purpose,
    Role,
    allowed_purposes,
    check_purpose,
    data_kind,
    may_administer,
    may_aggregate,
    may_read,
    may_write,
    require_read,
    require_write,
)
from spm_core.domain import KodeWilayah
from spm_core.errors import AccessDenied, InvalidValue

VILLAGE = AreaScope(KodeWilayah("32.75.01.1001"))
KECAMATAN = AreaScope(KodeWilayah("32.75.01"))
KOTA = AreaScope(KodeWilayah("32.75"))
PROVINCE = AreaScope(KodeWilayah("32"))
POSYANDU = PosyanduScope("p-1")
AGENCY = AgencyScope("dinsos-kota-bekasi", KodeWilayah("32.75"))

VALID = [
    (Role.KADER, POSYANDU),
    (Role.DESA_OFFICER, VILLAGE),
    (Role.OPERATOR, KOTA),
    (Role.OPERATOR, PROVINCE),
    (Role.TIM_PEMBINA, VILLAGE),
    (Role.TIM_PEMBINA, KECAMATAN),
    (Role.TIM_PEMBINA, PROVINCE),
    (Role.RESEARCHER, KOTA),
    (Role.AGENCY_OFFICER, AGENCY),
]
INVALID = [
    (Role.KADER, VILLAGE),
    (Role.KADER, AGENCY),
    (Role.DESA_OFFICER, KECAMATAN),
    (Role.DESA_OFFICER, POSYANDU),
    (Role.OPERATOR, KECAMATAN),
    (Role.OPERATOR, VILLAGE),
    (Role.OPERATOR, AGENCY),
    (Role.TIM_PEMBINA, POSYANDU),
    (Role.RESEARCHER, AGENCY),
    (Role.AGENCY_OFFICER, KOTA),
]


@pytest.mark.parametrize(("role", "scope"), VALID)
def test_valid_actors(role: Role, scope: object) -> None:
    actor = Actor("u-1", role, scope)  # type: ignore[arg-type]
    assert actor.describe().startswith(role.value + " ")


@pytest.mark.parametrize(("role", "scope"), INVALID)
def test_role_and_scope_must_fit(role: Role, scope: object) -> None:
    with pytest.raises(InvalidValue) as raised:
        Actor("u-1", role, scope)  # type: ignore[arg-type]
    assert role.label.id in raised.value.message_id
    assert role.label.en in raised.value.message_en


def test_actor_needs_an_id_and_a_known_role() -> None:
    with pytest.raises(InvalidValue):
        Actor(" ", Role.KADER, POSYANDU)
    with pytest.raises(InvalidValue) as raised:
        Actor("u-1", "bupati", KOTA)  # type: ignore[arg-type]
    assert "bupati" in raised.value.message_en
    assert Actor("u-1", "kader", POSYANDU).role is Role.KADER  # type: ignore[arg-type]


def test_scopes_validate_their_parts() -> None:
    with pytest.raises(InvalidValue):
        PosyanduScope("")
    with pytest.raises(InvalidValue):
        AreaScope("32.75")  # type: ignore[arg-type]
    assert AGENCY.describe() == "agency:dinsos-kota-bekasi@32.75"
    assert Actor("k", Role.KADER, POSYANDU).area is None
    assert Actor("a", Role.AGENCY_OFFICER, AGENCY).area == KodeWilayah("32.75")


def test_labels_are_bilingual_and_distinct() -> None:
    for enum in (Role, Purpose):
        labels = [member.label for member in enum]
        assert all(label.id and label.en for label in labels)
        assert len({label.en for label in labels}) == len(labels)


READS = {
    DataKind.PERSONAL: {Role.KADER, Role.DESA_OFFICER, Role.OPERATOR},
    DataKind.REFERRAL: {Role.KADER, Role.DESA_OFFICER, Role.OPERATOR, Role.AGENCY_OFFICER},
    DataKind.REGISTER: set(Role),
    DataKind.PLANNING: set(Role),
    DataKind.ACTION_PLAN: set(Role),
    DataKind.PUBLIC: set(Role),
    DataKind.AUDIT: {Role.OPERATOR},
}
WRITES = {
    DataKind.PERSONAL: {Role.KADER, Role.DESA_OFFICER, Role.OPERATOR},
    DataKind.REFERRAL: {Role.KADER, Role.DESA_OFFICER, Role.OPERATOR, Role.AGENCY_OFFICER},
    DataKind.REGISTER: {Role.OPERATOR},
    DataKind.PLANNING: {Role.OPERATOR, Role.AGENCY_OFFICER},
    DataKind.ACTION_PLAN: {Role.OPERATOR, Role.TIM_PEMBINA},
    DataKind.PUBLIC: {Role.OPERATOR},
    DataKind.AUDIT: set(),
}


@pytest.mark.parametrize(("role", "scope"), VALID)
@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_read_and_write_policy(role: Role, scope: object, entity: str) -> None:
    actor = Actor("u-1", role, scope)  # type: ignore[arg-type]
    kind = data_kind(entity)
    assert may_read(actor, entity) is (role in READS[kind])
    assert may_write(actor, entity) is (role in WRITES[kind])
    if role in WRITES[kind]:
        require_write(actor, entity, "uji")
    else:
        with pytest.raises(AccessDenied) as raised:
            require_write(actor, entity, "uji")
        assert role.value in raised.value.message_id
        assert "uji" in raised.value.message_en
    if role in READS[kind]:
        require_read(actor, entity, "uji")
    else:
        with pytest.raises(AccessDenied):
            require_read(actor, entity, "uji")


def test_no_role_but_the_row_roles_touch_personal_rows() -> None:
    for role in (Role.TIM_PEMBINA, Role.RESEARCHER, Role.AGENCY_OFFICER):
        scope = AGENCY if role is Role.AGENCY_OFFICER else KOTA
        actor = Actor("u-1", role, scope)
        for entity in ("resident", "household", "membership", "record"):
            assert not may_read(actor, entity)
            assert not may_write(actor, entity)


@pytest.mark.parametrize(("role", "scope"), VALID)
def test_every_role_counts_referrals_but_only_operators_count_audit_rows(
    role: Role, scope: object
) -> None:
    actor = Actor("u-1", role, scope)  # type: ignore[arg-type]
    assert may_aggregate(actor, "referral")
    assert may_aggregate(actor, "audit") is (role is Role.OPERATOR)


def test_referrals_are_written_for_referral_and_service_purposes_only() -> None:
    assert allowed_purposes("referral") == {Purpose.RUJUKAN, Purpose.PELAYANAN}
    with pytest.raises(InvalidValue):
        check_purpose("referral", Purpose.PENELITIAN)


def test_purposes_bind_writes() -> None:
    assert check_purpose("resident", "Pelayanan") is Purpose.PELAYANAN
    assert check_purpose("posyandu", Purpose.ADMINISTRASI) is Purpose.ADMINISTRASI
    assert Purpose.PENELITIAN not in allowed_purposes("resident")
    assert allowed_purposes("audit") == frozenset()
    with pytest.raises(InvalidValue) as raised:
        check_purpose("resident", Purpose.PENELITIAN)
    assert "penelitian" in raised.value.message_id
    assert "resident" in raised.value.message_en
    with pytest.raises(InvalidValue):
        check_purpose("resident", "iseng")
    with pytest.raises(InvalidValue):
        Purpose.parse(3)


def test_unknown_entity_is_an_error() -> None:
    with pytest.raises(InvalidValue) as raised:
        data_kind("rahasia")
    assert "resident" in raised.value.message_en


@pytest.mark.parametrize(("role", "scope"), VALID)
def test_only_operators_administer(role: Role, scope: object) -> None:
    actor = Actor("u-1", role, scope)  # type: ignore[arg-type]
    assert may_administer(actor) is (role is Role.OPERATOR)
