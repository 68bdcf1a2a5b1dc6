"""Every public read of personal data is scoped, purpose-bound and logged (UU PDP; T7).

The reads are found by introspection — every public method of the Store and of the
Registry declared as a read of personal rows or referrals — so a new one cannot escape:
the first test fails until it is probed here. Each is then probed three ways:

* **without a purpose**, by an operator: refused with ``purpose-required`` before a
  single SQL statement runs, and nothing is logged;
* **with a purpose**: exactly one new audit row, naming that purpose and the number of
  rows the call returned (an export or an extract counts its own rows);
* **out of scope**, by the operator of the other kab/kota: not found (or refused, or
  nothing), and no id of the posyandu read appears in what comes back.

A kader reading their own posyandu names no purpose and is never refused.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from referral_helpers import ReferralTestPlugin
from sqlalchemy import event, func, select
from store_helpers import StoreTestPlugin, kader
from test_access_matrix import (
    DATABASES,
    PROBES,
    VILLAGES,
    Seeded,
    _declared,
    _seed_posyandu,
    _TriggerPlugin,
)

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.api import Registry
from spm_core.catalog import Catalog
from spm_core.definitions import Definition, HasRecord, Indicator, PluginInfo, Window
from spm_core.domain import KodeWilayah, SpmField, Subject, Text
from spm_core.domain.pseudonym import ResearchKey
from spm_core.errors import AccessDenied, NotFound, PurposeRequired
from spm_core.hookspecs import hookimpl
from spm_core.indicators.suggest import Suggestion
from spm_core.plugins import make_plugin_manager
from spm_core.store import ExportTable, Store, SubjectRef, declaration, open_store
from spm_core.store.tables import AuditRow

KEY = "kunci-proyek-tujuan-baca-2026"
ON = date(2025, 1, 1)
KOTA = Actor("op-kota", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
KAB = Actor("op-kab", Role.OPERATOR, AreaScope(KodeWilayah("32.16")))


class _IndicatorPlugin:
    """One indicator to explain: residents with a weighing recorded, any time."""

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(name="uji-indikator", title=Text("Uji indikator", "Indicator test"))

    @hookimpl
    def spm_definitions(self) -> list[Definition]:
        return [
            Indicator(
                code="uji.ditimbang",
                title=Text("Ditimbang", "Weighed"),
                field=SpmField.KESEHATAN,
                service_type=None,
                subject=Subject.RESIDENT,
                numerator=HasRecord("uji.timbang", window=Window.EVER),
            )
        ]


@attrs.frozen
class Harness:
    store: Store
    registry: Registry
    posyandu: tuple[Seeded, ...]
    suggestion: Suggestion


@pytest.fixture(scope="module", params=DATABASES)
def harness(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    make_database: Callable[[str, Path], AbstractContextManager[str]],
) -> Iterator[Harness]:
    plugins = [StoreTestPlugin(), ReferralTestPlugin(), _TriggerPlugin(), _IndicatorPlugin()]
    manager = make_plugin_manager(entry_points=False, extra=plugins)
    catalog = Catalog.build(manager)
    with make_database(request.param, tmp_path_factory.mktemp("purpose")) as url:
        store = open_store(url)
        try:
            # One posyandu in Kota Bekasi and one in Kabupaten Bekasi.
            seeded = (
                _seed_posyandu(store, catalog, 0, VILLAGES[0]),
                _seed_posyandu(store, catalog, 1, VILLAGES[4]),
            )
            registry = Registry(manager, catalog, store)
            (suggestion,) = registry.suggest_needs(
                kader(seeded[0].posyandu), seeded[0].village, "2025-01"
            )
            yield Harness(store, registry, seeded, suggestion)
        finally:
            store.close()


# --------------------------------------------------------------------------- probes

Call = Callable[..., Any]
"""``call(harness, actor, seeded, **keywords)``; the keywords (``purpose``) go to the read."""


def _store_probe(name: str) -> Call:
    probe = PROBES[name][0]
    return lambda h, a, y, **w: probe(h.store, a, y, **w)


STORE_PROBES: dict[str, Call] = {
    name: _store_probe(name)
    for name, found in _declared(Store).items()
    if found is not None and found.purpose_bound and name in PROBES
}
STORE_PROBES |= {
    "export_subject": lambda h, a, y, **w: h.store.export_subject(a, y.residents[0], **w),
    "research_rows": lambda h, a, y, **w: h.store.research_rows(
        a, ResearchKey.parse(KEY), on=ON, **w
    ),
    "research_extract_rows": lambda h, a, y, **w: h.store.research_extract_rows(
        a, ResearchKey.parse(KEY), on=ON, **w
    ),
}

REGISTRY_PROBES: dict[str, Call] = {
    "read_resident": lambda h, a, y, **w: h.registry.read_resident(a, y.residents[0], **w),
    "read_records": lambda h, a, y, **w: h.registry.read_records(
        a, SubjectRef.resident(y.residents[0]), **w
    ),
    "explain": lambda h, a, y, **w: h.registry.explain(
        a, "uji.ditimbang", y.residents[0], "2025", **w
    ),
    "explain_need": lambda h, a, y, **w: h.registry.explain_need(
        a, "uji.timbang-tercatat", y.residents[0], "2025-01", **w
    ),
    "explain_suggestion": lambda h, a, y, **w: h.registry.explain_suggestion(a, h.suggestion, **w),
    "suggest_needs": lambda h, a, y, **w: h.registry.suggest_needs(a, y.village, "2025-01", **w),
    "subject_requests": lambda h, a, y, **w: h.registry.subject_requests(a, **w),
    "export_subject": lambda h, a, y, **w: h.registry.export_subject(a, y.residents[0], **w),
    "research_extract": lambda h, a, y, **w: h.registry.research_extract(a, key=KEY, on=ON, **w),
}

PROBED = [("store", name) for name in sorted(STORE_PROBES)] + [
    ("registry", name) for name in sorted(REGISTRY_PROBES)
]


def _purpose_bound(cls: type) -> dict[str, Any]:
    return {n: d for n, d in _declared(cls).items() if d is not None and d.purpose_bound}


def _probe(owner: str, name: str) -> Call:
    return (STORE_PROBES if owner == "store" else REGISTRY_PROBES)[name]


def _declared_read(owner: str, name: str) -> Any:
    found = declaration(getattr(Store if owner == "store" else Registry, name))
    assert found is not None
    return found


def _default_purpose(owner: str, name: str) -> object:
    method = getattr(Store if owner == "store" else Registry, name)
    return inspect.signature(method).parameters["purpose"].default


# An export that names its own purpose (hak_subjek, penelitian) cannot be called without one.
NEED_A_PURPOSE = [(owner, name) for owner, name in PROBED if _default_purpose(owner, name) is None]


def _rows(result: object) -> int | None:
    """How many rows ``result`` hands out; ``None`` where a call reads more than it returns."""
    if isinstance(result, tuple) and len(result) == 2 and all(isinstance(p, list) for p in result):
        # research_extract_rows: the residents (counted) and their records
        return len(result[0])
    if isinstance(result, list | tuple):
        return len(result)
    if isinstance(result, ExportTable):
        return len(result.rows)
    if isinstance(result, dict):
        # The subject export counts the resident and every listed row, before it adds
        # its own line to the processing log it hands out: the two cancel out.
        return sum(len(v) for v in result.values() if isinstance(v, list))
    rows = getattr(result, "rows", None)
    if isinstance(rows, tuple):
        return len(rows)
    if hasattr(result, "processing_log"):
        return None
    if type(result).__name__.endswith("Explanation"):
        return None
    return 1


def _audit_count(store: Store) -> int:
    with store._engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(AuditRow)) or 0)


def _last_audit(store: Store) -> Any:
    with store._engine.connect() as connection:
        return connection.execute(select(AuditRow).order_by(AuditRow.id.desc()).limit(1)).one()


@contextmanager
def _statements(store: Store) -> Iterator[list[str]]:
    """Record every SQL statement the store's engine runs inside the block."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(store._engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store._engine, "before_cursor_execute", record)


