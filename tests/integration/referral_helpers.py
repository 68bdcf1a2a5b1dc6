"""Helpers for referral tests: a plugin with need types, agencies and routes, and a world."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import attrs
from store_helpers import World

from spm_core.access import Actor, AgencyScope, Purpose, Role
from spm_core.definitions import (
    Agency,
    AgencyRole,
    Definition,
    FieldDefinition,
    JointLeaveDay,
    NeedType,
    PluginInfo,
    RoutingRule,
)
from spm_core.domain import KodeWilayah, SpmField, Subject, Text
from spm_core.hookspecs import hookimpl
from spm_core.store import ReferralContext, RouteTarget, Submission

KOTA = KodeWilayah("32.75")


def _need(code: str, field: SpmField, subject: Subject, **more: object) -> NeedType:
    return NeedType(
        code=code,
        title=Text(f"Uji {code}", f"Test {code}"),
        field=field,
        subject=subject,
        sla_days=5,
        **more,  # type: ignore[arg-type]
    )


DEFINITIONS: tuple[Definition, ...] = (
    FieldDefinition(code="sosial", field=SpmField.SOSIAL, title=Text("Sosial", "Social")),
    FieldDefinition(code="perkim", field=SpmField.PERKIM, title=Text("Perkim", "Housing")),
    FieldDefinition(code="pupr", field=SpmField.PUPR, title=Text("PUPR", "Public works")),
    _need("uji.alat-bantu", SpmField.SOSIAL, Subject.RESIDENT),
    _need("uji.identitas", SpmField.SOSIAL, Subject.RESIDENT, shared_fields=("name", "nik")),
    _need("uji.rtlh", SpmField.PERKIM, Subject.HOUSEHOLD),
    _need("uji.jalan", SpmField.PUPR, Subject.PLACE),
    AgencyRole(code="uji-dinsos", title=Text("Dinas Sosial", "Social office")),
    AgencyRole(code="uji-perkim", title=Text("Dinas Perkim", "Housing office")),
    AgencyRole(code="uji-pu", title=Text("Dinas PU", "Public works office")),
    Agency(
        code="kota.dinsos",
        title=Text("Dinas Sosial Kota Bekasi", "Kota Bekasi social office"),
        roles=("uji-dinsos",),
        area=KOTA,
    ),
    Agency(
        code="kota.disperkimtan",
        title=Text("Disperkimtan Kota Bekasi", "Kota Bekasi housing office"),
        roles=("uji-perkim",),
        area=KOTA,
    ),
    Agency(
        code="kota.dbmsda",
        title=Text("DBMSDA Kota Bekasi", "Kota Bekasi roads and water office"),
        roles=("uji-pu",),
        area=KOTA,
    ),
    RoutingRule(
        code="uji.alat-bantu.r",
        title=Text("r", "r"),
        need_type="uji.alat-bantu",
        roles="uji-dinsos",
    ),
    RoutingRule(
        code="uji.identitas.r", title=Text("r", "r"), need_type="uji.identitas", roles="uji-dinsos"
    ),
    RoutingRule(code="uji.rtlh.r", title=Text("r", "r"), need_type="uji.rtlh", roles="uji-perkim"),
    RoutingRule(code="uji.jalan.r", title=Text("r", "r"), need_type="uji.jalan", roles="uji-pu"),
    JointLeaveDay(
        code="uji.cuti-2025-04-02",
        title=Text("Cuti bersama Idulfitri", "Eid al-Fitr joint leave"),
        day=date(2025, 4, 2),
    ),
)


class ReferralTestPlugin:
    """Three fields, four need types (one per subject, one sharing the NIK), routes."""

    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(name="uji-rujukan", title=Text("Uji rujukan", "Referral test"))

    @hookimpl
    def spm_definitions(self) -> list[Definition]:
        return list(DEFINITIONS)


def officer(agency: str = "kota.dinsos", actor_id: str | None = None) -> Actor:
    """Return an officer of ``agency`` (in Kota Bekasi)."""
    return Actor(actor_id or f"opd-{agency}", Role.AGENCY_OFFICER, AgencyScope(agency, KOTA))


@attrs.frozen
class FixedRouter:
    """Routes every need to ``agencies`` in turn (skipping those excluded), due in 7 days."""

    agencies: tuple[str, ...] = ("kota.dinsos",)
    fan_out: bool = False

    def __call__(self, context: ReferralContext) -> Sequence[RouteTarget]:
        left = [a for a in self.agencies if a not in context.exclude]
        chosen = left if self.fan_out else left[:1]
        return [
            RouteTarget(a, context.on + timedelta(days=7), {"rule": "fixed", "agency": a})
            for a in chosen
        ]


def submit(
    world: World,
    posyandu: str,
    key: str,
    *,
    resident_id: str | None = None,
    need: str = "uji.alat-bantu",
    router: FixedRouter | None = FixedRouter(),
    on: date = date(2025, 3, 3),
    **more: object,
) -> Submission:
    """Submit one need for a (new, unless given) resident of ``posyandu``."""
    rid = resident_id or world.resident(posyandu).id
    return world.store.submit_referral(
        world.kader(posyandu),
        {"idempotency_key": key, "need_type": need, "resident_id": rid, "on": on, **more},
        Purpose.RUJUKAN,
        world.catalog,
        route=router,
    )


# ----------------------------------------------------------------------------- contention


@attrs.frozen
class Op:
    """One operation of a contention script: a submission or a lifecycle step."""

    kind: str  # "submit" or an action value
    key: str
    resident: int = 0
    contended: bool = False


def contention_script(process: int, *, shared: int, private: int) -> list[Op]:
    """Return the operations of one process, in a fixed pseudo-random interleaving.

    Every process submits the same ``shared`` keys (replays of one body) and then tries
    to accept each at version 2 (exactly one process in all can win); it also submits
    ``private`` keys of its own and walks each through a lifecycle chain.
    """
    import random

    rng = random.Random(process)
    chains: list[list[Op]] = []
    for i in range(shared):
        key = f"s-{i}"
        chains.append([Op("submit", key, i), Op("accept", key, contended=True)])
    for j in range(private):
        key = f"p{process}-{j}"
        resident = shared + process * private + j
        steps = {
            0: ["accept", "start", "resolve"],
            1: ["reject", "reroute", "accept"],
            2: ["cancel"],
        }[j % 3]
        chains.append([Op("submit", key, resident)] + [Op(s, key) for s in steps])
    ops: list[Op] = []
    while chains:
        chain = rng.choice(chains)
        ops.append(chain.pop(0))
        if not chain:
            chains.remove(chain)
    return ops


def run_script(
    url: str,
    posyandu_id: str,
    residents: Sequence[str],
    ops: Sequence[Op],
) -> list[tuple[str, str, str]]:
    """Run ``ops`` against the store at ``url``; return (key, op, outcome) per operation.

    A contended accept may lose (``concurrent-update``); anything else that fails is
    returned as ``error:<text>`` so the caller can show it.
    """
    from store_helpers import StoreTestPlugin, kader

    from spm_core.catalog import Catalog
    from spm_core.errors import ConcurrentUpdate
    from spm_core.plugins import make_plugin_manager
    from spm_core.store import open_store

    catalog = Catalog.build(
        make_plugin_manager(entry_points=False, extra=[StoreTestPlugin(), ReferralTestPlugin()])
    )
    router = FixedRouter(("kota.dinsos", "kota.disperkimtan"))
    store = open_store(url, upgrade=False)
    raiser = kader(posyandu_id, "kader-contention")
    ids: dict[str, str] = {}
    versions: dict[str, int] = {}
    out: list[tuple[str, str, str]] = []
    try:
        for op in ops:
            try:
                if op.kind == "submit":
                    made = store.submit_referral(
                        raiser,
                        {
                            "idempotency_key": op.key,
                            "need_type": "uji.alat-bantu",
                            "resident_id": residents[op.resident],
                            "on": date(2025, 3, 3),
                        },
                        Purpose.RUJUKAN,
                        catalog,
                        route=router,
                    )
                    ids[op.key] = made.referral.id
                    versions[op.key] = made.referral.version
                    out.append((op.key, op.kind, "replayed" if made.replayed else "created"))
                    continue
                holder = officer(
                    "kota.disperkimtan"
                    if op.kind == "accept" and versions[op.key] == 4
                    else "kota.dinsos"
                )
                actor = holder if op.kind in ("accept", "reject", "start", "resolve") else raiser
                version = 2 if op.contended else versions[op.key]
                (after,) = store.transition_referral(
                    actor,
                    ids[op.key],
                    op.kind,
                    version,
                    Purpose.RUJUKAN,
                    reason="bukan kewenangan",
                    outcome="selesai",
                    on=date(2025, 3, 4),
                    route=router,
                )
                versions[op.key] = after.version
                out.append((op.key, op.kind, "ok"))
            except ConcurrentUpdate:
                out.append((op.key, op.kind, "concurrent-update" if op.contended else "error:cu"))
            except Exception as error:  # reported to the test, which fails on it
                out.append((op.key, op.kind, f"error:{type(error).__name__}:{error}"))
    finally:
        store.close()
    return out
