"""The one place command groups are listed: add a module, then add it here.

Each group is a module of :mod:`spm_core.cli` with ``register(commands)``; ``spm --help``
lists the commands in the order of :data:`COMMAND_GROUPS`.
"""

from __future__ import annotations

from collections.abc import Callable

from spm_core.cli import (
    audit,
    catalog,
    db,
    load,
    new_region,
    plugins,
    privacy,
    referrals,
    report,
    route,
    schema,
    synth,
)
from spm_core.cli._common import Commands

__all__ = ["COMMAND_GROUPS"]

COMMAND_GROUPS: tuple[Callable[[Commands], None], ...] = (
    db.register,
    plugins.register,
    catalog.register,
    schema.register,
    load.register,
    synth.register,
    route.register,
    referrals.register,
    report.register,
    new_region.register,
    privacy.register,
    audit.register,
)
"""The ``register`` function of every command group, in ``--help`` order."""