# --------------------------------------------------------------------------- meta


def test_every_personal_read_of_the_store_and_the_registry_is_probed() -> None:
    assert set(_purpose_bound(Store)) == set(STORE_PROBES)
    assert set(_purpose_bound(Registry)) == set(REGISTRY_PROBES)


@pytest.mark.parametrize("cls", [Store, Registry])
def test_every_read_of_personal_rows_or_referrals_is_purpose_bound(cls: type) -> None:
    for name, found in _declared(cls).items():
        if found is None or found.kind != "read":
            continue
        personal = found.entity in {
            "resident",
            "household",
            "membership",
            "record",
            "subject_request",
            "referral",
        }
        assert found.purpose_bound == personal, name
        if personal:
            assert "purpose" in inspect.signature(getattr(cls, name)).parameters, name


@pytest.mark.parametrize(("owner", "name"), PROBED)
def test_only_an_export_names_its_own_purpose(owner: str, name: str) -> None:
    """A read takes ``purpose=None``; a default purpose is an export's own, and logged."""
    default = _default_purpose(owner, name)
    if default is not None:
        assert default in (Purpose.HAK_SUBJEK, Purpose.PENELITIAN), name
        assert _declared_read(owner, name).logs_itself, name


def test_the_read_log_is_written_by_the_store_alone() -> None:
    assert not hasattr(Store, "log_read")
    assert all(not name.startswith("log") for name in _declared(Store))


