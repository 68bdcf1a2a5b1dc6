"""Errors as RFC 9457 problem details, with the library's stable code and both languages.

Every error the library raises becomes a ``application/problem+json`` response whose
``status`` follows the error tree of :mod:`spm_core.errors`; ``type`` points at the
error's section in the errors page, ``title`` is the English message and ``detail`` the
Bahasa Indonesia one; ``code``, ``message_id`` and ``message_en`` are the library's
own, and input errors list every issue with its row, field and value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import attrs
from fastapi.exceptions import RequestValidationError
from pydantic_core import ErrorDetails
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from spm_core.errors import (
    AccessDenied,
    CatalogError,
    ConcurrentUpdate,
    ConnectionLost,
    InputError,
    InvalidValue,
    Issue,
    NotAuthenticated,
    NotFound,
    ReferralError,
    RequestTooLarge,
    SpmError,
    StorageFull,
    StoreBusy,
    UnknownCode,
)
from spm_core.schemas import issues_from_details

__all__ = [
    "PROBLEM_JSON",
    "PROBLEM_TYPE",
    "RETRY_AFTER",
    "problem_response",
    "status_of",
]

PROBLEM_JSON = "application/problem+json"
"""The media type of an RFC 9457 problem."""

PROBLEM_TYPE = "urn:spm-core:error:"
"""The ``type`` of a problem is this followed by the error's code, unless the app is given
the address of its own copy of the errors page (then ``<page>#<code>``: the section)."""

RETRY_AFTER = 1
"""Seconds a client waits before retrying a write the database was too busy for."""

_STATUS: tuple[tuple[type[SpmError], int], ...] = (
    (NotAuthenticated, 401),
    (AccessDenied, 403),
    (NotFound, 404),
    (UnknownCode, 404),
    (RequestTooLarge, 413),
    (ConcurrentUpdate, 409),
    (ReferralError, 409),  # an illegal step, an idempotency conflict, not yet overdue
    (StoreBusy, 503),
    (ConnectionLost, 503),
    (StorageFull, 507),
    (InputError, 422),
    (InvalidValue, 422),
    (CatalogError, 422),  # a need no agency serves there (unroutable)
)

_IDEMPOTENCY = "idempotency-conflict"


def status_of(error: SpmError) -> int:
    """Return the HTTP status of ``error``: that of the nearest class in its ancestry.

    An input error whose every issue is an idempotency key reused with another body (a
    record sent again with a different value) is a conflict, 409. Anything else the
    library raises that no rule names is a server error, 500.

    Example:
        >>> status_of(NotFound(entity="resident", value="r-1"))
        404
        >>> status_of(StoreBusy(entity="record"))
        503
    """
    issues = error.issues if isinstance(error, InputError) else ()
    if issues and all(i.code == _IDEMPOTENCY for i in issues):
        return 409
    for cls, status in _STATUS:
        if isinstance(error, cls):
            return status
    return 500


def _issue(issue: Issue) -> dict[str, Any]:
    return attrs.asdict(issue)


def _type(code: str, errors_page: str | None) -> str:
    return PROBLEM_TYPE + code if errors_page is None else f"{errors_page}#{code}"


def problem_body(error: SpmError, status: int, errors_page: str | None = None) -> dict[str, Any]:
    """Return the problem details of ``error`` answered with ``status``.

    Example:
        >>> body = problem_body(NotFound(entity="resident", value="r-1"), 404)
        >>> body["type"], body["code"], body["message_id"]
        ('urn:spm-core:error:not-found', 'not-found', "warga 'r-1' tidak ditemukan.")
    """
    body: dict[str, Any] = {
        "type": _type(error.code, errors_page),
        "title": error.message_en,
        "status": status,
        "detail": error.message_id,
        "code": error.code,
        "message_id": error.message_id,
        "message_en": error.message_en,
        "retryable": error.retryable,
    }
    if isinstance(error, InputError):
        body["issues"] = [_issue(i) for i in error.issues]
    return body


def problem_response(error: SpmError, errors_page: str | None = None) -> JSONResponse:
    """Return the ``application/problem+json`` response for ``error``."""
    status = status_of(error)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status == 503:
        headers["Retry-After"] = str(RETRY_AFTER)
    return JSONResponse(
        problem_body(error, status, errors_page),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_JSON,
    )


def _request_issues(details: Sequence[Any]) -> list[Issue]:
    """Return the library's issues for errors in a request's parameters or body."""
    cleaned: list[ErrorDetails] = []
    for detail in details:
        loc = tuple(detail.get("loc", ()))
        where = loc[1:] if loc[:1] in (("body",), ("query",), ("header",), ("path",)) else loc
        cleaned.append(cast("ErrorDetails", {**detail, "loc": where}))
    return issues_from_details(cleaned)


def _page(request: Request) -> str | None:
    page: str | None = getattr(request.app.state, "errors_page", None)
    return page


async def on_spm_error(request: Request, error: Exception) -> JSONResponse:
    """Answer a library error as a problem."""
    assert isinstance(error, SpmError)
    return problem_response(error, _page(request))


async def on_request_invalid(request: Request, error: Exception) -> JSONResponse:
    """Answer parameters or a body that fail their schema as an input-error problem."""
    assert isinstance(error, RequestValidationError)
    return problem_response(InputError(_request_issues(error.errors())), _page(request))


async def on_http_error(request: Request, error: Exception) -> JSONResponse:
    """Answer an unknown path or method as a problem too (code ``no-such-operation``)."""
    assert isinstance(error, StarletteHTTPException)
    where = f"{request.method} {request.url.path}"
    message_id = f"Tidak ada operasi {where}."
    message_en = f"There is no operation {where}."
    body = {
        "type": _type("no-such-operation", _page(request)),
        "title": message_en,
        "status": error.status_code,
        "detail": message_id,
        "code": "no-such-operation",
        "message_id": message_id,
        "message_en": message_en,
        "retryable": False,
    }
    return JSONResponse(body, status_code=error.status_code, media_type=PROBLEM_JSON)


async def on_unexpected(request: Request, _error: Exception) -> JSONResponse:
    """Answer any other failure as a 500 problem that reveals nothing of it."""
    body = problem_body(SpmError(), 500, _page(request))
    return JSONResponse(body, status_code=500, media_type=PROBLEM_JSON)
