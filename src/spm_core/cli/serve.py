"""``spm serve`` and ``spm token``: the HTTP adapter on a port, and development tokens.

``spm serve`` runs :func:`spm_core.http.create_app` under uvicorn with the development
authenticator (:class:`~spm_core.http.DevTokens`), signing with ``$SPM_TOKEN_SECRET``
(or, without it, a secret made for this run only). ``--dev-token ROLE:SCOPE`` prints a
token for that actor at start; ``spm token ROLE:SCOPE`` mints one for a running server
that shares the secret. A production deployment embeds the app with its own
authenticator instead.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys

from spm_core.cli._common import (
    Commands,
    UsageError,
    allow_list,
    db_url,
    t,
)
from spm_core.domain.text import Text

__all__ = ["SECRET_ENV", "register"]

SECRET_ENV = "SPM_TOKEN_SECRET"
"""The environment variable holding the secret development tokens are signed with."""

TEXTS = {
    "cmd_serve": Text(
        "jalankan adaptor HTTP (OpenAPI di /openapi.json) dengan token pengembangan",
        "run the HTTP adapter (OpenAPI at /openapi.json) with development tokens",
    ),
    "host": Text("alamat yang didengarkan", "address to listen on"),
    "port": Text("porta yang didengarkan", "port to listen on"),
    "dev_token": Text(
        "cetak token untuk aktor PERAN:LINGKUP saat mulai (boleh berulang), mis. "
        "kader:<id posyandu>, operator:32.75, agency_officer:kota.dinsos@32.75",
        "print a token for the actor ROLE:SCOPE at start (repeatable), e.g. "
        "kader:<posyandu id>, operator:32.75, agency_officer:kota.dinsos@32.75",
    ),
    "cmd_token": Text(
        "buat token pengembangan untuk server yang memakai $SPM_TOKEN_SECRET yang sama",
        "mint a development token for a server using the same $SPM_TOKEN_SECRET",
    ),
    "actor": Text("aktor PERAN:LINGKUP", "the actor ROLE:SCOPE"),
    "actor_id": Text("id aktor (tercatat di log audit)", "actor id (kept in the audit log)"),
    "lifetime": Text("masa berlaku token dalam detik", "token lifetime in seconds"),
    "no_http": Text(
        "adaptor HTTP belum terpasang: pip install 'spm-core[http]'",
        "the HTTP adapter is not installed: pip install 'spm-core[http]'",
    ),
    "no_secret": Text(
        "tetapkan $SPM_TOKEN_SECRET (minimal 16 karakter), sama dengan milik server",
        "set $SPM_TOKEN_SECRET (at least 16 characters), the same as the server's",
    ),
    "ephemeral": Text(
        "$SPM_TOKEN_SECRET tidak ditetapkan: token hanya berlaku selama server ini berjalan.",
        "$SPM_TOKEN_SECRET is not set: tokens are valid only while this server runs.",
    ),
    "token_for": Text("Token untuk {actor}:", "Token for {actor}:"),
    "listening": Text(
        "Melayani {location} di http://{host}:{port} (OpenAPI: /openapi.json)",
        "Serving {location} at http://{host}:{port} (OpenAPI: /openapi.json)",
    ),
}


def register(commands: Commands) -> None:
    """Add ``spm serve`` and ``spm token``."""
    lang = commands.lang
    serve = commands.add("serve", TEXTS["cmd_serve"], _cmd_serve, database=True)
    serve.add_argument("--host", default="127.0.0.1", help=t("host", lang, TEXTS))
    serve.add_argument("--port", type=int, default=8000, help=t("port", lang, TEXTS))
    serve.add_argument(
        "--dev-token",
        metavar="ROLE:SCOPE",
        action="append",
        default=[],
        help=t("dev_token", lang, TEXTS),
    )
    token = commands.add("token", TEXTS["cmd_token"], _cmd_token)
    token.add_argument("actor", metavar="ROLE:SCOPE", help=t("actor", lang, TEXTS))
    token.add_argument("--id", dest="actor_id", default=None, help=t("actor_id", lang, TEXTS))
    token.add_argument("--lifetime", type=int, default=12 * 3600, help=t("lifetime", lang, TEXTS))


def _require_http(lang: str) -> None:
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise UsageError(t("no_http", lang, TEXTS), "pip install 'spm-core[http]'") from None


def _cmd_token(args: argparse.Namespace) -> int:
    _require_http(args.lang)
    from spm_core.http import DevTokens, actor_from_spec

    secret = os.environ.get(SECRET_ENV, "")
    if len(secret) < 16:
        raise UsageError(t("no_secret", args.lang, TEXTS), f"{SECRET_ENV}=... spm token ROLE:SCOPE")
    actor = actor_from_spec(args.actor, args.actor_id)
    sys.stdout.write(DevTokens(secret.encode()).mint(actor, lifetime=args.lifetime) + "\n")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    _require_http(args.lang)
    import uvicorn

    from spm_core.api import Registry
    from spm_core.http import DevTokens, actor_from_spec, create_app

    lang = args.lang
    secret = os.environ.get(SECRET_ENV, "")
    if not secret:
        sys.stderr.write(t("ephemeral", lang, TEXTS) + "\n")
        secret = secrets.token_urlsafe(32)
    tokens = DevTokens(secret.encode())
    actors = [actor_from_spec(spec) for spec in args.dev_token]
    with Registry.open(
        db_url(args), allow=allow_list(args), deny=tuple(args.deny or ())
    ) as registry:
        for actor in actors:
            sys.stdout.write(t("token_for", lang, TEXTS, actor=actor.describe()) + "\n")
            sys.stdout.write(tokens.mint(actor) + "\n")
        sys.stdout.write(
            t("listening", lang, TEXTS, location=registry.location, host=args.host, port=args.port)
            + "\n"
        )
        sys.stdout.flush()
        app = create_app(registry, tokens)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
