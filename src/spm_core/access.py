"""Actors, roles, scopes and purposes: who may read or write what, and why.

Pure policy, no I/O. Every call into the store names an :class:`Actor` (a role and a
scope); every write also names a :class:`Purpose` (UU PDP 27/2022 Ps. 16(2): processing
is bound to its purpose). The functions here answer whether a role may touch a kind of
data at all; the store narrows each query to the actor's scope in SQL.

Kinds of data (see :data:`ENTITIES`):

* ``personal`` — residents, households, memberships, records: rows about people. Only
  a kader (own posyandu), a desa/kelurahan officer (own village) and an SPM operator
  (own kab/kota or province) see or write them.
* ``register`` — posyandu and the fields they serve: read by every role within its
  area; set up by operators.
* ``planning`` — targets (sasaran) and quality inputs (mutu): numbers per area and year,
  read by every role whose area they concern; supplied by operators and agency officers.
* ``referral`` — needs routed to agencies and their lifecycle: the side that raised
  the need (a kader for its posyandu, a village officer, an operator for its area) and
  the officer of the agency the referral is routed to (that agency's referrals only,
  with only the resident fields the need type declares); counted by every role within
  its scope (Tim Pembina monitoring).
* ``action_plan`` — the Tim Pembina's joint action plans (commitments of each OPD, with
  their revisions): read by every role whose area they concern; agreed and revised by
  the Tim Pembina and the operator of the area. Holds no row about any resident.
* ``public`` — the Kemendagri list of regions: read by anyone.
* ``audit`` — the processing log: read by operators within their area; written only by
  the store itself.

Example:
    >>> from spm_core.domain import KodeWilayah
    >>> officer = Actor("u-17", Role.DESA_OFFICER, AreaScope(KodeWilayah("32.75.01.1001")))
    >>> may_read(officer, "resident"), may_write(officer, "posyandu")
    (True, False)
"""

from __future__ import annotations

import enum
from typing import TypeAlias

import attrs

from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import AccessDenied, InvalidValue

__all__ = [
    "ENTITIES",
    "Actor",
    "AgencyScope",
    "AreaScope",
    "DataKind",
    "PosyanduScope",
    "Purpose",
    "Role",
    "Scope",
    "allowed_purposes",
    "check_purpose",
    "data_kind",
    "may_administer",
    "may_aggregate",
    "may_read",
    "may_write",
    "require_read",
    "require_write",
]


class Role(enum.StrEnum):
    """What an actor is, which decides the kinds of data it may touch."""

    KADER = "kader"
    DESA_OFFICER = "desa_officer"
    OPERATOR = "operator"
    TIM_PEMBINA = "tim_pembina"
    AGENCY_OFFICER = "agency_officer"
    RESEARCHER = "researcher"

    @property
    def label(self) -> Text:
        """The role in both languages.

        Example:
            >>> Role.TIM_PEMBINA.label.en
            'Posyandu steering team (TP Posyandu)'
        """
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.KADER: Text("Kader Posyandu", "Posyandu volunteer (kader)"),
    Role.DESA_OFFICER: Text("Petugas kelurahan/desa", "Village officer (kelurahan/desa)"),
    Role.OPERATOR: Text("Operator SPM daerah", "Regional SPM operator"),
    Role.TIM_PEMBINA: Text("Tim Pembina Posyandu", "Posyandu steering team (TP Posyandu)"),
    Role.AGENCY_OFFICER: Text("Petugas perangkat daerah (OPD)", "Agency (OPD) officer"),
    Role.RESEARCHER: Text("Peneliti", "Researcher"),
}


class Purpose(enum.StrEnum):
    """Why data is processed (UU PDP 27/2022 Ps. 16(2)); recorded with every write."""

    PENDATAAN = "pendataan"
    PELAYANAN = "pelayanan"
    RUJUKAN = "rujukan"
    PELAPORAN = "pelaporan"
    KOREKSI = "koreksi"
    PENELITIAN = "penelitian"
    ADMINISTRASI = "administrasi"
    HAK_SUBJEK = "hak_subjek"

    @property
    def label(self) -> Text:
        """The purpose in both languages."""
        return _PURPOSE_LABELS[self]

    @classmethod
    def parse(cls, value: object) -> Purpose:
        """Return the purpose named ``value`` or raise a bilingual :class:`InvalidValue`.

        Example:
            >>> Purpose.parse(" Pelayanan ")
            <Purpose.PELAYANAN: 'pelayanan'>
        """
        if isinstance(value, Purpose):
            return value
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                pass
        known = ", ".join(p.value for p in cls)
        raise InvalidValue(
            value=value,
            reason_id=f"tujuan pemrosesan harus salah satu dari {known}",
            reason_en=f"the purpose of processing must be one of {known}",
        )


