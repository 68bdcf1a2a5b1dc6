"""Routing rules: need type × area × subject context → agency role."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.definitions.expr import Expr
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InvalidValue

__all__ = ["RoutingRule"]


def _roles(value: str | Iterable[str]) -> tuple[str, ...]:
    """Return the role codes as a tuple (a lone string is one role, not its letters)."""
    return (value,) if isinstance(value, str) else tuple(value)


def _some_roles(_inst: object, _attr: object, value: tuple[str, ...]) -> None:
    if not value or len(set(value)) != len(value):
        raise InvalidValue(
            value=value,
            reason_id="aturan rujukan menyebut sedikitnya satu peran, masing-masing sekali",
            reason_en="a routing rule names at least one role, each once",
        )


@attrs.frozen(kw_only=True)
class RoutingRule(Definition):
    """Send needs of ``need_type`` to the agencies holding ``roles`` — all of them.

    ``roles`` is one role (``roles="dinas-perkim"``) or several for a fan-out: a house a
    flood damaged goes to the housing office *and* the disaster agency
    (``roles=("dinas-perkim", "bpbd")``); each role is resolved to its own agency and the
    need is referred to every one. ``area`` limits the rule to a region (``None``:
    everywhere); among the rules that apply, the most specific area wins, then the higher
    ``priority``; exactly one rule decides. ``when`` optionally narrows the rule by the
    subject's context (age, sex, a latest record value), see :mod:`spm_core.routing`.
    """

    kind: ClassVar[str] = "routing_rule"
    kind_label: ClassVar[Text] = Text("aturan rujukan", "routing rule")
    need_type: str
    roles: tuple[str, ...] = attrs.field(converter=_roles, validator=_some_roles)
    area: KodeWilayah | None = None
    when: Expr | None = None
    priority: int = 0

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the need type, every role and every record type in ``when``."""
        refs = [("need_type", self.need_type), *(("agency_role", role) for role in self.roles)]
        if self.when is not None:
            refs.extend((r.kind, r.code) for r in self.when.references())
        return tuple(refs)
