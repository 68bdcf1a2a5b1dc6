"""MkDocs hook: write the list of error codes into the errors page at build time.

The page ``errors.md`` holds a marker; this hook replaces it with one section per error
class of :mod:`spm_core.errors` — its code as heading and anchor, what it means, the
context fields its message uses, and the message template in Bahasa Indonesia and
English. Nothing is copied by hand, so the page cannot fall behind the code.
"""

from __future__ import annotations

import inspect
import re
import string
from typing import Any

from spm_core.errors import SpmError, all_error_classes

MARKER = "<!-- spm-core:error-codes -->"
"""Where in ``errors.md`` the generated sections go."""

ERRORS_PAGE = "errors.md"
"""The page (relative to the docs directory) that holds the marker."""

_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc):`~?([\w.]+)`")


def library_error_classes() -> list[type[SpmError]]:
    """Return every error class the library defines, base first, depth first."""
    return [cls for cls in all_error_classes() if cls.__module__.startswith("spm_core")]


def template_fields(template: str) -> list[str]:
    """Return the names of the fields a message template fills, in order, once each."""
    names: list[str] = []
    for _, name, _, _ in string.Formatter().parse(template):
        if name and name not in names:
            names.append(name)
    return names


def _plain(doc: str) -> str:
    """Turn reStructuredText roles (``:class:`~a.B```) into code spans for Markdown."""
    return _ROLE.sub(lambda m: f"`{m.group(1).rsplit('.', 1)[-1]}`", doc).replace("``", "`")


def _cell(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def _section(cls: type[SpmError]) -> str:
    parent = next((b for b in cls.__mro__[1:] if issubclass(b, SpmError)), None)
    lines = [f"## `{cls.code}` {{#{cls.code}}}", ""]
    kind = f"**`{cls.__name__}`**"
    if parent is not None:
        kind += f" — a kind of [`{parent.code}`](#{parent.code})"
    lines += [kind, ""]
    lines += [_plain(inspect.getdoc(cls) or ""), ""]
    fields = template_fields(cls.template_id + cls.template_en)
    if fields:
        lines += ["Context / konteks: " + ", ".join(f"`{f}`" for f in fields), ""]
    lines += [
        "| Bahasa | Pesan / Message |",
        "|---|---|",
        f"| Bahasa Indonesia | {_cell(cls.template_id)} |",
        f"| English | {_cell(cls.template_en)} |",
        "",
    ]
    return "\n".join(lines)


def render_error_codes() -> str:
    """Return the Markdown of every error section, in the order of the error tree."""
    return "\n".join(_section(cls) for cls in library_error_classes())


def on_page_markdown(markdown: str, page: Any, **_kwargs: Any) -> str:
    """Replace the marker on the errors page with the generated sections."""
    if page.file.src_uri != ERRORS_PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{ERRORS_PAGE} lost its marker {MARKER!r}")
    return markdown.replace(MARKER, render_error_codes())
