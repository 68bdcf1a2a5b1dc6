"""A state machine over the referral lifecycle, against a model, on SQLite.

Hypothesis drives submissions (single or fan-out) and every lifecycle step by every kind
of actor — the raising kader, a kader of another posyandu, the officer of the holding
agency, the officer of another agency — with current or stale versions, on days that
move forward. After every step:

* every referral's state is in the graph and equals the model's; its version counts its
  steps;
* exactly one history event and one audit row exist per step, with the same actions;
* a closed referral is byte-for-byte what it was when it closed;
* replaying a submission returns its group as it stands and writes nothing;
* a kader sees exactly the referrals its posyandu raised and an agency officer exactly
  those routed to the agency.

``REFERRAL_MACHINE_EXAMPLES`` (default 25 in CI; the full 100 × 50 run takes about
two minutes here) and ``REFERRAL_MACHINE_STEPS`` (default 50)
set the size of the run.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, timedelta
from typing import Any

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)
from referral_helpers import FixedRouter, ReferralTestPlugin, officer
from store_helpers import StoreTestPlugin, build_world

from spm_core.access import Actor, Purpose
from spm_core.catalog import Catalog
from spm_core.domain.referral import (
    AGENCY_ACTIONS,
    CLOSED,
    TRANSITIONS,
    ReferralAction,
    ReferralStatus,
)
from spm_core.errors import (
    AccessDenied,
    ConcurrentUpdate,
    IllegalTransition,
    NotFound,
    ReferralError,
)
from spm_core.plugins import make_plugin_manager
from spm_core.store import Referral, open_store

AGENCIES = ("kota.dinsos", "kota.disperkimtan")
ROUTER = FixedRouter(AGENCIES)
FAN_OUT = FixedRouter(AGENCIES, fan_out=True)
STEPS = [a for a in ReferralAction if a is not ReferralAction.SUBMIT]
START = date(2025, 3, 3)
CATALOG = Catalog.build(
    make_plugin_manager(entry_points=False, extra=[StoreTestPlugin(), ReferralTestPlugin()])
)


@attrs.define
class Model:
    """What the test expects of one referral."""

    posyandu: str
    status: ReferralStatus
    version: int
    agency: str | None
    due_on: date | None
    rejected_by: list[str]
    closed: Referral | None = None


class ReferralLifecycle(RuleBasedStateMachine):
    """Submissions and steps by every kind of actor, checked against :class:`Model`."""

    referrals = Bundle("referrals")

    @initialize()
    def open_world(self) -> None:
        self.store = open_store("sqlite://")
        self.world = build_world(self.store, CATALOG)
        self.model: dict[str, Model] = {}
        self.day = START
        self.keys = 0
        self.bodies: dict[str, dict[str, Any]] = {}
        self.groups: dict[str, tuple[str, ...]] = {}

    def teardown(self) -> None:
        if hasattr(self, "store"):
            self.store.close()

    # ------------------------------------------------------------------ rules

    @rule(
        target=referrals,
        posyandu=st.sampled_from(["mawar", "anggrek"]),
        fan_out=st.booleans(),
    )
    def submit(self, posyandu: str, fan_out: bool) -> Any:
        self.keys += 1
        resident = self.world.resident(posyandu)
        key = f"m-{self.keys}"
        body = {
            "idempotency_key": key,
            "need_type": "uji.alat-bantu",
            "resident_id": resident.id,
            "on": self.day,
        }
        made = self.store.submit_referral(
            self.world.kader(posyandu),
            body,
            Purpose.RUJUKAN,
            CATALOG,
            route=FAN_OUT if fan_out else ROUTER,
        )
        self.bodies[key] = {"posyandu": posyandu, "body": body, "fan_out": fan_out}
        self.groups[key] = tuple(r.id for r in made.referrals)
        assert len(made.referrals) == (2 if fan_out else 1)
        for referral in made.referrals:
            assert referral.status is ReferralStatus.ROUTED
            self.model[referral.id] = Model(
                posyandu=posyandu,
                status=ReferralStatus.ROUTED,
                version=2,
                agency=referral.agency_code,
                due_on=referral.due_on,
                rejected_by=[],
            )
        return multiple(*(r.id for r in made.referrals))

    @rule(
        referral_id=referrals,
        action=st.sampled_from(STEPS),
        who=st.sampled_from(["origin", "other-kader", "holder", "other-agency"]),
        stale=st.booleans(),
        days=st.integers(min_value=0, max_value=4),
    )
    def step(
        self, referral_id: str, action: ReferralAction, who: str, stale: bool, days: int
    ) -> None:
        self.day += timedelta(days=days)
        model = self.model[referral_id]
        actor = self._actor(model, who)
        expected = self._expected(model, action, who, stale)
        version = model.version - 1 if stale else model.version
        failed: Exception | None = None
        try:
            result = self.store.transition_referral(
                actor,
                referral_id,
                action,
                version,
                Purpose.RUJUKAN,
                reason="alasan",
                outcome="hasil",
                on=self.day,
                route=ROUTER,
            )
        except (NotFound, AccessDenied, ConcurrentUpdate, IllegalTransition, ReferralError) as e:
            failed = e
        if failed is not None:
            assert type(failed) is expected, (action, who, stale, model.status, failed)
            return
        assert expected is None, (action, who, stale, model.status, "succeeded")
        referral = result[0]
        model.version += 1
        model.status = TRANSITIONS[(model.status, action)]
        if action is ReferralAction.REJECT:
            assert model.agency is not None
            model.rejected_by.append(model.agency)
        if action is ReferralAction.REROUTE:
            model.agency = referral.agency_code
            model.due_on = referral.due_on
        assert referral.status is model.status
        assert referral.version == model.version
        if model.status in CLOSED:
            model.closed = referral
        history = self.store.referral_history(
            self.world.operator, referral_id, purpose=Purpose.PELAYANAN
        )
        assert [e.sequence for e in history] == list(range(1, model.version + 1))
        assert history[-1].action is action

    @precondition(lambda self: bool(getattr(self, "bodies", None)))
    @rule(data=st.data())
    def replay(self, data: st.DataObject) -> None:
        """A replayed submission returns the group as it stands and changes nothing."""
        key = data.draw(st.sampled_from(sorted(self.bodies)))
        sent = self.bodies[key]
        again = self.store.submit_referral(
            self.world.kader(sent["posyandu"]),
            sent["body"],
            Purpose.RUJUKAN,
            CATALOG,
            route=FAN_OUT if sent["fan_out"] else ROUTER,
        )
        assert again.replayed
        assert tuple(r.id for r in again.referrals) == self.groups[key]
        for referral in again.referrals:
            model = self.model[referral.id]
            assert (referral.status, referral.version) == (model.status, model.version)

    def _actor(self, model: Model, who: str) -> Actor:
        if who == "origin":
            return self.world.kader(model.posyandu)
        if who == "other-kader":
            return self.world.kader("anggrek" if model.posyandu == "mawar" else "mawar")
        holder = model.agency or AGENCIES[0]
        if who == "holder":
            return officer(holder)
        return officer(next(a for a in AGENCIES if a != holder))

    def _expected(
        self, model: Model, action: ReferralAction, who: str, stale: bool
    ) -> type[Exception] | None:
        if who in ("other-kader", "other-agency"):
            return NotFound
        if (action in AGENCY_ACTIONS) != (who == "holder"):
            return AccessDenied
        if stale:
            return ConcurrentUpdate
        if (model.status, action) not in TRANSITIONS:
            return IllegalTransition
        if action is ReferralAction.ESCALATE and (model.due_on is None or self.day <= model.due_on):
            return ReferralError
        if action is ReferralAction.REROUTE and set(AGENCIES) <= set(model.rejected_by):
            return ReferralError
        return None

    # ------------------------------------------------------------------ invariants

    @invariant()
    def states_versions_and_one_event_and_audit_row_per_step(self) -> None:
        if not getattr(self, "model", None):
            return
        rows = {
            r.id: r
            for r in self.store.list_referrals(self.world.operator, purpose=Purpose.PELAYANAN)
        }
        assert set(rows) == set(self.model)
        audit = Counter(  # one row per write; this invariant's own reads are logged too
            e.entity_id
            for e in self.store.list_audit(self.world.operator, entity="referral")
            if e.action != "read"
        )
        for referral_id, model in self.model.items():
            row = rows[referral_id]
            assert row.status in ReferralStatus
            assert row.status is model.status
            assert row.version == model.version
            assert audit[referral_id] == model.version
            if model.closed is not None:
                assert row == model.closed

    @invariant()
    def each_side_sees_only_its_referrals(self) -> None:
        if not getattr(self, "model", None):
            return
        for posyandu in ("mawar", "anggrek", "melati"):
            seen = {r.id for r in self.store.list_referrals(self.world.kader(posyandu))}
            assert seen == {i for i, m in self.model.items() if m.posyandu == posyandu}
        for agency in AGENCIES:
            seen = {
                r.id for r in self.store.list_referrals(officer(agency), purpose=Purpose.PELAYANAN)
            }
            assert seen == {i for i, m in self.model.items() if m.agency == agency}


ReferralLifecycle.TestCase.settings = settings(
    max_examples=int(os.environ.get("REFERRAL_MACHINE_EXAMPLES", "25")),
    stateful_step_count=int(os.environ.get("REFERRAL_MACHINE_STEPS", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestReferralLifecycle = ReferralLifecycle.TestCase
