"""spm-core: Posyandu 6 SPM — one integrated record, SPM indicators and referrals.

The small public API lives here; everything else is reached through its module
(:mod:`spm_core.plugin_api` for plugin authors, :mod:`spm_core.store`,
:mod:`spm_core.catalog`, …).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from spm_core import errors
from spm_core.hookspecs import hookimpl

if TYPE_CHECKING:
    from spm_core.api import Registry

try:
    __version__ = version("spm-core")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["Registry", "__version__", "errors", "hookimpl"]


def __getattr__(name: str) -> Any:
    """Import :class:`~spm_core.api.Registry` on first use, so ``import spm_core`` stays light.

    The registry pulls in SQLAlchemy, Alembic and the store; plugin authors and the
    pytest/hypothesis entry points import ``spm_core`` without needing any of that.
    """
    if name == "Registry":
        from spm_core.api import Registry

        return Registry
    raise AttributeError(f"module 'spm_core' has no attribute {name!r}")