# --------------------------------------------------------------------------- reads


@pytest.mark.parametrize(("owner", "name"), NEED_A_PURPOSE)
def test_a_read_without_purpose_is_refused_before_anything_is_read(
    harness: Harness, owner: str, name: str
) -> None:
    target = harness.posyandu[0]
    before = _audit_count(harness.store)
    with _statements(harness.store) as seen, pytest.raises(PurposeRequired) as refused:
        _probe(owner, name)(harness, KOTA, target)
    assert seen == []
    assert _audit_count(harness.store) == before
    assert refused.value.code == "purpose-required"
    assert name in refused.value.message_en
    assert "tujuan pemrosesan" in refused.value.message_id


@pytest.mark.parametrize(("owner", "name"), PROBED)
def test_a_read_with_purpose_leaves_one_audit_row_with_its_count(
    harness: Harness, owner: str, name: str
) -> None:
    target = harness.posyandu[0]
    why = Purpose.PENELITIAN if "research" in name else Purpose.HAK_SUBJEK
    before = _audit_count(harness.store)
    result = _probe(owner, name)(harness, KOTA, target, purpose=why)
    assert _audit_count(harness.store) == before + 1, name
    line = _last_audit(harness.store)
    assert (line.actor_id, line.purpose) == ("op-kota", why.value)
    assert line.action in {"read", "export", "extract"}
    expected = _rows(result)
    if expected is None:
        assert line.row_count >= 1
    else:
        assert line.row_count == expected, name
    assert target.niks[0] not in repr(tuple(line))  # the log names fields, never values


@pytest.mark.parametrize(("owner", "name"), PROBED)
def test_a_read_out_of_scope_finds_nothing(harness: Harness, owner: str, name: str) -> None:
    target = harness.posyandu[0]  # Kota Bekasi, read by the operator of Kabupaten Bekasi
    try:
        result = _probe(owner, name)(harness, KAB, target, purpose=Purpose.PELAYANAN)
    except (NotFound, AccessDenied):
        return
    shown = repr(result)
    assert not [i for i in target.ids | set(target.niks) if i in shown], name


@pytest.mark.parametrize(("owner", "name"), PROBED)
def test_a_kader_reads_their_own_posyandu_without_naming_a_purpose(
    harness: Harness, owner: str, name: str
) -> None:
    target = harness.posyandu[0]
    try:
        _probe(owner, name)(harness, kader(target.posyandu), target)
    except AccessDenied:  # operator-only reads (the subject export)
        assert "export_subject" in name


def test_a_kader_naming_a_purpose_is_logged_too(harness: Harness) -> None:
    target = harness.posyandu[0]
    before = _audit_count(harness.store)
    found = harness.store.list_households(
        kader(target.posyandu), posyandu_id=target.posyandu, purpose="pelayanan"
    )
    assert _audit_count(harness.store) == before + 1
    line = _last_audit(harness.store)
    assert (line.action, line.entity, line.purpose, line.row_count) == (
        "read",
        "household",
        "pelayanan",
        len(found),
    )
