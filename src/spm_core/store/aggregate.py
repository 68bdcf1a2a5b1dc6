"""Counts without rows: the one path analytic queries take through the store.

The indicator engine builds its queries on a :class:`Universe` — the population of a
day and the records that count, as SQLAlchemy Core selectables — and hands them to
:meth:`AggregateMixin.aggregate`, which runs them in a read transaction, rolls the
smallest areas up to the level asked for, and returns integers keyed by area. Nothing
else in the library holds the engine.

Rules this path enforces:

* **scope** — the subjects counted are those in the actor's scope (a kader's posyandu,
  an area and what lies inside it);
* **counts only** — the query may return only the area columns, the allowed
  disaggregation keys (:data:`GROUP_KEYS`) and integers; anything else is refused;
* **restriction of processing** (UU PDP 27/2022 Ps. 11) — a resident who restricted
  processing is **not counted**, for any role: not as a subject, not as a household
  member, and their records are not read. The operator still sees them row by row (to
  lift the restriction) but not in counts;
* **small cells** — with ``suppress_below=n`` every count from 1 to ``n - 1`` comes back
  as ``None``, and enough other counts with it that none can be worked out from what is
  shown (:func:`spm_core.domain.suppression.protect`). It is on by default for
  researchers with threshold :data:`SUPPRESS_BELOW`, who may raise it but not lower or
  disable it. The hidden cells are chosen on the whole table the query spans: every
  area from the villages (or the posyandu) up to the actor's scope, every
  disaggregation key and its "all" margin, and for a count declared ``within``
  another (the served within the counted) the difference of the two as well — so the
  same query asked at another level or with fewer breakdowns
  (``shown_keys``) hides the same cells.

The population follows the store's rule (:mod:`spm_core.store.population`): a resident
counts on a day in the area of their domicile that day when born by then and not yet
dead; a household counts where its head lives; a record counts while not voided.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs
from sqlalchemy import ColumnElement, Select, Subquery, func, or_, select, text

from spm_core.access import Actor, PosyanduScope, Role
from spm_core.domain.suppression import Hierarchy, Position, margins, protect
from spm_core.errors import InvalidValue
from spm_core.store import population
from spm_core.store._core import StoreCore
from spm_core.store._scoping import in_area, posyandu_rows
from spm_core.store.declare import aggregates
from spm_core.store.tables import (
    DomicileRow,
    MembershipRow,
    PosyanduRow,
    RecordRow,
    ReferralRow,
    ResidentRow,
)

__all__ = [
    "AREA_COLUMNS",
    "GROUP_KEYS",
    "SUPPRESS_BELOW",
    "AggregateMixin",
    "Counts",
    "ReportLevel",
    "Universe",
    "threshold_for",
]

SUPPRESS_BELOW = 5
"""Default small-cell threshold for researchers: counts 1–4 are withheld."""

AREA_COLUMNS = ("posyandu_id", "wilayah_code")
"""The first two columns of every aggregate query: the smallest areas."""

GROUP_KEYS = frozenset({"sex", "age_group"})
"""Disaggregation columns an aggregate query may add after the area columns."""

_KEY_VALUES = {
    "sex": re.compile(r"^[LP]$"),
    "age_group": re.compile(r"^\d{1,3}(-\d{1,3}|\+)$"),
}


class ReportLevel(enum.StrEnum):
    """The area level a report is rolled up to."""

    POSYANDU = "posyandu"
    DESA_KELURAHAN = "desa_kelurahan"
    KECAMATAN = "kecamatan"
    KABUPATEN_KOTA = "kabupaten_kota"
    PROVINSI = "provinsi"

    @classmethod
    def parse(cls, value: object) -> ReportLevel:
        """Return the level named ``value`` (``"kelurahan"`` and ``"desa"`` accepted)."""
        if isinstance(value, ReportLevel):
            return value
        name = str(value).strip().lower().replace("/", "_").replace("-", "_")
        name = {
            "kelurahan": "desa_kelurahan",
            "desa": "desa_kelurahan",
            "kota": "kabupaten_kota",
            "kabupaten": "kabupaten_kota",
            "kab_kota": "kabupaten_kota",
        }.get(name, name)
        try:
            return cls(name)
        except ValueError:
            known = ", ".join(level.value for level in cls)
            raise InvalidValue(
                value=value,
                reason_id=f"tingkat laporan harus salah satu dari {known}",
                reason_en=f"the report level must be one of {known}",
            ) from None

    def area_of(self, posyandu_id: str, wilayah_code: str) -> str:
        """Return the area a smallest cell rolls up to at this level."""
        if self is ReportLevel.POSYANDU:
            return posyandu_id
        parts = {
            ReportLevel.DESA_KELURAHAN: 4,
            ReportLevel.KECAMATAN: 3,
            ReportLevel.KABUPATEN_KOTA: 2,
            ReportLevel.PROVINSI: 1,
        }[self]
        return ".".join(wilayah_code.split(".")[:parts])


_RESTRICTED = (
    select(ResidentRow.id).where(ResidentRow.restricted.is_(True)).cte("restricted_resident")
)
"""Residents who restricted processing: one CTE, so a query with many record sets finds
them once (the planners materialise a CTE used more than once) instead of once a set."""


def _scope(actor: Actor, posyandu: Any, wilayah: Any) -> ColumnElement[bool]:
    scope = actor.scope
    if isinstance(scope, PosyanduScope):
        return posyandu == scope.posyandu_id  # type: ignore[no-any-return]
    return in_area(wilayah, scope.area)


@attrs.frozen
class Universe:
    """The population and the counting records, as selectables, for one actor.

    Each method returns a fresh subquery; callers reuse what they build.
    """

    actor: Actor

    def residents_on(self, day: date, *, scoped: bool = True) -> Subquery:
        """Residents alive and domiciled on ``day``, not restricted.

        Who counts is :func:`spm_core.store.population.residents_on`.

        Columns: ``resident_id``, ``posyandu_id``, ``wilayah_code`` (of the domicile
        that day), ``birth_date``, ``sex``. With ``scoped`` only those in the actor's
        scope.
        """
        # the rule's own select, widened by the resident's columns: one look-up of the
        # resident row per domicile (a joined subquery read it twice on SQLite)
        alive = population.residents_on(day)
        r = ResidentRow
        query = alive.add_columns(r.birth_date, r.sex).where(r.restricted.is_(False))
        if scoped:
            query = query.where(
                _scope(self.actor, DomicileRow.posyandu_id, DomicileRow.wilayah_code)
            )
        return query.subquery()

    def members_on(self, day: date) -> Subquery:
        """Household members on ``day`` who are alive, domiciled and not restricted.

        Columns: ``household_id``, ``resident_id``, ``relationship``, ``birth_date``,
        ``sex``, ``posyandu_id``, ``wilayah_code`` (where the member lives that day).
        """
        m, people = MembershipRow, self.residents_on(day, scoped=False)
        return (
            select(
                m.household_id,
                m.resident_id,
                m.relationship,
                people.c.birth_date,
                people.c.sex,
                people.c.posyandu_id,
                people.c.wilayah_code,
            )
            .join(people, people.c.resident_id == m.resident_id)
            .where(m.start_date <= day, or_(m.end_date.is_(None), m.end_date >= day))
            .subquery()
        )

    def households_on(self, day: date, *, scoped: bool = True) -> Subquery:
        """Households with a member alive and domiciled on ``day``, placed where the head lives.

        The place is the domicile that day of the member with the lowest SHDK
        relationship code (1 = kepala keluarga), ties broken by resident id. Columns:
        ``household_id``, ``posyandu_id``, ``wilayah_code``, ``persons`` (the members
        that day, counted in the same pass).
        """
        members = self.members_on(day)
        rank = (
            func.row_number()
            .over(
                partition_by=members.c.household_id,
                order_by=(members.c.relationship, members.c.resident_id),
            )
            .label("rank")
        )
        persons = func.count().over(partition_by=members.c.household_id).label("persons")
        ranked = select(
            members.c.household_id, members.c.posyandu_id, members.c.wilayah_code, rank, persons
        ).subquery()
        query = select(
            ranked.c.household_id, ranked.c.posyandu_id, ranked.c.wilayah_code, ranked.c.persons
        ).where(ranked.c.rank == 1)
        if scoped:
            query = query.where(_scope(self.actor, ranked.c.posyandu_id, ranked.c.wilayah_code))
        return query.subquery()

    def birth_of(self, resident_id: ColumnElement[Any]) -> ColumnElement[Any]:
        """The birth date of the resident ``resident_id`` names (a correlated key look-up).

        Restricted residents have none here: their records are not read anyway.
        """
        r = ResidentRow
        return (
            select(r.birth_date)
            .where(r.id == resident_id, r.restricted.is_(False))
            .scalar_subquery()
        )

    def records(self) -> Subquery:
        """Records that count: not voided, not about a restricted resident.

        Columns: ``id``, ``record_type``, ``resident_id``, ``household_id``,
        ``observed_on``, ``created_at``, ``value``.
        """
        rec = RecordRow
        restricted = select(_RESTRICTED.c.id)
        return (
            select(
                rec.id,
                rec.record_type,
                rec.resident_id,
                rec.household_id,
                rec.observed_on,
                rec.created_at,
                rec.value,
            )
            .where(
                rec.voided_at.is_(None),
                or_(rec.resident_id.is_(None), rec.resident_id.not_in(restricted)),
            )
            .subquery()
        )

    def placed_records(self) -> Subquery:
        """Every record placed at a posyandu in the actor's scope, voided ones included.

        For data-quality counts (late entry, voids, duplicates), not for indicators.
        Records about a restricted resident are left out, as everywhere in counts.
        Columns: ``id``, ``record_type``, ``resident_id``, ``household_id``,
        ``posyandu_id``, ``wilayah_code`` (where the record is placed), ``observed_on``,
        ``created_at``, ``voided_at``, ``superseded_by``.
        """
        rec = RecordRow
        restricted = select(ResidentRow.id).where(ResidentRow.restricted.is_(True))
        return (
            select(
                rec.id,
                rec.record_type,
                rec.resident_id,
                rec.household_id,
                rec.posyandu_id,
                rec.wilayah_code,
                rec.observed_on,
                rec.created_at,
                rec.voided_at,
                rec.superseded_by,
            )
            .where(
                rec.posyandu_id.is_not(None),
                _scope(self.actor, rec.posyandu_id, rec.wilayah_code),
                or_(rec.resident_id.is_(None), rec.resident_id.not_in(restricted)),
            )
            .subquery()
        )

    def raised_referrals(self) -> Subquery:
        """Referrals raised by the posyandu in the actor's scope (counted, never read).

        Columns: ``id``, ``posyandu_id``, ``wilayah_code`` (of the raising posyandu),
        ``need_type``, ``status``, ``created_at``.
        """
        ref = ReferralRow
        return (
            select(
                ref.id, ref.posyandu_id, ref.wilayah_code, ref.need_type, ref.status, ref.created_at
            )
            .where(_scope(self.actor, ref.posyandu_id, ref.wilayah_code))
            .subquery()
        )

    def referrals(self) -> Subquery:
        """Every referral about a resident or a household, whoever raised it.

        Columns: ``need_type``, ``resident_id``, ``household_id``, ``group_id``,
        ``status``. Unscoped like :meth:`records`: a query narrows it through the
        subjects of its driving population (a need already referred elsewhere is still
        being handled).
        """
        ref = ReferralRow
        return (
            select(ref.need_type, ref.resident_id, ref.household_id, ref.group_id, ref.status)
            .where(ref.place_code.is_(None))
            .subquery()
        )


@attrs.frozen
class Counts:
    """What an aggregate returns: integer columns per area (and disaggregation keys).

    ``rows`` maps ``(area, *keys)`` to one value per name in ``columns``; a suppressed
    value is ``None``.
    """

    level: ReportLevel
    keys: tuple[str, ...]
    columns: tuple[str, ...]
    rows: dict[tuple[str | None, ...], tuple[int | None, ...]]
    suppressed_below: int | None = None

    def value(self, key: tuple[str | None, ...], column: str) -> int | None:
        """Return one value (0 for an area with no subject at all)."""
        found = self.rows.get(key)
        return 0 if found is None else found[self.columns.index(column)]


def threshold_for(role: Role, asked: int | None) -> int | None:
    """Return the small-cell threshold an aggregate for ``role`` applies (``None``: none).

    A researcher always gets one, :data:`SUPPRESS_BELOW` at least; other roles only the
    one they ask for.
    """
    if role is Role.RESEARCHER:
        return SUPPRESS_BELOW if asked is None or asked < SUPPRESS_BELOW else asked
    return asked


def _refuse(name: str) -> InvalidValue:
    return InvalidValue(
        value=name,
        reason_id="kueri agregat hanya boleh mengembalikan wilayah, kunci rincian dan "
        "bilangan bulat",
        reason_en="an aggregate query may return only areas, disaggregation keys and integers",
    )


def _check_keys(
    actor: Actor, visible: set[str], values: Sequence[Any], names: Sequence[str]
) -> None:
    """Refuse a row whose area or key is not an area of the actor or an allowed key value."""
    posyandu, village = values[0], values[1]
    area = actor.area
    in_scope = isinstance(village, str) and (
        area is None or village == area.value or village.startswith(area.value + ".")
    )
    if posyandu not in visible or not in_scope:
        raise _refuse(f"{posyandu!r}, {village!r}")
    for name, value in zip(names[2:], values[2:], strict=True):
        if value is not None and not _KEY_VALUES[name].match(str(value)):
            raise _refuse(f"{name}={value!r}")


class AggregateMixin(StoreCore):
    """Counts for reports: the declared aggregate path."""

    @aggregates("record")
    def aggregate(
        self,
        actor: Actor,
        build: Callable[[Universe], Select[Any]],
        *,
        level: ReportLevel | str = ReportLevel.DESA_KELURAHAN,
        keys: Sequence[str] = (),
        suppress_below: int | None = None,
        shown_keys: Sequence[str] | None = None,
        within: Mapping[str, str] | None = None,
    ) -> Counts:
        """Run the count query ``build`` returns for ``actor`` and roll it up to ``level``.

        Args:
            actor: who asks; the universe is narrowed to its scope.
            build: given the actor's :class:`Universe`, return a select whose columns
                are ``posyandu_id``, ``wilayah_code``, then ``keys``, then integers.
            level: the area level of the result.
            keys: disaggregation columns (from :data:`GROUP_KEYS`) after the areas.
            suppress_below: withhold counts from 1 to this minus one (after roll-up),
                and the counts that would let one be worked out. ``None`` is the
                default: on for researchers (:data:`SUPPRESS_BELOW`, which they may
                raise but not lower), off for every other role.
            shown_keys: the keys the result is broken down by (all of ``keys`` by
                default); the others are summed over. Asking the query for more keys
                than are shown makes the suppression the same whichever are shown.
            within: count column → the column counting a set it lies within (the
                served within the counted): the difference is suppressed too.

        Raises:
            InvalidValue: the query returns something other than areas, allowed keys and
                integers.
        """
        report_level = ReportLevel.parse(level)
        _check_shape(keys, shown_keys)
        statement = build(Universe(actor))
        names = tuple(c.name for c in statement.selected_columns)
        lead = len(AREA_COLUMNS) + len(keys)
        if names[: len(AREA_COLUMNS)] != AREA_COLUMNS or names[len(AREA_COLUMNS) : lead] != tuple(
            keys
        ):
            raise _refuse(", ".join(names[:lead]))
        columns = names[lead:]
        with self._db.read() as session:
            if not self._db.is_sqlite:
                # Hashed membership sets need room; the planner's row estimates for these
                # nested sets are far too high, so JIT compilation would cost more than
                # the query itself (seconds at any size): it is off for this transaction.
                session.execute(text("SET LOCAL work_mem = '64MB'"))
                session.execute(text("SET LOCAL jit = off"))
            visible = set(session.scalars(select(PosyanduRow.id).where(posyandu_rows(actor))))
            rows = (tuple(row) for row in session.execute(statement))
            return _roll_up(
                actor,
                visible,
                rows,
                report_level,
                tuple(keys),
                columns,
                suppress_below,
                shown_keys=shown_keys,
                within=within,
            )


def _check_shape(keys: Sequence[str], shown_keys: Sequence[str] | None) -> None:
    unknown = [k for k in keys if k not in GROUP_KEYS]
    unknown += [k for k in shown_keys or () if k not in keys]
    if unknown:
        raise _refuse(unknown[0])


def _roll_up(
    actor: Actor,
    visible: set[str],
    rows: Iterable[Sequence[Any]],
    level: ReportLevel,
    keys: tuple[str, ...],
    columns: tuple[str, ...],
    suppress_below: int | None,
    *,
    shown_keys: Sequence[str] | None = None,
    within: Mapping[str, str] | None = None,
) -> Counts:
    """Check count rows of the smallest areas, roll them up to ``level`` and suppress.

    Each row is ``(posyandu_id, wilayah_code, *keys, *counts)``; a row naming a posyandu
    the actor cannot see, an area outside its scope, a key value not allowed or a count
    that is not an integer is refused (:class:`InvalidValue`). Used by every aggregate
    path of the store, so they all apply one rule. With a threshold the counts are
    first rolled up to the smallest areas (villages, or posyandu for a posyandu-level
    result) and suppressed on the whole table (:func:`_suppressed`).
    """
    shown = tuple(keys if shown_keys is None else shown_keys)
    threshold = threshold_for(actor.role, suppress_below)
    lead = len(AREA_COLUMNS) + len(keys)
    base = (
        level if threshold is None or level is ReportLevel.POSYANDU else ReportLevel.DESA_KELURAHAN
    )
    rolled: dict[tuple[str | None, ...], list[int]] = {}
    for values in rows:
        counts = values[lead:]
        if len(counts) != len(columns) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in counts
        ):
            raise _refuse(repr(counts)[:60])
        _check_keys(actor, visible, values[:lead], (*AREA_COLUMNS, *keys))
        area = base.area_of(str(values[0]), str(values[1]))
        group = dict(
            zip(keys, (None if v is None else str(v) for v in values[2:lead]), strict=True)
        )
        key = (area, *(group[k] for k in (keys if threshold is not None else shown)))
        cell = rolled.setdefault(key, [0] * len(columns))
        for i, v in enumerate(counts):
            cell[i] += v
    if threshold is None:
        exact: dict[tuple[str | None, ...], tuple[int | None, ...]] = {
            key: tuple(cell) for key, cell in rolled.items()
        }
        return Counts(level, shown, columns, exact, None)
    out = _suppressed(actor, rolled, level, keys, shown, columns, dict(within or {}), threshold)
    return Counts(level, shown, columns, out, threshold)


_ALL = "*"
"""The node of a disaggregation key that sums its values (and the root of no area)."""

_NO_VALUE = "-"
"""A key value that is ``None`` (a household has no sex), as a node of the table."""


def _area_tree(actor: Actor, leaves: Iterable[str], level: ReportLevel) -> Hierarchy:
    """The areas of a suppressed table: the smallest ones up to the actor's scope."""
    root = _ALL if actor.area is None else actor.area.value
    parents: dict[str, str | None] = {root: None}
    for leaf in leaves:
        node = leaf
        while node != root and node not in parents:
            above = node.rsplit(".", 1)[0] if "." in node else root
            if level is ReportLevel.POSYANDU or len(above) <= len(root):
                above = root
            parents[node] = above
            node = above
    return Hierarchy(parents)


