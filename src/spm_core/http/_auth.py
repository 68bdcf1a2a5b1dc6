"""Actors from requests: the authenticator contract and the development tokens.

An application passes :func:`~spm_core.http.create_app` an *authenticator*: a callable
that takes the request and returns the :class:`~spm_core.access.Actor` it acts as, or
raises :class:`~spm_core.errors.NotAuthenticated`. A region plugs in its own login
(an OpenID Connect gateway, a session cookie, a mutual-TLS certificate); the adapter
never decides who someone is.

:class:`DevTokens` is the authenticator for demonstrations and tests: bearer tokens that
carry the actor's id, role and scope, signed with HMAC-SHA256 under a secret the server
holds. They are not a login system: whoever holds the secret mints any actor.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import attrs
from starlette.requests import Request

from spm_core.access import Actor, AgencyScope, AreaScope, PosyanduScope, Role
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InvalidValue, NotAuthenticated

__all__ = ["Authenticator", "DevTokens", "actor_from_spec"]

Authenticator = Callable[[Request], Actor]
"""Returns the actor a request acts as; raises ``NotAuthenticated`` when there is none."""

DEFAULT_LIFETIME = 12 * 3600
"""How long a development token is valid, in seconds (one working day and a half)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _refused(reason_id: str, reason_en: str) -> NotAuthenticated:
    return NotAuthenticated(reason_id=reason_id, reason_en=reason_en)


def actor_from_spec(spec: str, actor_id: str | None = None, name: str | None = None) -> Actor:
    """Return the actor written ``ROLE:SCOPE``, as ``spm token`` and ``spm serve`` read it.

    The scope is a posyandu id for a kader, ``AGENCY@AREA`` for an agency officer, and a
    region code for every other role.

    Raises:
        InvalidValue: an unknown role, or a scope that does not fit the role.

    Example:
        >>> actor_from_spec("kader:p-1").describe()
        'kader posyandu:p-1'
        >>> actor_from_spec("agency_officer:kota.dinsos@32.75").describe()
        'agency_officer agency:kota.dinsos@32.75'
    """
    role_text, sep, scope_text = spec.partition(":")
    scope_text = scope_text.strip()
    if not sep or not scope_text:
        raise InvalidValue(
            value=spec,
            reason_id="tulis PERAN:LINGKUP, mis. kader:<id posyandu> atau operator:32.75",
            reason_en="write ROLE:SCOPE, e.g. kader:<posyandu id> or operator:32.75",
        )
    try:
        role = Role(role_text.strip())
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidValue(
            value=role_text,
            reason_id=f"peran harus salah satu dari {known}",
            reason_en=f"the role must be one of {known}",
        ) from None
    scope: PosyanduScope | AreaScope | AgencyScope
    if role is Role.KADER:
        scope = PosyanduScope(scope_text)
    elif role is Role.AGENCY_OFFICER:
        agency, _, area = scope_text.partition("@")
        scope = AgencyScope(agency, KodeWilayah.parse(area))
    else:
        scope = AreaScope(KodeWilayah.parse(scope_text))
    return Actor(actor_id or f"{role.value}-{scope_text}", role, scope, name)


def _claims(actor: Actor) -> dict[str, Any]:
    scope = actor.scope
    claims: dict[str, Any] = {"sub": actor.id, "role": actor.role.value}
    if actor.name:
        claims["name"] = actor.name
    if isinstance(scope, PosyanduScope):
        claims["posyandu"] = scope.posyandu_id
    elif isinstance(scope, AgencyScope):
        claims["agency"] = scope.agency_code
        claims["area"] = scope.area.value
    else:
        claims["area"] = scope.area.value
    return claims


def _actor(claims: dict[str, Any]) -> Actor:
    role = Role(claims["role"])
    scope: PosyanduScope | AreaScope | AgencyScope
    if "posyandu" in claims:
        scope = PosyanduScope(claims["posyandu"])
    elif "agency" in claims:
        scope = AgencyScope(claims["agency"], KodeWilayah.parse(claims["area"]))
    else:
        scope = AreaScope(KodeWilayah.parse(claims["area"]))
    return Actor(claims["sub"], role, scope, claims.get("name"))


@attrs.frozen
class DevTokens:
    """Development bearer tokens signed with HMAC-SHA256: an authenticator for demos.

    A token is ``<claims>.<signature>``, both base64url: the claims are the actor's id
    (``sub``), ``role``, its ``posyandu``, or ``area`` (and ``agency``), an optional
    ``name`` and the expiry ``exp`` (Unix seconds). Send it as
    ``Authorization: Bearer <token>``.

    Example:
        >>> tokens = DevTokens(b"a secret of the demo server")
        >>> token = tokens.mint(actor_from_spec("operator:32.75", "op-1"))
        >>> tokens.actor(token).describe()
        'operator area:32.75'
    """

    secret: bytes = attrs.field(repr=False)
    clock: Callable[[], float] = attrs.field(default=time.time, repr=False)

    def __attrs_post_init__(self) -> None:
        if len(self.secret) < 16:
            raise InvalidValue(
                value=f"{len(self.secret)} bytes",
                reason_id="rahasia penanda tangan token minimal 16 bita",
                reason_en="the token signing secret must be at least 16 bytes",
            )

    def _sign(self, payload: str) -> str:
        digest = hmac.new(self.secret, payload.encode("ascii"), hashlib.sha256).digest()
        return _b64(digest)

    def mint(self, actor: Actor, *, lifetime: int = DEFAULT_LIFETIME) -> str:
        """Return a token for ``actor`` valid for ``lifetime`` seconds from now."""
        claims = _claims(actor) | {"exp": int(self.clock()) + lifetime}
        payload = _b64(json.dumps(claims, sort_keys=True, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(payload)}"

    def actor(self, token: str) -> Actor:
        """Return the actor of a token whose signature verifies and that has not expired.

        Raises:
            NotAuthenticated: a malformed, forged or expired token, or one whose role and
                scope do not fit together.
        """
        payload, _, signature = token.strip().partition(".")
        if not payload or not signature or not (payload + signature).isascii():
            raise _refused("token tidak berbentuk <klaim>.<tanda tangan>", "malformed token")
        if not hmac.compare_digest(self._sign(payload), signature):
            raise _refused("tanda tangan token tidak cocok", "the token's signature is wrong")
        try:
            claims = json.loads(_unb64(payload))
            expires = int(claims["exp"])
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise _refused(
                "klaim token tidak terbaca", "the token's claims are unreadable"
            ) from None
        if expires < self.clock():
            raise _refused("token sudah kedaluwarsa", "the token has expired")
        try:
            return _actor(claims)
        except (InvalidValue, ValueError, KeyError, TypeError):
            raise _refused(
                "peran dan lingkup dalam token tidak cocok",
                "the token's role and scope do not fit together",
            ) from None

    def __call__(self, request: Request) -> Actor:
        """Return the actor of the request's ``Authorization: Bearer`` token."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _refused(
                "kirim header Authorization: Bearer <token>",
                "send the header Authorization: Bearer <token>",
            )
        return self.actor(token)
