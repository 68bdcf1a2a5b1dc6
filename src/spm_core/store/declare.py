"""Access declarations: every public store function says which rows it reads or writes.

``@reads("resident")``, ``@writes("resident")`` and ``@aggregates("referral")`` mark a
function whose first argument after ``self`` (or after the store, for module
functions) is the :class:`Actor`; the mark is checked at call time and can be listed,
so a test can prove that no public function escapes the access rules. ``@no_rows``
marks what touches no rows at all (closing the store, the schema revision). An
aggregate returns counts, never rows.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Concatenate, Literal, ParamSpec, TypeVar

import attrs

from spm_core.access import (
    ENTITIES,
    Actor,
    DataKind,
    check_purpose,
    data_kind,
    may_aggregate,
    require_read,
    require_write,
)
from spm_core.errors import AccessDenied, InputError, InvalidValue
from spm_core.schemas import control_character_issue
from spm_core.store._readlog import current_purpose, required_purpose, run_read
from spm_core.store.rls import acting

__all__ = [
    "ACCESS_ATTRIBUTE",
    "AccessDeclaration",
    "aggregates",
    "declaration",
    "no_rows",
    "personal",
    "reads",
    "writes",
]

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")

ACCESS_ATTRIBUTE = "__spm_access__"
"""The attribute under which a declared function keeps its :class:`AccessDeclaration`."""


@attrs.frozen
class AccessDeclaration:
    """What a function does with rows: ``read``, ``write``, ``aggregate`` or ``none``."""

    kind: Literal["read", "write", "aggregate", "none"]
    entity: str | None = None
    purpose_bound: bool = False
    """A read of personal data: it takes a purpose and is logged (see :func:`reads`)."""
    logs_itself: bool = False
    """A purpose-bound read that writes its own audit row (an export, an extract)."""


def declaration(function: object) -> AccessDeclaration | None:
    """Return the declaration of ``function`` (a property's getter counts), if any."""
    target = function.fget if isinstance(function, property) else function
    found = getattr(target, ACCESS_ATTRIBUTE, None)
    return found if isinstance(found, AccessDeclaration) else None


def _check_actor(actor: object, name: str) -> None:
    if not isinstance(actor, Actor):
        raise InvalidValue(
            value=repr(actor),
            reason_id=f"{name} membutuhkan Actor sebagai argumen pertama",
            reason_en=f"{name} needs an Actor as its first argument",
        )


def _screen(
    signature: inspect.Signature, args: tuple[object, ...], kwargs: dict[str, object]
) -> inspect.BoundArguments | None:
    """Refuse an argument holding a character no database can store (a NUL, a lone surrogate).

    Ids, filters, reasons and the texts of a value object such as a ``SubjectRef``
    reach SQL as they are given; a NUL was a database error on
    PostgreSQL and an empty answer on SQLite. Both now get the same input error, before
    any query runs. Models (``data``) are checked field by field by their schema.

    Returns the bound arguments (``None`` when the call does not fit the signature), so
    a caller that needs them does not bind twice.
    """
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return None  # the call itself raises the right TypeError
    given: list[tuple[str, object]] = []
    for name, value in list(bound.arguments.items())[2:]:
        if attrs.has(type(value)):  # a SubjectRef, say: its texts reach SQL too
            given += [(f"{name}.{k}", v) for k, v in attrs.asdict(value, recurse=False).items()]
        else:
            given.append((name, value))
    issues = [issue for name, value in given if (issue := control_character_issue(name, value))]
    if issues:
        raise InputError(issues)
    return bound


def _known(entity: str) -> None:
    if entity not in ENTITIES:
        raise ValueError(f"unknown entity {entity!r}")


_PERSONAL_KINDS = frozenset({DataKind.PERSONAL, DataKind.REFERRAL})


def personal(entity: str) -> bool:
    """Return whether reads of ``entity`` are reads of personal data (purpose-bound)."""
    return data_kind(entity) in _PERSONAL_KINDS


def reads(
    entity: str, *, logs_itself: bool = False
) -> Callable[[Callable[Concatenate[S, Actor, P], R]], Callable[Concatenate[S, Actor, P], R]]:
    """Declare that the decorated function reads rows of ``entity`` on behalf of an actor.

    Rows outside the actor's scope are filtered in SQL by the function itself. Reading the
    audit log is refused outright (:class:`~spm_core.errors.AccessDenied`) to every role
    but the operator, which reveals nothing about any row.

    A read of personal rows or referrals must take a ``purpose`` argument: anyone but a
    kader names one (:class:`~spm_core.errors.PurposeRequired` otherwise, before
    anything is read), and the read appends one audit row with its purpose, categories
    and row count when a purpose was named or specific data came back
    (:mod:`spm_core.store._readlog`). ``logs_itself`` marks a read that writes its own
    audit row (an export), which is then not logged twice.
    """
    _known(entity)
    purpose_bound = personal(entity)

    def decorate(
        function: Callable[Concatenate[S, Actor, P], R],
    ) -> Callable[Concatenate[S, Actor, P], R]:
        signature = inspect.signature(function)
        if purpose_bound and "purpose" not in signature.parameters:
            raise TypeError(f"{function.__qualname__} reads {entity} but takes no purpose")
        name = function.__name__

        @functools.wraps(function)
        def wrapper(owner: S, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
            _check_actor(actor, name)
            if data_kind(entity) is DataKind.AUDIT:
                require_read(actor, entity, name)
            screened = _screen(signature, (owner, actor, *args), kwargs)
            if not purpose_bound:
                with acting(actor):
                    return function(owner, actor, *args, **kwargs)
            bound = (
                screened if screened is not None else signature.bind(owner, actor, *args, **kwargs)
            )
            bound.apply_defaults()
            given = bound.arguments.get("purpose")
            if given is None:
                given = current_purpose()
            bound.arguments["purpose"] = required_purpose(actor, given, name)
            with acting(actor):
                result: R = run_read(
                    owner,
                    actor,
                    entity,
                    name,
                    lambda: function(*bound.args, **bound.kwargs),
                    bound.arguments,
                    logs_itself=logs_itself,
                )
            return result

        setattr(
            wrapper, ACCESS_ATTRIBUTE, AccessDeclaration("read", entity, purpose_bound, logs_itself)
        )
        return wrapper

    return decorate


def writes(
    entity: str,
) -> Callable[[Callable[Concatenate[S, Actor, P], R]], Callable[Concatenate[S, Actor, P], R]]:
    """Declare that the decorated function writes rows of ``entity``.

    A role that may not write ``entity`` at all gets
    :class:`~spm_core.errors.AccessDenied`. The function must take a ``purpose``
    argument; it is checked (and turned into a :class:`~spm_core.access.Purpose`) before
    the function runs.
    """
    _known(entity)

    def decorate(
        function: Callable[Concatenate[S, Actor, P], R],
    ) -> Callable[Concatenate[S, Actor, P], R]:
        signature = inspect.signature(function)
        if "purpose" not in signature.parameters:
            raise TypeError(f"{function.__qualname__} writes {entity} but takes no purpose")

        @functools.wraps(function)
        def wrapper(owner: S, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
            _check_actor(actor, function.__name__)
            require_write(actor, entity, function.__name__)
            bound = signature.bind(owner, actor, *args, **kwargs)
            bound.apply_defaults()
            bound.arguments["purpose"] = check_purpose(entity, bound.arguments.get("purpose"))
            _screen(signature, bound.args, bound.kwargs)
            with acting(actor):
                result: R = function(*bound.args, **bound.kwargs)
            return result

        setattr(wrapper, ACCESS_ATTRIBUTE, AccessDeclaration("write", entity))
        return wrapper

    return decorate


def aggregates(
    entity: str,
) -> Callable[[Callable[Concatenate[S, Actor, P], R]], Callable[Concatenate[S, Actor, P], R]]:
    """Declare that the decorated function counts rows of ``entity`` and returns no row.

    The function narrows the counted rows to the actor's scope itself. A role that may
    not count ``entity`` at all gets :class:`~spm_core.errors.AccessDenied`.
    """
    _known(entity)

    def decorate(
        function: Callable[Concatenate[S, Actor, P], R],
    ) -> Callable[Concatenate[S, Actor, P], R]:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapper(owner: S, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
            _check_actor(actor, function.__name__)
            if not may_aggregate(actor, entity):
                name = function.__name__
                raise AccessDenied(value=name, role=actor.role.value, action=name)
            _screen(signature, (owner, actor, *args), kwargs)
            with acting(actor):
                return function(owner, actor, *args, **kwargs)

        setattr(wrapper, ACCESS_ATTRIBUTE, AccessDeclaration("aggregate", entity))
        return wrapper

    return decorate


def no_rows(function: Callable[P, R]) -> Callable[P, R]:
    """Declare that the decorated function reads and writes no rows."""
    setattr(function, ACCESS_ATTRIBUTE, AccessDeclaration("none"))
    return function
