"""The shared shape of every contributed definition."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

import attrs

from spm_core.definitions.legal import ALWAYS, LegalBasis, Provenance, Validity
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InvalidValue

__all__ = ["CODE_PATTERN", "Definition", "check_code"]

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
"""Codes are lower-case ASCII: letters, digits, ``.``, ``_`` and ``-``; at most 80 long."""


def check_code(_instance: object, _attribute: object, value: str) -> None:
    """Reject a code that does not match :data:`CODE_PATTERN` (attrs validator)."""
    if not isinstance(value, str) or not CODE_PATTERN.match(value):
        raise InvalidValue(
            value=value,
            reason_id="kode hanya boleh huruf kecil, angka, '.', '_' dan '-' (maks. 80)",
            reason_en="a code may hold only lower-case letters, digits, '.', '_' and '-' (max 80)",
        )


def _legal_bases(value: Iterable[LegalBasis]) -> tuple[LegalBasis, ...]:
    """Return ``value`` as a tuple (attrs converter, typed so callers may pass any iterable)."""
    return tuple(value)


@attrs.frozen(kw_only=True)
class Definition:
    """Base of every definition a plugin contributes.

    ``code`` is the stable identifier (renaming it is a breaking change); ``title`` is
    bilingual; ``legal_basis`` lists what the definition encodes; ``validity`` says when
    it is in force; ``provenance`` is filled in by the catalog (never by the plugin).
    """

    kind: ClassVar[str] = "definition"
    kind_label: ClassVar[Text] = Text("definisi", "definition")

    code: str = attrs.field(validator=check_code)
    title: Text
    legal_basis: tuple[LegalBasis, ...] = attrs.field(default=(), converter=_legal_bases)
    validity: Validity = ALWAYS
    description: Text | None = None
    provenance: Provenance | None = None

    def references(self) -> tuple[tuple[str, str], ...]:
        """Return ``(kind, code)`` pairs this definition needs to resolve in the catalog."""
        return ()

    @property
    def scope(self) -> KodeWilayah | None:
        """The region this definition applies to: its plugin's region, ``None`` if national."""
        return None if self.provenance is None else self.provenance.region

    @property
    def confirmed(self) -> bool:
        """Whether every legal basis is confirmed against a primary text."""
        return all(lb.confirmed for lb in self.legal_basis)
