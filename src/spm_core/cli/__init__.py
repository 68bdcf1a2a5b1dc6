"""The ``spm`` command: flags and environment in, library calls out, nothing more.

Global options (before or after the command):

* ``--db URL`` — the database; default ``$SPM_DATABASE_URL``, else ``sqlite:///spm.db``;
* ``--lang id|en`` — the language of every line a person reads (default ``id``);
* ``--allow NAME`` / ``--deny NAME`` — load only / never load these plugins (repeatable);
  ``$SPM_PLUGINS`` is a comma-separated allow list used when no ``--allow`` is given
  (set but empty, it loads no plugin).

Commands: ``plugins``, ``catalog``, ``schema``, ``init``. An expected error
(:class:`~spm_core.errors.SpmError`) prints ``[code] message`` in the chosen language,
then in the other, to standard error and exits with status 2 — never a traceback.
Colour follows ``NO_COLOR``.

Layout: :mod:`spm_core.cli._app` builds the parser and reports errors,
:mod:`spm_core.cli._common` holds what commands share, and each command group is a
module (``plugins``, ``catalog``, ``schema``, ``db``) with a ``register(commands)``
function listed once in :data:`spm_core.cli._registry.COMMAND_GROUPS`.
"""

from __future__ import annotations

from spm_core.cli._app import main
from spm_core.cli._common import DEFAULT_DB_URL

__all__ = ["DEFAULT_DB_URL", "main"]