_PURPOSE_LABELS = {
    Purpose.PENDATAAN: Text("Pendataan", "Registration"),
    Purpose.PELAYANAN: Text("Pelayanan", "Service delivery"),
    Purpose.RUJUKAN: Text("Rujukan", "Referral"),
    Purpose.PELAPORAN: Text("Pelaporan", "Reporting"),
    Purpose.KOREKSI: Text(
        "Koreksi atas permintaan subjek data", "Correction at the subject's request"
    ),
    Purpose.PENELITIAN: Text("Penelitian", "Research"),
    Purpose.ADMINISTRASI: Text("Administrasi dan penyiapan", "Administration and set-up"),
    Purpose.HAK_SUBJEK: Text(
        "Pemenuhan hak subjek data (akses, penghapusan, pembatasan)",
        "A data subject's rights (access, erasure, restriction)",
    ),
}


# ----------------------------------------------------------------------------- scopes


def _non_blank(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(
            value=value,
            reason_id=f"{attribute.name} wajib diisi dengan teks",
            reason_en=f"{attribute.name} must be non-empty text",
        )


def _is_code(_instance: object, attribute: attrs.Attribute[KodeWilayah], value: object) -> None:
    if not isinstance(value, KodeWilayah):
        raise InvalidValue(
            value=value,
            reason_id=f"{attribute.name} harus KodeWilayah",
            reason_en=f"{attribute.name} must be a KodeWilayah",
        )


@attrs.frozen
class PosyanduScope:
    """One posyandu: the scope of a kader."""

    posyandu_id: str = attrs.field(validator=_non_blank)

    def describe(self) -> str:
        """Return the scope as stored in the audit log (``posyandu:<id>``)."""
        return f"posyandu:{self.posyandu_id}"


@attrs.frozen
class AreaScope:
    """A region and everything inside it (village, kecamatan, kab/kota or province)."""

    area: KodeWilayah = attrs.field(validator=_is_code)

    def describe(self) -> str:
        """Return the scope as stored in the audit log (``area:<code>``)."""
        return f"area:{self.area}"


@attrs.frozen
class AgencyScope:
    """An agency (OPD) of a region: the scope of an agency officer."""

    agency_code: str = attrs.field(validator=_non_blank)
    area: KodeWilayah = attrs.field(validator=_is_code)

    def describe(self) -> str:
        """Return the scope as stored in the audit log (``agency:<code>@<area>``)."""
        return f"agency:{self.agency_code}@{self.area}"


Scope: TypeAlias = PosyanduScope | AreaScope | AgencyScope
"""Where an actor may act: a posyandu, an area, or an agency of an area."""

_AREA_LEVELS: dict[Role, frozenset[WilayahLevel]] = {
    Role.DESA_OFFICER: frozenset({WilayahLevel.DESA_KELURAHAN}),
    Role.OPERATOR: frozenset({WilayahLevel.KABUPATEN_KOTA, WilayahLevel.PROVINSI}),
    Role.TIM_PEMBINA: frozenset(WilayahLevel),
    Role.RESEARCHER: frozenset(WilayahLevel),
}


def _scope_mismatch(role: Role, scope: object, need_id: str, need_en: str) -> InvalidValue:
    shown = scope.describe() if hasattr(scope, "describe") else repr(scope)
    return InvalidValue(
        value=shown,
        reason_id=f"peran {role.label.id} membutuhkan lingkup {need_id}",
        reason_en=f"the role {role.label.en} needs the scope {need_en}",
    )


def _check_actor(actor: Actor) -> None:
    role, scope = actor.role, actor.scope
    if role is Role.KADER:
        if not isinstance(scope, PosyanduScope):
            raise _scope_mismatch(role, scope, "satu posyandu", "one posyandu")
        return
    if role is Role.AGENCY_OFFICER:
        if not isinstance(scope, AgencyScope):
            raise _scope_mismatch(role, scope, "satu perangkat daerah", "one agency")
        return
    levels = _AREA_LEVELS[role]
    if not isinstance(scope, AreaScope) or scope.area.level not in levels:
        names_id = " atau ".join(level.label.id for level in sorted(levels))
        names_en = " or ".join(level.label.en for level in sorted(levels))
        raise _scope_mismatch(role, scope, f"wilayah {names_id}", f"an area at {names_en} level")


def _role(value: object) -> Role:
    if isinstance(value, Role):
        return value
    try:
        return Role(str(value))
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidValue(
            value=value,
            reason_id=f"peran harus salah satu dari {known}",
            reason_en=f"the role must be one of {known}",
        ) from None


@attrs.frozen
class Actor:
    """Someone acting through the library: an id, a role, a scope and a display name.

    The role and scope must fit each other: a kader has a :class:`PosyanduScope`; a
    desa/kelurahan officer an :class:`AreaScope` at village level; an operator one at
    kab/kota or province level; Tim Pembina and researchers an :class:`AreaScope` at any
    level; an agency officer an :class:`AgencyScope`.

    Raises:
        InvalidValue: the role and scope do not fit, or the id is empty.

    Example:
        >>> Actor("k-1", Role.KADER, PosyanduScope("p-1")).scope.describe()
        'posyandu:p-1'
    """

    id: str = attrs.field(validator=_non_blank)
    role: Role = attrs.field(converter=_role)
    scope: Scope
    name: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_actor(self)

    @property
    def area(self) -> KodeWilayah | None:
        """The region of an area or agency scope; ``None`` for a kader (a posyandu)."""
        scope = self.scope
        return None if isinstance(scope, PosyanduScope) else scope.area

    def describe(self) -> str:
        """Return ``role scope`` as one line, e.g. ``kader posyandu:p-1``."""
        return f"{self.role.value} {self.scope.describe()}"


# ----------------------------------------------------------------------------- policy


class DataKind(enum.StrEnum):
    """The kinds of data the access rules distinguish."""

    PERSONAL = "personal"
    REGISTER = "register"
    PLANNING = "planning"
    REFERRAL = "referral"
    ACTION_PLAN = "action_plan"
    PUBLIC = "public"
    AUDIT = "audit"


ENTITIES: dict[str, DataKind] = {
    "resident": DataKind.PERSONAL,
    "household": DataKind.PERSONAL,
    "membership": DataKind.PERSONAL,
    "record": DataKind.PERSONAL,
    "subject_request": DataKind.PERSONAL,
    "posyandu": DataKind.REGISTER,
    "retention_rule": DataKind.REGISTER,
    "target": DataKind.PLANNING,
    "quality_input": DataKind.PLANNING,
    "referral": DataKind.REFERRAL,
    "action_plan": DataKind.ACTION_PLAN,
    "wilayah": DataKind.PUBLIC,
    "audit": DataKind.AUDIT,
}
"""Every entity the store keeps, with its kind of data."""

_ROW_ROLES = frozenset({Role.KADER, Role.DESA_OFFICER, Role.OPERATOR})
_REFERRAL_ROLES = _ROW_ROLES | {Role.AGENCY_OFFICER}
_READERS: dict[DataKind, frozenset[Role]] = {
    DataKind.PERSONAL: _ROW_ROLES,
    DataKind.REFERRAL: _REFERRAL_ROLES,
    DataKind.REGISTER: frozenset(Role),
    DataKind.PLANNING: frozenset(Role),
    DataKind.ACTION_PLAN: frozenset(Role),
    DataKind.PUBLIC: frozenset(Role),
    DataKind.AUDIT: frozenset({Role.OPERATOR}),
}
_WRITERS: dict[DataKind, frozenset[Role]] = {
    DataKind.PERSONAL: _ROW_ROLES,
    DataKind.REFERRAL: _REFERRAL_ROLES,
    DataKind.REGISTER: frozenset({Role.OPERATOR}),
    DataKind.PLANNING: frozenset({Role.OPERATOR, Role.AGENCY_OFFICER}),
    DataKind.ACTION_PLAN: frozenset({Role.OPERATOR, Role.TIM_PEMBINA}),
    DataKind.PUBLIC: frozenset({Role.OPERATOR}),
    DataKind.AUDIT: frozenset(),
}
_PURPOSES: dict[DataKind, frozenset[Purpose]] = {
    DataKind.PERSONAL: frozenset(
        {
            Purpose.PENDATAAN,
            Purpose.PELAYANAN,
            Purpose.RUJUKAN,
            Purpose.KOREKSI,
            Purpose.HAK_SUBJEK,
        }
    ),
    DataKind.REFERRAL: frozenset({Purpose.RUJUKAN, Purpose.PELAYANAN}),
    DataKind.REGISTER: frozenset({Purpose.ADMINISTRASI, Purpose.KOREKSI}),
    DataKind.PLANNING: frozenset({Purpose.PELAPORAN, Purpose.ADMINISTRASI, Purpose.KOREKSI}),
    DataKind.ACTION_PLAN: frozenset({Purpose.PELAPORAN, Purpose.ADMINISTRASI, Purpose.KOREKSI}),
    DataKind.PUBLIC: frozenset({Purpose.ADMINISTRASI}),
    DataKind.AUDIT: frozenset(),
}


def data_kind(entity: str) -> DataKind:
    """Return the kind of data ``entity`` (``"resident"``, ``"posyandu"``, …) is.

    Raises:
        InvalidValue: the entity is not one the store keeps.
    """
    try:
        return ENTITIES[entity]
    except KeyError:
        known = ", ".join(sorted(ENTITIES))
        raise InvalidValue(
            value=entity,
            reason_id=f"entitas harus salah satu dari {known}",
            reason_en=f"the entity must be one of {known}",
        ) from None


def may_read(actor: Actor, entity: str) -> bool:
    """Return whether ``actor``'s role may read rows of ``entity`` at all (scope aside)."""
    return actor.role in _READERS[data_kind(entity)]


def may_write(actor: Actor, entity: str) -> bool:
    """Return whether ``actor``'s role may write rows of ``entity`` at all (scope aside)."""
    return actor.role in _WRITERS[data_kind(entity)]


def may_aggregate(actor: Actor, entity: str) -> bool:
    """Return whether ``actor``'s role may count rows of ``entity`` (never see them).

    Counts of referrals within one's scope are open to every role (the Tim Pembina
    monitors agencies this way); counting audit rows stays with the operator.
    """
    kind = data_kind(entity)
    return kind is not DataKind.AUDIT or actor.role is Role.OPERATOR


def may_administer(actor: Actor) -> bool:
    """Return whether ``actor`` may set up regions and posyandu (operators only)."""
    return may_write(actor, "posyandu") and may_write(actor, "wilayah")


def allowed_purposes(entity: str) -> frozenset[Purpose]:
    """Return the purposes for which rows of ``entity`` may be written.

    Example:
        >>> sorted(allowed_purposes("posyandu"))
        [<Purpose.ADMINISTRASI: 'administrasi'>, <Purpose.KOREKSI: 'koreksi'>]
    """
    return _PURPOSES[data_kind(entity)]


def check_purpose(entity: str, purpose: object) -> Purpose:
    """Return ``purpose`` as a :class:`Purpose` if it allows writing ``entity``.

    Raises:
        InvalidValue: the purpose is unknown or does not allow writing this entity (a
            research purpose never writes a resident, say).
    """
    parsed = Purpose.parse(purpose)
    allowed = allowed_purposes(entity)
    if parsed not in allowed:
        names = ", ".join(sorted(p.value for p in allowed)) or "-"
        raise InvalidValue(
            value=parsed.value,
            reason_id=f"tujuan ini tidak boleh dipakai untuk menulis {entity}; yang boleh: {names}",
            reason_en=f"this purpose may not be used to write {entity}; allowed: {names}",
        )
    return parsed


def require_read(actor: Actor, entity: str, action: str) -> None:
    """Raise :class:`AccessDenied` unless ``actor``'s role may read ``entity``.

    Only used where the refusal reveals nothing about rows: list functions return an
    empty list and lookups raise ``NotFound`` instead.
    """
    if not may_read(actor, entity):
        raise AccessDenied(value=action, role=actor.role.value, action=action)


def require_write(actor: Actor, entity: str, action: str) -> None:
    """Raise :class:`AccessDenied` unless ``actor``'s role may write ``entity``."""
    if not may_write(actor, entity):
        raise AccessDenied(value=action, role=actor.role.value, action=action)
