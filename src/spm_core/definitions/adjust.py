"""The typed interface the late ``spm_adjust_catalog`` hook receives."""

from __future__ import annotations

from typing import Protocol

import attrs

from spm_core.definitions._base import Definition
from spm_core.domain.text import Text

__all__ = ["Adjustment", "CatalogAdjuster"]


@attrs.frozen
class Adjustment:
    """One change a plugin made to the assembled catalog, kept for provenance."""

    plugin: str
    action: str
    kind: str
    code: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        """Return a JSON-ready mapping."""
        return attrs.asdict(self)


class CatalogAdjuster(Protocol):
    """What a region (or province) plugin may change once every definition is collected.

    Each method records an :class:`Adjustment` naming the plugin; a change that names an
    unknown code raises :class:`~spm_core.errors.UnresolvedReference` at load.
    """

    @property
    def plugin(self) -> str:
        """The name of the plugin whose adjustments are being recorded."""
        ...

    def get(self, kind: str, code: str) -> Definition:
        """Return the current definition of ``kind`` with ``code``."""
        ...

    def rename_agency(self, code: str, name: Text, *, short_name: str | None = None) -> None:
        """Give agency ``code`` a new name (nomenclature changes often)."""
        ...

    def retarget_route(self, rule_code: str, role: str) -> None:
        """Send needs matched by routing rule ``rule_code`` to agency role ``role``."""
        ...

    def set_sla(self, need_type: str, days: int) -> None:
        """Set the default deadline, in days, for need type ``need_type``."""
        ...

    def disable(self, kind: str, code: str, *, reason: Text) -> None:
        """Remove definition ``code`` of ``kind`` from this deployment, with a reason."""
        ...

    def add(self, definition: Definition) -> None:
        """Add a local definition (a local indicator, say); its code must be new."""
        ...

    def replace(self, definition: Definition) -> None:
        """Replace the definition with the same kind and code by ``definition``."""
        ...
