"""Validators: plugin checks run on a record's value before it is stored."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.domain.text import Text
from spm_core.errors import Notice

__all__ = ["Check", "Validator"]

Check = Callable[[Mapping[str, Any]], Iterable[Notice]]
"""Receives a record's validated value; yields notices (warnings) about it."""


@attrs.frozen(kw_only=True)
class Validator(Definition):
    """A data-quality check on records of ``record_type`` (impossible weights, say).

    The check never rejects: it yields :class:`~spm_core.errors.Notice` values that are
    returned with the write, so a kader can correct or confirm.
    """

    kind: ClassVar[str] = "validator"
    kind_label: ClassVar[Text] = Text("pemeriksa data", "validator")
    record_type: str
    check: Check = attrs.field(eq=False)

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the record type."""
        return (("record_type", self.record_type),)
