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
    demo,
    load,
    new_region,
    pembina,
    plugins,
    privacy,
    referrals,
    report,
    route,
    schema,
    serve,
    sheets,
    synth,
)
from spm_core.cli._common import Commands

__all__ = ["COMMAND_GROUPS"]

COMMAND_GROUPS: tuple[Callable[[Commands], None], ...] = (
    db.register,
    demo.register,
    plugins.register,
    catalog.register,
    schema.register,
    load.register,
    sheets.register,
    synth.register,
    route.register,
    referrals.register,
    pembina.register,
    report.register,
    new_region.register,
    privacy.register,
    audit.register,
    serve.register,
)
"""The ``register`` function of every command group, in ``--help`` order."""
