"""spm-core: Posyandu 6 SPM — one integrated record, SPM indicators and referrals.

The small public API lives here; everything else is reached through its module
(:mod:`spm_core.plugin_api` for plugin authors, :mod:`spm_core.store`,
:mod:`spm_core.catalog`, …).
"""

from importlib.metadata import PackageNotFoundError, version

from spm_core import errors
from spm_core.hookspecs import hookimpl

try:
    __version__ = version("spm-core")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["__version__", "errors", "hookimpl"]
