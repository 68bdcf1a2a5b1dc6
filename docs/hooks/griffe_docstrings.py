"""Griffe extension: read the library's docstrings as Markdown for the API reference.

The docstrings are written to read well in ``help()`` and in an editor, with a few
reStructuredText habits. Before mkdocstrings renders them this extension

* turns an ``Example:`` heading into the Google-style ``Examples:`` section, so doctest
  lines render as code instead of Markdown text;
* turns roles such as ``:class:`~spm_core.definitions.PluginInfo``` into code spans, and
  roles with a title (``:meth:`Store.add_record <spm_core.store.Store.add_record>```)
  into mkdocstrings cross-references (``[`Store.add_record`][spm_core.store.Store.add_record]``);
* turns a paragraph ending in ``::`` (a literal block follows) into one ending in ``:``.

It also hides special members that say nothing to a reader (``__slots__``, an
undocumented ``__str__``): only documented special methods such as a context manager's
``__enter__`` stay in the reference.

The docstrings themselves are left as they are.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE_HEADING = re.compile(r"^([ \t]*)Example:[ \t]*$", re.MULTILINE)
_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj|py:\w+):`(~?)([^`]+)`")
_TITLED = re.compile(r"^(.+?)\s*<([\w.]+)>$")
_LITERAL_INTRO = re.compile(r"(\S)::[ \t]*$", re.MULTILINE)


def _code_span(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    titled = _TITLED.match(target)
    if titled:
        title, path = titled.groups()
        return f"[`{title}`][{path}]"
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


def markdown_docstring(text: str) -> str:
    """Return ``text`` with the reStructuredText habits above rewritten as Markdown."""
    text = _EXAMPLE_HEADING.sub(r"\1Examples:", text)
    text = _ROLE.sub(_code_span, text)
    return _LITERAL_INTRO.sub(r"\1:", text)


class MarkdownDocstrings(griffe.Extension):
    """Rewrite each docstring with :func:`markdown_docstring` when griffe loads it."""

    def on_instance(self, *, obj: griffe.Object, **_kwargs: Any) -> None:
        """Rewrite the docstring of every loaded object; hide undocumented special members."""
        if obj.docstring is not None:
            obj.docstring.value = markdown_docstring(obj.docstring.value)
        special = obj.name.startswith("__") and obj.name.endswith("__")
        if special and obj.name != "__init__" and obj.docstring is None:
            obj.public = False
