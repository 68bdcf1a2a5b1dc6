"""The optional HTTP adapter: the library over HTTP for apps that are not Python.

Install the ``http`` extra (FastAPI and uvicorn). :func:`create_app` returns an ASGI app
over one :class:`~spm_core.api.Registry`; every request names its actor through the
authenticator the application passes in (:class:`DevTokens` for demonstrations). The
adapter adds no rule of its own: validation, access and audit stay in the library, and
its errors come back as RFC 9457 problem details with the stable code and both
languages. ``spm serve`` runs it.

Example:
    >>> from spm_core.api import Registry
    >>> from spm_core.http import DevTokens, create_app
    >>> with Registry.open("sqlite://") as registry:
    ...     app = create_app(registry, DevTokens(b"0123456789abcdef"))
"""

from spm_core.http._app import IDEMPOTENCY_HEADER, MAX_BODY, MAX_DEPTH, create_app
from spm_core.http._auth import Authenticator, DevTokens, actor_from_spec
from spm_core.http._problems import PROBLEM_JSON, problem_body, status_of

__all__ = [
    "IDEMPOTENCY_HEADER",
    "MAX_BODY",
    "MAX_DEPTH",
    "PROBLEM_JSON",
    "Authenticator",
    "DevTokens",
    "actor_from_spec",
    "create_app",
    "problem_body",
    "status_of",
]
