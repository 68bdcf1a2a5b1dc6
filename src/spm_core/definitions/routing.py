"""Routing rules: need type × area × subject context → agency role."""

from __future__ import annotations

from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.definitions.expr import Expr
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah

__all__ = ["RoutingRule"]


@attrs.frozen(kw_only=True)
class RoutingRule(Definition):
    """Send needs of ``need_type`` to the agency holding ``role``.

    ``area`` limits the rule to a region (``None``: everywhere); the most specific area
    wins, then the higher ``priority``. ``when`` optionally narrows the rule by the
    subject's context (age, a record's value).
    """

    kind: ClassVar[str] = "routing_rule"
    kind_label: ClassVar[Text] = Text("aturan rujukan", "routing rule")
    need_type: str
    role: str
    area: KodeWilayah | None = None
    when: Expr | None = None
    priority: int = 0

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the need type, the role and every record type in ``when``."""
        refs = [("need_type", self.need_type), ("agency_role", self.role)]
        if self.when is not None:
            refs.extend((r.kind, r.code) for r in self.when.references())
        return tuple(refs)