_DEPTH = {
    ReportLevel.DESA_KELURAHAN: 4,
    ReportLevel.KECAMATAN: 3,
    ReportLevel.KABUPATEN_KOTA: 2,
    ReportLevel.PROVINSI: 1,
}


def _shown_area(level: ReportLevel, tree: Hierarchy, node: str) -> str | None:
    """The area label ``node`` is shown under at ``level`` (``None``: not at that level)."""
    if level is ReportLevel.POSYANDU:
        return None if node == tree.root else node
    if node == _ALL:
        return None
    parts = node.split(".")
    if len(parts) == _DEPTH[level]:
        return node
    if node == tree.root and len(parts) > _DEPTH[level]:  # a level above the scope
        return ".".join(parts[: _DEPTH[level]])
    return None


def _suppressed(
    actor: Actor,
    rolled: dict[tuple[str | None, ...], list[int]],
    level: ReportLevel,
    keys: tuple[str, ...],
    shown: tuple[str, ...],
    columns: tuple[str, ...],
    within: Mapping[str, str],
    threshold: int,
) -> dict[tuple[str | None, ...], tuple[int | None, ...]]:
    """Suppress the rolled-up counts on the table of all areas and keys; keep ``shown``.

    Per count column: the cells of the whole table (areas from the smallest to the
    scope, each key and its total) from 1 to ``threshold - 1`` are protected
    (:func:`~spm_core.domain.suppression.protect`). A column counting a set ``within``
    another also protects its difference (the counted but not served), in a table with
    a third dimension: the outer count, split into inner count and difference. The
    outer column is suppressed on its own first, so every count within it sees the same
    hidden outer cells.
    """
    area = _area_tree(actor, {str(key[0]) for key in rolled}, level)
    dims = [area]
    for i, _ in enumerate(keys):
        seen = sorted({_NO_VALUE if key[i + 1] is None else str(key[i + 1]) for key in rolled})
        dims.append(Hierarchy.flat(_ALL, seen))

    def position(key: tuple[str | None, ...]) -> Position:
        return (str(key[0]), *(_NO_VALUE if v is None else v for v in key[1:]))

    def table(column: int) -> dict[Position, int]:
        return margins({position(k): cell[column] for k, cell in rolled.items()}, dims)

    def small(values: Mapping[Position, int]) -> list[Position]:
        return [p for p, v in values.items() if 0 < v < threshold]

    index = {name: i for i, name in enumerate(columns)}
    hidden: dict[str, frozenset[Position]] = {}
    outer_tables: dict[str, dict[Position, int]] = {}
    for name in columns:
        if name in within:
            continue
        values = table(index[name])
        outer_tables[name] = values
        hidden[name] = protect(values, dims, small(values))
    split = Hierarchy({"outer": None, "inner": "outer", "rest": "outer"})
    for name, outer in within.items():
        inner = table(index[name])
        whole = outer_tables[outer]
        cube = {(*p, "inner"): v for p, v in inner.items()}
        cube.update({(*p, "outer"): v for p, v in whole.items()})
        cube.update({(*p, "rest"): v - inner.get(p, 0) for p, v in whole.items()})
        given = [(*p, part) for p in hidden[outer] for part in ("outer", "rest")]
        found = protect(cube, [*dims, split], small(cube), hidden=given)
        hidden[name] = frozenset(p[:-1] for p in found if p[-1] == "inner")
    keep = [keys.index(k) + 1 for k in shown]
    out: dict[tuple[str | None, ...], tuple[int | None, ...]] = {}
    listed = {position(k) for k in rolled}
    tables = {name: outer_tables.get(name) or table(index[name]) for name in columns}
    every = set(margins(dict.fromkeys(listed, 0), dims)).union(*hidden.values())
    for p in sorted(every):
        label = _shown_area(level, area, p[0])
        if label is None or any((p[i] == _ALL) != (i not in keep) for i in range(1, len(p))):
            continue
        row = tuple(None if p in hidden[name] else tables[name].get(p, 0) for name in columns)
        key = (label, *(None if p[i] == _NO_VALUE else p[i] for i in keep))
        out[key] = row
    return out
